"""Self-reported learning: volunteering, informal learning, work and projects the learner adds.

Spec: 1EdTech Open Badges 3.0, sections 4.1 and B.1 (an OpenBadgeCredential whose
``issuer`` and ``credentialSubject.id`` are the same did:key, the learner's own, so
anyone can tell it is self-reported: ``RecordSummary.self_reported``), B.1.3
(AchievementType, ``ext:`` extensions), B.1.4 (Alignment) and B.1.11 (Evidence whose
``id`` is a ``data:`` URL, so backup, export and sharing carry the files with the
record); W3C VC Data Model 2.0, section 4.7; VC Data Integrity EdDSA Cryptosuites v1.0
(eddsa-rdfc-2022, signed only with the learner's key). The learner's name goes into
the issuer profile only when the learner asks for it (data minimisation): the
did:key alone says who signed. Every credential is checked against the bundled OB 3.0
JSON Schema before it is kept.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.jsonld import default_loader
from openler.core.proofs import sign
from openler.core.schema import validate
from openler.storage.tables import Achievement, Alignment
from openler.wallet import service
from openler.wallet.errors import WalletError, WalletNotFound
from openler.wallet.keys import OpenWallet, ensure_wallet
from openler.wallet.models import Record
from openler.wallet.self_reported_evidence import (
    evidence_files,
    evidence_items,
)
from openler.wallet.self_reported_input import (
    KINDS,
    CleanEntry,
    SelfReportedInput,
    check,
    skill_names,
)

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SOURCE = "self"
# A skill typed by the learner has no framework: it is marked as such, and named by a URN
# made from its name (Alignment.targetUrl is required), so equal names match across records.
SELF_SKILL_TYPE = "ext:SelfDescribedSkill"
SELF_SKILL_URN = "urn:openler:self-described-skill:"
# Criteria.narrative is required; it says plainly how the entry came to be, and where.
SELF_NOTE = "Self-reported: added by the learner, not checked by any organization."
ORG_PREFIX = "Where or with whom: "


class SelfReportNotValid(WalletError):
    """The signed entry breaks the OB 3.0 schema (a bug here, never the learner's input)."""

    def __init__(self, violations: list[Any]) -> None:
        super().__init__(f"self-reported credential breaks the schema: {violations}")
        self.violations = violations


@dataclass(frozen=True, slots=True)
class KnownSkill:
    """A skill or occupation some achievement of this instance is aligned to."""

    key: str
    name: str
    url: str
    framework: str = ""
    code: str = ""
    target_type: str = ""


def skill_key(name: str, url: str) -> str:
    """A short, stable key for a known skill (form values, and matching on edit)."""
    return hashlib.sha256(f"{name}\x1f{url}".encode()).hexdigest()[:16]


def known_skills(db: Session) -> list[KnownSkill]:
    """The distinct skills the instance's catalogs align their achievements to, by name."""
    rows = db.execute(select(Alignment.target_name, Alignment.target_url,
                             Alignment.target_framework, Alignment.target_code,
                             Alignment.target_type)
                      .join(Achievement, Achievement.id == Alignment.achievement_id)
                      .where(Achievement.retired_at.is_(None)))
    found: dict[str, KnownSkill] = {}
    for name, url, framework, code, target_type in rows:
        if name and url:
            key = skill_key(name, url)
            found.setdefault(key, KnownSkill(key, name, url, framework or "", code or "",
                                             target_type or ""))
    return sorted(found.values(), key=lambda s: (s.name.casefold(), s.framework, s.key))


def known_from_alignments(credential: Any) -> list[KnownSkill]:
    """The framework skills an entry is already aligned to (not the self-described ones), so
    that editing it keeps their URI, framework and code."""
    achievement = _subject(credential).get("achievement")
    items = achievement.get("alignment") if isinstance(achievement, Mapping) else None
    found = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        name, url = item.get("targetName"), item.get("targetUrl")
        if not (isinstance(name, str) and isinstance(url, str) and name and url) \
                or url.startswith(SELF_SKILL_URN):
            continue
        extra = [value if isinstance(value := item.get(k), str) else ""
                 for k in ("targetFramework", "targetCode", "targetType")]
        found.append(KnownSkill(skill_key(name, url), name, url, *extra))
    return found


def _merged(db: Session, *more: Iterable[KnownSkill]) -> tuple[dict[str, KnownSkill], set[str]]:
    """Skills a typed name can link to, the later ones winning a name (the catalogs', then
    ``more``), and the keys the learner may tick (the catalogs' only)."""
    catalogs = {s.key: s for s in known_skills(db)}
    merged = dict(catalogs)
    for group in more:
        for skill in group:
            merged.pop(skill.key, None)
            merged[skill.key] = skill
    return merged, set(catalogs)


def _alignment(skill: KnownSkill) -> dict[str, Any]:
    item: dict[str, Any] = {"type": ["Alignment"], "targetName": skill.name,
                            "targetUrl": skill.url}
    for field, value in (("targetFramework", skill.framework), ("targetCode", skill.code),
                         ("targetType", skill.target_type)):
        if value:
            item[field] = value
    return item


def _alignments(entry: CleanEntry, known: Mapping[str, KnownSkill]) -> list[dict[str, Any]]:
    by_name = {s.name.casefold(): s for s in known.values()}
    out: dict[str, dict[str, Any]] = {}
    for key in entry.known_skills:
        out[key] = _alignment(known[key])
    for name in entry.skills:
        match = by_name.get(name.casefold())
        if match is not None:  # typed the name of a skill the catalogs know: link to it
            out.setdefault(match.key, _alignment(match))
        else:
            out.setdefault(f"self:{name.casefold()}", {
                "type": ["Alignment"], "targetName": name, "targetType": SELF_SKILL_TYPE,
                "targetUrl": SELF_SKILL_URN + quote(name.casefold(), safe="")})
    return list(out.values())


def _day(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _stamp(now: datetime) -> str:
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _evidence(entry: CleanEntry, kept: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    items = [dict(item) for item in kept]
    for f in entry.files:
        encoded = base64.b64encode(f.content).decode("ascii")
        items.append({"id": f"data:{f.media_type};base64,{encoded}", "type": ["Evidence"],
                      "name": f.name,
                      "description": f.description or f"File added by the learner: {f.name}"})
    return items


def build(entry: CleanEntry, *, did: str, learner_name: str, known: Mapping[str, KnownSkill],
          now: datetime, achievement_id: str | None = None,
          kept_evidence: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of an entry, issued by and about the learner."""
    issuer: dict[str, Any] = {"id": did, "type": ["Profile"]}
    if entry.show_name and learner_name.strip():
        issuer["name"] = learner_name.strip()
    narrative = SELF_NOTE + (f"\n\n{ORG_PREFIX}{entry.organization}" if entry.organization
                             else "")
    achievement: dict[str, Any] = {
        "id": achievement_id or f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"],
        "achievementType": KINDS[entry.kind], "name": entry.title,
        "description": entry.description, "criteria": {"narrative": narrative}}
    alignments = _alignments(entry, known)
    if alignments:
        achievement["alignment"] = alignments
    subject: dict[str, Any] = {"id": did, "type": ["AchievementSubject"],
                               "activityStartDate": _day(entry.start), "achievement": achievement}
    if entry.end is not None:
        subject["activityEndDate"] = _day(entry.end)
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3], "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": entry.title,
        "issuer": issuer, "validFrom": _stamp(now), "credentialSubject": subject}
    evidence = _evidence(entry, kept_evidence)
    if evidence:
        credential["evidence"] = evidence
    return credential


def sign_entry(wallet: OpenWallet, credential: Mapping[str, Any], *,
               now: datetime) -> dict[str, Any]:
    """The credential signed with the learner's key, and checked against the OB 3.0 schema."""
    pair = wallet.keypair()
    signed = sign(credential, keypair=pair, verification_method=pair.id or "",
                  created=now.replace(microsecond=0), loader=default_loader())
    proof = signed["proof"]
    violations = validate({**signed, "proof": proof if isinstance(proof, list) else [proof]})
    if violations:
        raise SelfReportNotValid(violations)
    return signed


def add(db: Session, *, config: service.WalletConfig, user_id: str, data: SelfReportedInput,
        learner_name: str, now: datetime, language: str = "en",
        suggested: Iterable[KnownSkill] = ()) -> Record:
    """Sign the learner's entry with their own key and keep it (InvalidSelfReport if not).
    ``suggested``: framework skills the learner added from suggestions; a skill typed with
    one of their names is aligned to it (URI, framework, code), not self-described."""
    known, tickable = _merged(db, suggested)
    entry = check(data, today=now, known=tickable)
    wallet = ensure_wallet(db, master=config.master, user_id=user_id, now=now)
    credential = build(entry, did=wallet.did, learner_name=learner_name, known=known, now=now)
    signed = sign_entry(wallet, credential, now=now)
    return service.store(db, config=config, user_id=user_id, credential=signed, source=SOURCE,
                         state="kept", now=now, language=language)


def _subject(credential: Any) -> Mapping[str, Any]:
    subject = credential.get("credentialSubject") if isinstance(credential, Mapping) else None
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    return subject if isinstance(subject, Mapping) else {}


def editable(record: Record, did: str) -> bool:
    """Whether the learner can edit the record: self-reported and signed by this wallet."""
    return (record.self_reported and isinstance(record.credential, Mapping)
            and record.summary.issuer_id == did and record.summary.subject_id == did)


def own_entry(db: Session, *, config: service.WalletConfig, user_id: str, record_id: str,
              now: datetime) -> Record:
    """The learner's own self-reported record (WalletNotFound for anything else)."""
    record = service.get_record(db, config=config, user_id=user_id, record_id=record_id)
    did = service.wallet_did(db, config=config, user_id=user_id, now=now)
    if not editable(record, did):
        raise WalletNotFound("self-reported record")
    return record


def form_values(record: Record, known: Iterable[KnownSkill]) -> SelfReportedInput:
    """The entry as the form shows it for editing (reading back what ``build`` wrote)."""
    credential = record.credential
    subject = _subject(credential)
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else {}
    achievement = achievement if isinstance(achievement, Mapping) else {}
    kinds = {v: k for k, v in KINDS.items()}
    criteria = achievement.get("criteria")
    narrative = str(criteria.get("narrative", "")) if isinstance(criteria, Mapping) else ""
    organization = next((line[len(ORG_PREFIX):] for line in narrative.split("\n")
                         if line.startswith(ORG_PREFIX)), "")
    keys = {s.key for s in known}
    typed, picked = [], []
    for skill in record.summary.skills:
        key = skill_key(skill.name, skill.url)
        if key in keys:
            picked.append(key)
        else:
            typed.append(skill.name)
    issuer = credential.get("issuer") if isinstance(credential, Mapping) else None
    return SelfReportedInput(
        title=str(achievement.get("name", "")), kind=kinds.get(record.summary.achievement_type, ""),
        description=str(achievement.get("description", "")), organization=organization,
        start=str(subject.get("activityStartDate", ""))[:10],
        end=str(subject.get("activityEndDate", ""))[:10],
        skills="\n".join(skill_names("\n".join(typed))), known_skills=tuple(picked),
        keep_evidence=tuple(e.n for e in evidence_files(credential)),
        show_name=isinstance(issuer, Mapping) and bool(issuer.get("name")))


def edit(db: Session, *, config: service.WalletConfig, user_id: str, record_id: str,
         data: SelfReportedInput, learner_name: str, now: datetime,
         language: str = "en", suggested: Iterable[KnownSkill] = ()) -> Record:
    """Sign a new version of an entry in place of the old one; shares holding it follow."""
    from openler.wallet import self_reported_versions as versions

    record = own_entry(db, config=config, user_id=user_id, record_id=record_id, now=now)
    items = evidence_items(record.credential)
    keep = [items[n - 1] for n in dict.fromkeys(data.keep_evidence) if 1 <= n <= len(items)]
    known, tickable = _merged(db, known_from_alignments(record.credential), suggested)
    entry = check(data, today=now, known=tickable, kept_files=len(keep))
    wallet = ensure_wallet(db, master=config.master, user_id=user_id, now=now)
    achievement = _subject(record.credential).get("achievement")
    old_id = achievement.get("id") if isinstance(achievement, Mapping) else None
    credential = build(entry, did=wallet.did, learner_name=learner_name, known=known, now=now,
                       achievement_id=old_id if isinstance(old_id, str) else None,
                       kept_evidence=keep)
    signed = sign_entry(wallet, credential, now=now)
    return versions.replace(db, config=config, wallet=wallet, user_id=user_id,
                            record_id=record.id, credential=signed, now=now, language=language)
