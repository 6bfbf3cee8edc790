"""What awards of one achievement share, and one learner's checked, unsigned credential.

Spec: 1EdTech Open Badges 3.0, section 8 (AchievementCredential,
AchievementSubject with ``id`` or an IdentityObject of a salted, hashed email,
Result, Evidence) and W3C VC Data Model 2.0 sections 4.9 (validity period) and
5.3 (``digestSRI`` on a related resource, used here for the evidence hash).

`prepare` looks up, once, what every award of an achievement needs (its current
version document and parsed Achievement, the issuer Profile, the signer); `draft`
checks one learner's input against it and builds the unsigned credential. The
credential JSON is laid out from a shape taken once from the OB 3.0 models
(`_Shape`): the same keys, order and values as dumping a fresh
AchievementCredential model, without dumping the whole achievement per learner.
The single award (`openler.issuer.awards.award`) and batches
(`openler.issuer.awards_batch.award_many`) both go through these two steps;
signing is `openler.issuer.issuing`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.models import Achievement as AchievementModel
from openler.core.models import (
    AchievementCredential,
    AchievementSubject,
    Evidence,
    IdentityObject,
    Profile,
    Result,
    parse_model,
)
from openler.core.models.base import format_datetime
from openler.issuer import catalog
from openler.issuer.awards_input import (
    EvidenceInput,
    ResultInput,
    as_evidence,
    as_result,
    check_recipient,
    value_problem,
)
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.issuing import IssuingContext, issuing_context
from openler.issuer.service import IssuerConfig

KEEP_FILE_BYTES = 64 * 1024
"""Evidence files up to this size are kept; larger ones only by name and hash."""
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PreparedAward:
    """Everything awards of one achievement share, looked up and parsed once."""

    org_id: str
    achievement_id: str
    achievement_name: str
    retired: bool
    version_id: str
    document: Mapping[str, Any]
    """The current version's OB 3.0 Achievement JSON (results are checked against it)."""
    achievement: AchievementModel
    issuer: Profile
    issuing: IssuingContext
    shape: _Shape


@dataclass(frozen=True, slots=True)
class _Shape:
    """Key order and fixed parts of the credential and subject JSON, from one model dump."""

    credential_keys: tuple[str, ...]
    credential_fixed: dict[str, Any]
    subject_keys: tuple[str, ...]
    subject_fixed: dict[str, Any]


_CREDENTIAL_VARIES = frozenset({"id", "validFrom", "validUntil", "credentialSubject",
                                "awardedDate", "evidence"})
_SUBJECT_VARIES = frozenset({"id", "identifier", "result"})


def _shape(achievement: AchievementModel, issuer: Profile, name: str) -> _Shape:
    """Dump a credential with every per-learner member set, to learn the layout."""
    moment = datetime(2000, 1, 1, tzinfo=UTC)
    probe = AchievementCredential(
        id="urn:uuid:00000000-0000-4000-8000-000000000000", name=name, issuer=issuer,
        valid_from=moment, valid_until=moment, awarded_date=moment,
        credential_subject=AchievementSubject(
            id="did:example:probe", achievement=achievement,
            identifier=(IdentityObject.hashed_email("probe@example.org", salt="00"),),
            result=(Result(result_description="urn:example:probe", value="probe"),)),
        evidence=(Evidence(id="https://example.org/probe"),)).to_json()
    subject = probe["credentialSubject"]
    return _Shape(
        credential_keys=tuple(probe),
        credential_fixed={k: v for k, v in probe.items() if k not in _CREDENTIAL_VARIES},
        subject_keys=tuple(subject),
        subject_fixed={k: v for k, v in subject.items() if k not in _SUBJECT_VARIES})


@dataclass(frozen=True)
class _File:
    name: str | None
    sha256: bytes
    size: int
    media_type: str | None
    content: bytes | None
    url: str | None
    narrative: str | None


@dataclass(frozen=True, slots=True)
class Draft:
    """One learner's award, checked: the unsigned credential and what the award row keeps.

    ``credential`` is a new dict, but shares the achievement, issuer and context JSON
    with the other drafts of the same prepared award: read it, never change it.
    """

    prepared: PreparedAward
    email: str | None
    did: str | None
    files: tuple[_File, ...]
    credential: dict[str, Any]
    idempotency_key: str | None


def prepare(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
            now: datetime) -> PreparedAward:
    """The achievement's current version and the organization's signer, for many awards."""
    achievement = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    version = catalog.current_version(db, config=config, org_id=org_id,
                                      achievement_id=achievement_id, now=now)
    context = issuing_context(db, config=config, org_id=org_id, now=now)
    model = parse_model(AchievementModel, version.document)
    issuer = Profile(id=context.did, name=context.org_name)
    return PreparedAward(
        org_id=org_id, achievement_id=achievement.id, achievement_name=achievement.name,
        retired=achievement.retired_at is not None, version_id=version.id,
        document=version.document, achievement=model, issuer=issuer, issuing=context,
        shape=_shape(model, issuer, achievement.name))


