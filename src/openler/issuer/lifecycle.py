"""The life of an awarded credential: suspend, lift, revoke with a private reason,
expire, and reissue a corrected credential that supersedes the old one.

Spec: W3C Bitstring Status List v1.0 (revocation is final; suspension can be lifted;
the list only carries bits, never a reason), W3C VC Data Model 2.0 section 4.9
(``validUntil``) and 1EdTech Open Badges 3.0 section 8, which allows one
``credentialStatus`` entry: OB 3.0 credentials carry revocation only, so they
cannot be suspended. A reissued credential is a new credential with a new id; the
old one is revoked with the private reason "superseded" and its content is no
longer kept for staff (the learner still holds their own copy).
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.models import IdentityObject
from openler.issuer import audit, awards, service
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.dashboard import record_event
from openler.issuer.service import IssuerConfig
from openler.storage.tables_catalog import Award, AwardEvidence
from openler.storage.tables_lifecycle import AwardNote

__all__ = ["MAX_REASON", "SUPERSEDED", "display_status", "expired_ids", "is_expired",
           "note_of", "record_event", "valid_until_of", "reissue", "revoke", "suspend", "unsuspend"]

SUPERSEDED = "superseded"
MAX_REASON = 500
MAX_NAME = 200


def note_of(db: Session, award_row: Award) -> AwardNote:
    """The award's private note (created when first needed)."""
    note = db.get(AwardNote, award_row.id)
    if note is None:
        note = AwardNote(award_id=award_row.id, organization_id=award_row.organization_id)
        db.add(note)
    return note


def valid_until_of(award_row: Award) -> datetime | None:
    """The credential's validUntil, when it has one."""
    value = award_row.credential.get("validUntil") if award_row.credential else None
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def is_expired(award_row: Award, now: datetime) -> bool:
    """Whether the credential's validUntil has passed."""
    until = valid_until_of(award_row)
    return until is not None and until <= now


def display_status(award_row: Award, now: datetime) -> str:
    """revoked, suspended, expired or active, in that order of weight."""
    if award_row.status in ("revoked", "suspended"):
        return award_row.status
    return "expired" if is_expired(award_row, now) else "active"


def expired_ids(rows: list[Award], now: datetime) -> set[str]:
    """The awards in a list that are past their validUntil (and not revoked)."""
    return {r.id for r in rows if r.status != "revoked" and is_expired(r, now)}


def revoke(db: Session, *, org_id: str, award_id: str, reason: str, now: datetime) -> Award:
    """Revoke for good, keeping the reason privately (never in the status list)."""
    reason = (reason or "").strip()
    if not reason:
        raise CatalogInputError({"reason": "required"})
    if len(reason) > MAX_REASON:
        raise CatalogInputError({"reason": "too_long"})
    row = awards.set_award_status(db, org_id=org_id, award_id=award_id, action="revoke",
                                  now=now, reason=reason)
    note_of(db, row).revocation_reason = reason
    db.flush()
    return row


def suspend(db: Session, *, org_id: str, award_id: str, now: datetime) -> Award:
    """Suspend, where the credential has a suspension entry."""
    return awards.set_award_status(db, org_id=org_id, award_id=award_id, action="suspend",
                                   now=now)


def unsuspend(db: Session, *, org_id: str, award_id: str, now: datetime) -> Award:
    """Lift a suspension."""
    return awards.set_award_status(db, org_id=org_id, award_id=award_id, action="unsuspend",
                                   now=now)


def _corrected(doc: dict[str, Any], *, name: str | None,
               valid_until: datetime | None) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    for key in ("proof", "credentialStatus"):
        new.pop(key, None)
    new["id"] = f"urn:uuid:{uuid.uuid4()}"
    if valid_until is not None:
        new["validUntil"] = valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = new.get("credentialSubject")
    if name and isinstance(subject, dict):
        others = [i for i in subject.get("identifier", [])
                  if not (isinstance(i, dict) and i.get("identityType") == "name")]
        plain = IdentityObject(hashed=False, identity_hash=name, identity_type="name")
        subject["identifier"] = [*others, plain.to_json()]
    return new


def reissue(db: Session, *, config: IssuerConfig, org_id: str, award_id: str, now: datetime,
            recipient_name: str | None = None, valid_until: datetime | None = None) -> Award:
    """Issue a corrected credential, revoke the old one as superseded, forget its content."""
    old = awards.get_award(db, org_id=org_id, award_id=award_id)
    errors: dict[str, str] = {}
    if old.status == "revoked":
        errors["action"] = "already_revoked"
    name = (recipient_name or "").strip() or None
    if name is not None and len(name) > MAX_NAME:
        errors["recipient_name"] = "too_long"
    if valid_until is not None and valid_until <= now:
        errors["valid_until"] = "not_after_start"
    if name is None and valid_until is None:
        errors["recipient_name"] = "nothing_changed"
    if errors:
        raise CatalogInputError(errors)
    doc = _corrected(old.credential, name=name, valid_until=valid_until)
    signed, record = service.issue_credential(db, config=config, org_id=org_id,
                                              credential=doc, now=now)
    new = Award(organization_id=org_id, achievement_id=old.achievement_id,
                version_id=old.version_id, recipient_email=old.recipient_email,
                recipient_did=old.recipient_did, credential_id=signed["id"],
                issued_credential_id=record.id, credential=signed, status="active",
                awarded_at=now)
    for e in old.evidence:
        new.evidence.append(AwardEvidence(position=e.position, name=e.name, url=e.url,
                                          sha256=e.sha256, media_type=e.media_type,
                                          size=e.size, content=e.content))
    db.add(new)
    db.flush()
    awards.set_award_status(db, org_id=org_id, award_id=old.id, action="revoke", now=now,
                            reason=SUPERSEDED)
    old_note = note_of(db, old)
    old_note.revocation_reason = SUPERSEDED
    old_note.replaced_by_id = new.id
    old_note.recipient_name = None
    new_note = note_of(db, new)
    new_note.replaces_id = old.id
    new_note.recipient_name = name or old_note.recipient_name
    # Staff keep only the current data: the superseded content goes (the learner has it).
    old.credential = {"id": old.credential_id, "replacedBy": new.credential_id}
    record_event(db, org_id=org_id, award_id=old.id, kind="reissued", at=now)
    record_event(db, org_id=org_id, award_id=new.id, kind="issued", at=now)
    audit.record(db, org_id=org_id, action="credential_reissued", target_type="credential",
                 target_id=new.credential_id, target_label=old.achievement.name,
                 detail={"replaces": old.credential_id}, now=now)
    db.flush()
    return new
