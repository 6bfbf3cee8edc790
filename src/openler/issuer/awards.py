"""Award one achievement version to one learner as a signed OB 3.0 AchievementCredential.

Spec: 1EdTech Open Badges 3.0, section 8 (AchievementCredential,
AchievementSubject with ``id`` or an IdentityObject of a salted, hashed email,
Result, Evidence) and W3C VC Data Model 2.0 sections 4.9 (validity period) and
5.3 (``digestSRI`` on a related resource, used here for the evidence hash).
Signing, the status entry and the schema check are done by
``openler.issuer.service.issue_credential``. An ``idempotency_key`` already
used by the organization returns the award made with it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
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
from openler.issuer import audit, catalog, service, status_lists
from openler.issuer.awards_input import (
    EvidenceInput,
    ResultInput,
    as_evidence,
    as_result,
    check_recipient,
)
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.dashboard import record_event
from openler.issuer.errors import IssuerNotFound
from openler.issuer.service import IssuerConfig
from openler.storage.tables import Organization
from openler.storage.tables_catalog import Award, AwardEvidence
from openler.storage.tables_issuer import IssuedCredential

__all__ = ["Award", "EvidenceInput", "ResultInput", "award", "get_award", "list_awards",
           "set_award_status"]

KEEP_FILE_BYTES = 64 * 1024
"""Evidence files up to this size are kept; larger ones only by name and hash."""
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class _File:
    name: str | None
    sha256: bytes
    size: int
    media_type: str | None
    content: bytes | None
    url: str | None
    narrative: str | None


def _existing(db: Session, org_id: str, key: str | None) -> Award | None:
    if not key:
        return None
    return db.scalars(select(Award).where(Award.organization_id == org_id,
                                          Award.idempotency_key == key)).first()


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
    if len(value) > 200:
        return "too_long"
    allowed = rd.get("allowedValue")
    if allowed and value not in allowed:
        return "unknown_choice"
    try:
        number = float(value)
    except ValueError:
        return "invalid_number" if rd.get("valueMin") or rd.get("valueMax") else None
    for bound, bad in ((rd.get("valueMin"), lambda b: number < b),
                       (rd.get("valueMax"), lambda b: number > b)):
        try:
            if bound is not None and bad(float(bound)):
                return "out_of_range"
        except ValueError:
            continue
    return None


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


def award(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
          recipient_email: str | None = None, recipient_did: str | None = None,
          results: Iterable[ResultInput | Mapping[str, Any]] = (),
          evidence: Iterable[EvidenceInput | Mapping[str, Any]] = (),
          valid_from: datetime | None = None, valid_until: datetime | None = None,
          now: datetime, idempotency_key: str | None = None) -> Award:
    """Issue the achievement's current version to a learner and remember the award."""
    found = _existing(db, org_id, idempotency_key)
    if found is not None:
        return found
    achievement = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    errors: dict[str, str] = {}
    if achievement.retired_at is not None:
        errors["achievement"] = "retired"
    email, did = check_recipient(errors, recipient_email, recipient_did)
    if idempotency_key is not None and len(idempotency_key) > 200:
        errors["idempotency_key"] = "too_long"
    start = valid_from or now.replace(microsecond=0)
    if valid_until is not None and valid_until <= start:
        errors["valid_until"] = "not_after_start"
    version = catalog.current_version(db, config=config, org_id=org_id,
                                      achievement_id=achievement_id, now=now)
    result_models = _results(version.document, list(results), errors)
    files = _files(list(evidence), errors)
    if errors:
        raise CatalogInputError(errors)
    org = db.get(Organization, org_id)
    subject = AchievementSubject(
        id=did,
        identifier=(IdentityObject.hashed_email(email, salt=secrets.token_hex(16)),)
        if email and not did else None,
        achievement=parse_model(AchievementModel, version.document),
        result=tuple(result_models) or None)
    credential = AchievementCredential(
        id=f"urn:uuid:{uuid.uuid4()}", name=achievement.name,
        issuer=Profile(id=config.base.org_did(org_id), name=org.name if org else None),
        valid_from=start, valid_until=valid_until, awarded_date=now.replace(microsecond=0),
        credential_subject=subject,
        evidence=tuple(_evidence_model(f) for f in files) or None)
    signed, record = service.issue_credential(db, config=config, org_id=org_id,
                                              credential=credential.to_json(), now=now)
    row = Award(organization_id=org_id, achievement_id=achievement.id, version_id=version.id,
                recipient_email=email, recipient_did=did, credential_id=signed["id"],
                issued_credential_id=record.id, credential=signed, status="active",
                idempotency_key=idempotency_key, awarded_at=now)
    for position, f in enumerate(files):
        row.evidence.append(AwardEvidence(
            position=position, name=f.name, url=f.url, sha256=f.sha256.hex() or None,
            media_type=f.media_type, size=f.size or None, content=f.content))
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:  # the same key was used at the same moment by another request
        found = _existing(db, org_id, idempotency_key)
        if found is None:
            raise
        return found
    record_event(db, org_id=org_id, award_id=row.id, kind="issued", at=now)
    audit.record(db, org_id=org_id, action="award_issued", target_type="credential",
                 target_id=row.credential_id, target_label=achievement.name, now=now)
    return row


