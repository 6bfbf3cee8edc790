"""Award one achievement version to one learner as a signed OB 3.0 AchievementCredential.

Spec: 1EdTech Open Badges 3.0, section 8 (AchievementCredential,
AchievementSubject with ``id`` or an IdentityObject of a salted, hashed email,
Result, Evidence) and W3C VC Data Model 2.0 sections 4.9 (validity period) and
5.3 (``digestSRI`` on a related resource, used here for the evidence hash).
The input checks and the credential are built by ``openler.issuer.awards_prepared``;
signing, the status entry and the schema check are done by
``openler.issuer.service``. An ``idempotency_key`` already used by the
organization returns the award made with it. Many awards at once (cohort jobs):
``openler.issuer.awards_batch.award_many``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openler.issuer import audit, service, status_lists
from openler.issuer.awards_input import EvidenceInput, ResultInput
from openler.issuer.awards_prepared import (
    KEEP_FILE_BYTES,
    MAX_EVIDENCE_BYTES,
    PreparedAward,
    _evidence_model,
    _files,
    catalog_url_ok,
    draft,
    evidence_rows,
    prepare,
)
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.dashboard import record_event
from openler.issuer.errors import IssuerNotFound
from openler.issuer.service import IssuerConfig
from openler.storage.tables_catalog import Award, AwardEvidence
from openler.storage.tables_issuer import IssuedCredential

__all__ = ["KEEP_FILE_BYTES", "MAX_EVIDENCE_BYTES", "Award", "EvidenceInput", "ResultInput",
           "_evidence_model", "_files", "award", "award_once", "catalog_url_ok", "get_award",
           "list_awards", "set_award_status"]


def _existing(db: Session, org_id: str, key: str | None) -> Award | None:
    if not key:
        return None
    return db.scalars(select(Award).where(Award.organization_id == org_id,
                                          Award.idempotency_key == key)).first()


def award(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
          recipient_email: str | None = None, recipient_did: str | None = None,
          results: Iterable[ResultInput | Mapping[str, Any]] = (),
          evidence: Iterable[EvidenceInput | Mapping[str, Any]] = (),
          valid_from: datetime | None = None, valid_until: datetime | None = None,
          now: datetime, idempotency_key: str | None = None) -> Award:
    """Issue the achievement's current version to a learner and remember the award."""
    return award_once(db, config=config, org_id=org_id, achievement_id=achievement_id,
                      recipient_email=recipient_email, recipient_did=recipient_did,
                      results=results, evidence=evidence, valid_from=valid_from,
                      valid_until=valid_until, now=now, idempotency_key=idempotency_key)[0]


def award_once(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
               recipient_email: str | None = None, recipient_did: str | None = None,
               results: Iterable[ResultInput | Mapping[str, Any]] = (),
               evidence: Iterable[EvidenceInput | Mapping[str, Any]] = (),
               valid_from: datetime | None = None, valid_until: datetime | None = None,
               now: datetime, idempotency_key: str | None = None,
               prepared: PreparedAward | None = None) -> tuple[Award, bool]:
    """``award``, also saying whether the award is new (False: found by its key)."""
    found = _existing(db, org_id, idempotency_key)
    if found is not None:
        return found, False
    if prepared is None:
        prepared = prepare(db, config=config, org_id=org_id, achievement_id=achievement_id,
                           now=now)
    made = draft(prepared, recipient_email=recipient_email, recipient_did=recipient_did,
                 results=results, evidence=evidence, valid_from=valid_from,
                 valid_until=valid_until, now=now, idempotency_key=idempotency_key)
    signed, record = service.issue_with(db, issuing=prepared.issuing,
                                        credential=made.credential, now=now)
    row = Award(organization_id=org_id, achievement_id=prepared.achievement_id,
                version_id=prepared.version_id, recipient_email=made.email,
                recipient_did=made.did, credential_id=signed["id"],
                issued_credential_id=record.id, credential=signed, status="active",
                idempotency_key=idempotency_key, awarded_at=now)
    row.evidence.extend(AwardEvidence(**values) for values in evidence_rows(made.files))
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:  # the same key was used at the same moment by another request
        found = _existing(db, org_id, idempotency_key)
        if found is None:
            raise
        return found, False
    record_event(db, org_id=org_id, award_id=row.id, kind="issued", at=now)
    audit.record(db, org_id=org_id, action="award_issued", target_type="credential",
                 target_id=row.credential_id, target_label=prepared.achievement_name, now=now)
    return row, True


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