def draft(prepared: PreparedAward, *, recipient_email: str | None, recipient_did: str | None,
          results: Iterable[ResultInput | Mapping[str, Any]],
          evidence: Iterable[EvidenceInput | Mapping[str, Any]],
          valid_from: datetime | None, valid_until: datetime | None, now: datetime,
          idempotency_key: str | None) -> Draft:
    """Check one learner's award (CatalogInputError lists the fields) and build it unsigned."""
    errors: dict[str, str] = {}
    if prepared.retired:
        errors["achievement"] = "retired"
    email, did = check_recipient(errors, recipient_email, recipient_did)
    if idempotency_key is not None and len(idempotency_key) > 200:
        errors["idempotency_key"] = "too_long"
    start = valid_from or now.replace(microsecond=0)
    if valid_until is not None and valid_until <= start:
        errors["valid_until"] = "not_after_start"
    result_models = _results(prepared.document, list(results), errors)
    files = _files(list(evidence), errors)
    if errors:
        raise CatalogInputError(errors)
    shape = prepared.shape
    subject = {**shape.subject_fixed, "id": did, "identifier": [
        IdentityObject.hashed_email(email, salt=secrets.token_hex(16)).to_json()]
        if email and not did else None,
        "result": [r.to_json() for r in result_models] or None}
    credential = {
        **shape.credential_fixed, "id": f"urn:uuid:{uuid.uuid4()}",
        "validFrom": format_datetime(start),
        "validUntil": format_datetime(valid_until) if valid_until is not None else None,
        "credentialSubject": {k: subject[k] for k in shape.subject_keys
                              if subject.get(k) is not None},
        "awardedDate": format_datetime(now.replace(microsecond=0)),
        "evidence": [_evidence_model(f).to_json() for f in files] or None}
    return Draft(prepared=prepared, email=email, did=did, files=tuple(files),
                 credential={k: credential[k] for k in shape.credential_keys
                             if credential.get(k) is not None},
                 idempotency_key=idempotency_key)


def _results(doc: Mapping[str, Any], results: Iterable[ResultInput | Mapping[str, Any]],
             errors: dict[str, str]) -> list[Result]:
    described = {rd["id"]: rd for rd in doc.get("resultDescription", [])}
    by_name = {rd["name"]: rd for rd in described.values()}
    ordered = list(described.values())
    out = []
    for n, raw in enumerate(results, 1):
        item = as_result(raw)
        if not (item.value or item.achieved_level or item.status):
            continue
        key = item.result_description
        rd = described.get(key) or by_name.get(key) or (
            ordered[int(key) - 1] if key.isdigit() and 0 < int(key) <= len(ordered) else None)
        field = f"result_{n}"
        if rd is None:
            errors[field] = "unknown_choice"
            continue
        level_id = None
        if item.achieved_level:
            levels = {lv["name"]: lv["id"] for lv in rd.get("rubricCriterionLevel", [])}
            level_id = levels.get(item.achieved_level) or (
                item.achieved_level if item.achieved_level in levels.values() else None)
            if level_id is None:
                errors[field] = "unknown_choice"
                continue
        if item.value:
            problem = _value_problem(rd, item.value)
            if problem:
                errors[field] = problem
                continue
        out.append(Result(result_description=rd["id"], value=item.value or None,
                          achieved_level=level_id, status=item.status or None))
    return out


def _value_problem(rd: Mapping[str, Any], value: str) -> str | None:
    return value_problem(value, allowed=rd.get("allowedValue") or (),
                         value_min=_bound(rd.get("valueMin")), value_max=_bound(rd.get("valueMax")))


def _bound(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def _files(evidence: Iterable[EvidenceInput | Mapping[str, Any]],
           errors: dict[str, str]) -> list[_File]:
    out = []
    for n, raw in enumerate(evidence, 1):
        item = as_evidence(raw)
        content = item.content
        if not (item.url or content or item.narrative):
            continue
        field = f"evidence_{n}"
        if content is not None and len(content) > MAX_EVIDENCE_BYTES:
            errors[field] = "file_too_large"
            continue
        if item.url and not catalog_url_ok(item.url):
            errors[field + "_url"] = "invalid_url"
            continue
        digest = hashlib.sha256(content).digest() if content else b""
        out.append(_File(
            name=(item.name or None), sha256=digest, size=len(content or b""),
            media_type=item.media_type, url=item.url or None, narrative=item.narrative,
            content=content if content is not None and len(content) <= KEEP_FILE_BYTES
            else None))
    return out


def catalog_url_ok(url: str) -> bool:
    """Evidence links are absolute http(s) URLs of reasonable length."""
    from openler.issuer.catalog_input import is_web_url

    return len(url) <= 500 and is_web_url(url)


def _evidence_model(f: _File) -> Evidence:
    extra: dict[str, Any] = {}
    if f.sha256:
        extra["digestSRI"] = "sha256-" + base64.b64encode(f.sha256).decode("ascii")
    ident = f.url
    if ident is None and f.sha256:  # RFC 6920 named information: the file by its hash
        ident = "ni:///sha-256;" + base64.urlsafe_b64encode(f.sha256).decode().rstrip("=")
    return Evidence(id=ident, name=f.name, narrative=f.narrative or None, **extra)


def evidence_rows(files: Iterable[_File]) -> list[dict[str, Any]]:
    """The award_evidence column values of one award's files (without ids)."""
    return [{"position": position, "name": f.name, "url": f.url,
             "sha256": f.sha256.hex() or None, "media_type": f.media_type,
             "size": f.size or None, "content": f.content}
            for position, f in enumerate(files)]