def get_award(db: Session, *, org_id: str, award_id: str) -> Award:
    """One award of the organization; IssuerNotFound for another organization's."""
    found = db.get(Award, award_id)
    if found is None or found.organization_id != org_id:
        raise IssuerNotFound("award")
    return found


def list_awards(db: Session, *, org_id: str, achievement_id: str | None = None,
                recipient: str | None = None) -> list[Award]:
    """The organization's awards, newest first, optionally for one achievement or learner."""
    stmt = select(Award).where(Award.organization_id == org_id)
    if achievement_id:
        stmt = stmt.where(Award.achievement_id == achievement_id)
    if recipient:
        value = recipient.strip()
        stmt = stmt.where((Award.recipient_email == value.lower()) |
                          (Award.recipient_did == value))
    rows = list(db.scalars(stmt.order_by(Award.awarded_at.desc(), Award.id)))
    for row in rows:
        _sync_status(db, row)
    return rows


def _sync_status(db: Session, row: Award) -> None:
    """Read the status lists, so a change made through the VC-API shows here too."""
    record = db.get(IssuedCredential, row.issued_credential_id)
    if record is None:
        return
    status = "active"
    for list_id, index, name in ((record.suspension_list_id, record.suspension_index,
                                  "suspended"),
                                 (record.revocation_list_id, record.revocation_index, "revoked")):
        if list_id is not None and index is not None and status_lists.is_set(
                status_lists.get_list(db, list_id=list_id, org_id=row.organization_id), index):
            status = name
    if status != row.status:
        row.status = status


STATUS_ACTIONS = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "active"}


def can_suspend(db: Session, award_row: Award) -> bool:
    """Whether the credential carries a suspension status entry."""
    record = service.find_issued(db, org_id=award_row.organization_id,
                                 credential_id=award_row.issued_credential_id)
    return record.suspension_list_id is not None


def set_award_status(db: Session, *, org_id: str, award_id: str, action: str,
                     now: datetime, reason: str | None = None) -> Award:
    """Revoke, suspend or lift a suspension, in the status list and on the award."""
    row = get_award(db, org_id=org_id, award_id=award_id)
    if action not in STATUS_ACTIONS:
        raise CatalogInputError({"action": "unknown_choice"})
    if row.status == "revoked":
        raise CatalogInputError({"action": "already_revoked"})
    if action == "revoke":
        service.revoke(db, org_id=org_id, credential_id=row.issued_credential_id, now=now)
    else:
        if not can_suspend(db, row):
            raise CatalogInputError({"action": "no_suspension"})
        service.suspend(db, org_id=org_id, credential_id=row.issued_credential_id, now=now,
                        lift=action == "unsuspend")
    row.status = STATUS_ACTIONS[action]
    row.status_changed_at = now
    db.flush()
    done = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "unsuspended"}[action]
    record_event(db, org_id=org_id, award_id=row.id, kind=done, at=now)
    audit.record(db, org_id=org_id, action=f"credential_{done}", target_type="credential",
                 target_id=row.credential_id, target_label=row.achievement.name, now=now,
                 private_reason=reason if action == "revoke" else None)
    return row
