"""Issue many awards at once (a cohort batch) with the same result as one award at a time.

Spec: as ``openler.issuer.awards`` (1EdTech Open Badges 3.0 section 8; W3C
Bitstring Status List v1.0 for the status entries). What a batch shares is
looked up once per achievement (`awards_prepared.prepare`), the status indexes
of the whole batch are reserved together, and the issued credential, award,
evidence, "issued" event and audit rows are written with one executemany
INSERT per table, together inside one savepoint. Nothing is committed here: the
caller (the cohort job) commits the batch with its own progress. Each learner still gets one award, one
event and one audit entry. The unique (organization, idempotency key)
constraint stays the last word: if another worker used a key at the same
moment, the savepoint is rolled back and the batch is redone one award at a
time, which returns the award the other worker made (the indexes reserved for
the batch then stay unused, as for a credential that fails its schema check).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openler.issuer import audit, issuing, status_lists
from openler.issuer.awards_input import EvidenceInput, ResultInput
from openler.issuer.awards_prepared import Draft, PreparedAward, draft, evidence_rows, prepare
from openler.issuer.errors import IssuerError
from openler.issuer.service import IssuerConfig
from openler.storage.tables import User, new_id
from openler.storage.tables_catalog import Award, AwardEvidence
from openler.storage.tables_issuer import IssuedCredential
from openler.storage.tables_lifecycle import AuditEntry, CredentialEvent

KEY_LOOKUP_CHUNK = 500
"""Idempotency keys per IN (...) look-up, well under every database's parameter limit."""


@dataclass(frozen=True, slots=True)
class AwardRequest:
    """One learner's award, as ``awards.award`` takes it."""

    achievement_id: str
    recipient_email: str | None = None
    recipient_did: str | None = None
    results: tuple[ResultInput, ...] = ()
    evidence: tuple[EvidenceInput, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AwardOutcome:
    """The award made (or found by its key), or why this request was refused."""

    award_id: str | None
    created: bool
    error: IssuerError | None = None


def existing_awards(db: Session, *, org_id: str, keys: Iterable[str | None]) -> dict[str, str]:
    """Idempotency key -> award id, for the keys this organization already used."""
    wanted = sorted({k for k in keys if k})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), KEY_LOOKUP_CHUNK):
        chunk = wanted[start:start + KEY_LOOKUP_CHUNK]
        stmt = select(Award.idempotency_key, Award.id).where(
            Award.organization_id == org_id, Award.idempotency_key.in_(chunk))
        found.update((key, award_id) for key, award_id in db.execute(stmt) if key)
    return found


def award_many(db: Session, *, config: IssuerConfig, org_id: str,
               requests: Sequence[AwardRequest], now: datetime) -> list[AwardOutcome]:
    """Issue every request (in one transaction, not committed); one outcome per request."""
    outcomes: list[AwardOutcome | None] = [None] * len(requests)
    seen: set[str] = set()
    repeats: list[int] = []  # a key met again in this batch: decided after the first one
    firsts: list[int] = []
    for i, request in enumerate(requests):
        key = request.idempotency_key
        (repeats if key and key in seen else firsts).append(i)
        if key:
            seen.add(key)
    known = existing_awards(db, org_id=org_id, keys=(requests[i].idempotency_key for i in firsts))
    prepared: dict[str, PreparedAward | IssuerError] = {}
    drafts: list[tuple[int, Draft, dict[str, Any]]] = []
    for i in firsts:
        request = requests[i]
        if request.idempotency_key in known:
            outcomes[i] = AwardOutcome(known[request.idempotency_key], created=False)
            continue
        try:
            drafts.append((i, *_draft(db, config, org_id, request, prepared, now)))
        except IssuerError as exc:
            outcomes[i] = AwardOutcome(None, created=False, error=exc)
    if drafts:
        # Reserving the indexes writes, so the savepoint below nests in a real transaction
        # (on SQLite, a savepoint opened outside one would commit when released).
        made, rows = _sign(db, org_id, drafts, now)
        try:
            with db.begin_nested():
                for model, values in rows.items():  # parents first, for the foreign keys
                    if values:  # a plain executemany: no ORM objects, no RETURNING
                        db.execute(cast(Table, model.__table__).insert(), values)
        except IntegrityError:  # another worker used one of these keys (or ids) meanwhile
            made = {i: _one_at_a_time(db, config, org_id, requests[i], d.prepared, now)
                    for i, d, _doc in drafts}
        for i, outcome in made.items():
            outcomes[i] = outcome
    if repeats:
        again = award_many(db, config=config, org_id=org_id,
                           requests=[requests[i] for i in repeats], now=now)
        for i, outcome in zip(repeats, again, strict=True):
            outcomes[i] = outcome  # the first one's award when it was made, found by its key
    return [o if o is not None else AwardOutcome(None, created=False) for o in outcomes]


def _draft(db: Session, config: IssuerConfig, org_id: str, request: AwardRequest,
           prepared: dict[str, PreparedAward | IssuerError],
           now: datetime) -> tuple[Draft, dict[str, Any]]:
    shared = prepared.get(request.achievement_id)
    if shared is None:
        try:
            shared = prepare(db, config=config, org_id=org_id,
                             achievement_id=request.achievement_id, now=now)
        except IssuerError as exc:  # e.g. no such achievement: every row naming it fails
            shared = exc
        prepared[request.achievement_id] = shared
    if isinstance(shared, IssuerError):
        raise shared
    made = draft(shared, recipient_email=request.recipient_email,
                 recipient_did=request.recipient_did, results=request.results,
                 evidence=request.evidence, valid_from=request.valid_from,
                 valid_until=request.valid_until, now=now,
                 idempotency_key=request.idempotency_key)
    return made, issuing.prepare_document(made.credential, issuing=shared.issuing, now=now)


def _sign(db: Session, org_id: str, drafts: list[tuple[int, Draft, dict[str, Any]]],
          now: datetime) -> tuple[dict[int, AwardOutcome], dict[Any, list[dict[str, Any]]]]:
    """Reserve the batch's status indexes, sign each draft, and lay out the rows to insert."""
    needed: dict[str, int] = {}
    for _i, _d, doc in drafts:
        for purpose in issuing.status_purposes(doc):
            needed[purpose] = needed.get(purpose, 0) + 1
    reserved = {purpose: iter(status_lists.allocate_many(db, org_id=org_id, purpose=purpose,
                                                         now=now, count=count))
                for purpose, count in needed.items()}
    actor = db.info.get(audit.ACTOR_KEY)
    user = db.get(User, actor) if actor else None
    rows: dict[Any, list[dict[str, Any]]] = {
        IssuedCredential: [], Award: [], AwardEvidence: [], CredentialEvent: [], AuditEntry: []}
    made: dict[int, AwardOutcome] = {}
    for i, d, doc in drafts:
        slots = {p: next(reserved[p]) for p in issuing.status_purposes(doc)}
        statuses = {p: (lst.id, index) for p, (lst, index) in slots.items()}
        context = d.prepared.issuing
        try:
            signed = issuing.sign_document(doc, issuing=context, statuses=statuses, now=now)
        except IssuerError as exc:  # refused for this learner only (as one award would be)
            made[i] = AwardOutcome(None, created=False, error=exc)
            continue
        record = issuing.issued_record(doc, issuing=context, statuses=statuses, now=now)
        award_id = new_id()
        rows[IssuedCredential].append(record)
        rows[Award].append({
            "id": award_id, "organization_id": org_id,
            "achievement_id": d.prepared.achievement_id, "version_id": d.prepared.version_id,
            "recipient_email": d.email, "recipient_did": d.did, "credential_id": signed["id"],
            "issued_credential_id": record["id"], "credential": signed, "status": "active",
            "idempotency_key": d.idempotency_key, "awarded_at": now,
            "status_changed_at": None})
        rows[AwardEvidence].extend({"id": new_id(), "award_id": award_id, **values}
                                   for values in evidence_rows(d.files))
        rows[CredentialEvent].append({
            "id": new_id(), "organization_id": org_id, "award_id": award_id,
            "achievement_id": d.prepared.achievement_id, "kind": "issued", "at": now})
        rows[AuditEntry].append({
            "id": new_id(), "organization_id": org_id, "actor_id": actor,
            "actor_label": user.email if user else "", "action": "award_issued",
            "target_type": "credential", "target_id": str(signed["id"])[:500],
            "target_label": d.prepared.achievement_name[:500], "detail": {},
            "private_reason": None, "at": now})
        made[i] = AwardOutcome(award_id, created=True)
    return made, rows


def _one_at_a_time(db: Session, config: IssuerConfig, org_id: str, request: AwardRequest,
                   shared: PreparedAward, now: datetime) -> AwardOutcome:
    from openler.issuer.awards import award_once

    try:
        row, created = award_once(
            db, config=config, org_id=org_id, achievement_id=request.achievement_id,
            recipient_email=request.recipient_email, recipient_did=request.recipient_did,
            results=request.results, evidence=request.evidence,
            valid_from=request.valid_from, valid_until=request.valid_until, now=now,
            idempotency_key=request.idempotency_key, prepared=shared)
    except IssuerError as exc:
        return AwardOutcome(None, created=False, error=exc)
    return AwardOutcome(row.id, created=created)
