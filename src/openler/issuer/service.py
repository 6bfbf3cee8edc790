"""Issuer use cases: issue a credential for an organization, change its status.

Spec: W3C VC Data Model 2.0, sections 4.7 (issuer), 4.8 (validFrom), 4.10
(credentialStatus); VC Data Integrity 1.0, section 4.2 (Add Proof); Bitstring
Status List v1.0, section 2.1 (one entry per purpose); W3C CCG VC-API,
"Issue Credential" (the issuer must be, or is set to, the configured issuer).

Issuing never mutates the input: it returns a new, signed document. OB 3.0 /
CLR 2.0 credentials carry ``proof`` as a one-element array and a single
revocation ``credentialStatus`` object, so they pass the official 1EdTech
schemas as published (Data Integrity allows either proof form; the proof
hash does not cover the ``proof`` member, so the array form verifies alike). Only the
credential id, the first subject id and the status indexes are remembered.

The steps themselves (check, status entries, sign, schema check) live in
`openler.issuer.issuing`, where batch issuing (cohort jobs) uses them with the
organization and its key looked up once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.jsonld import DocumentLoader
from openler.issuer import keys, status_lists
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.issuer.issuing import (
    MAX_ID_LENGTH,
    SINGLE_STATUS_TYPES,
    IssuingContext,
    check_document,
    context_for,
    issued_record,
    issuing_context,
    prepare_document,
    sign_document,
    status_purposes,
)
from openler.issuer.models import PURPOSES, PublicBase
from openler.issuer.ports import Signer
from openler.storage.tables import Organization
from openler.storage.tables_issuer import IssuedCredential, SigningKey

__all__ = ["MAX_ID_LENGTH", "SINGLE_STATUS_TYPES", "IssuerConfig", "IssuingContext",
           "did_document", "find_issued", "issue_credential", "issue_with", "issuing_context",
           "org_signer", "prepare_document", "revoke", "set_status", "sign_document",
           "signing_keys", "status_list_document", "status_purposes", "suspend"]


@dataclass(frozen=True, slots=True)
class IssuerConfig:
    """What the issuer services need from the deployment: public URL and secret keys vault."""

    base: PublicBase
    vault: keys.KeyVault
    algorithm: str = "Ed25519"


def org_signer(db: Session, *, config: IssuerConfig, org_id: str, now: datetime) -> Signer:
    """The organization's active signing key (created on first use)."""
    row = keys.active_key(db, vault=config.vault, org_id=org_id, now=now,
                          algorithm=config.algorithm)
    return keys.signer_for(row, vault=config.vault, base=config.base)


def issue_credential(db: Session, *, config: IssuerConfig, org_id: str,
                     credential: Any, now: datetime,
                     loader: DocumentLoader | None = None) -> tuple[dict[str, Any], IssuedCredential]:
    """Sign a credential for the organization, with revocation and suspension entries."""
    if not isinstance(credential, Mapping):
        raise IssuerInputError("'credential' must be a JSON object.")
    org = db.get(Organization, org_id)
    if org is None:
        raise IssuerNotFound("organization")
    doc = check_document(credential, did=config.base.org_did(org_id), org_name=org.name,
                         now=now)
    _refuse_taken_id(db, org_id=org_id, credential_id=doc["id"])
    return _issue(db, issuing=context_for(db, config=config, org=org, now=now), doc=doc,
                  now=now, loader=loader)


def issue_with(db: Session, *, issuing: IssuingContext, credential: Mapping[str, Any],
               now: datetime) -> tuple[dict[str, Any], IssuedCredential]:
    """``issue_credential`` with the organization and signer already looked up."""
    doc = prepare_document(credential, issuing=issuing, now=now)
    _refuse_taken_id(db, org_id=issuing.org_id, credential_id=doc["id"])
    return _issue(db, issuing=issuing, doc=doc, now=now, loader=None)


def _refuse_taken_id(db: Session, *, org_id: str, credential_id: str) -> None:
    taken = db.scalars(select(IssuedCredential.id).where(
        IssuedCredential.organization_id == org_id,
        IssuedCredential.credential_id == credential_id)).first()
    if taken is not None:
        raise IssuerInputError("A credential with this id was already issued; use a new id.",
                               code="duplicate_id")


def _issue(db: Session, *, issuing: IssuingContext, doc: dict[str, Any], now: datetime,
           loader: DocumentLoader | None) -> tuple[dict[str, Any], IssuedCredential]:
    slots = {p: status_lists.allocate(db, org_id=issuing.org_id, purpose=p, now=now)
             for p in status_purposes(doc)}
    statuses = {purpose: (lst.id, index) for purpose, (lst, index) in slots.items()}
    signed = sign_document(doc, issuing=issuing, statuses=statuses, now=now, loader=loader)
    record = IssuedCredential(**issued_record(doc, issuing=issuing, statuses=statuses, now=now))
    db.add(record)
    db.flush()
    return signed, record


def find_issued(db: Session, *, org_id: str, credential_id: str) -> IssuedCredential:
    """An issued credential of this organization, by its record id or credential id."""
    stmt = select(IssuedCredential).where(
        IssuedCredential.organization_id == org_id,
        (IssuedCredential.id == credential_id) | (IssuedCredential.credential_id == credential_id))
    found = db.scalars(stmt).first()
    if found is None:
        raise IssuerNotFound("credential")
    return found


def set_status(db: Session, *, org_id: str, credential_id: str, purpose: str, value: bool,
               now: datetime) -> IssuedCredential:
    """Revoke or suspend (``value=True``), or lift a suspension (``False``)."""
    if purpose not in PURPOSES:
        raise IssuerInputError("statusPurpose must be 'revocation' or 'suspension'.")
    record = find_issued(db, org_id=org_id, credential_id=credential_id)
    list_id = record.revocation_list_id if purpose == "revocation" else record.suspension_list_id
    index = record.revocation_index if purpose == "revocation" else record.suspension_index
    if list_id is None or index is None:
        raise IssuerInputError(f"This credential has no {purpose} status entry.")
    row = status_lists.get_list(db, list_id=list_id, org_id=org_id)
    if purpose == "revocation" and not value and status_lists.is_set(row, index):
        raise IssuerInputError("A revocation cannot be undone; issue a new credential.")
    status_lists.set_bit(db, row=row, index=index, value=value, now=now)
    return record


def revoke(db: Session, *, org_id: str, credential_id: str, now: datetime) -> IssuedCredential:
    """Revoke for good."""
    return set_status(db, org_id=org_id, credential_id=credential_id, purpose="revocation",
                      value=True, now=now)


def suspend(db: Session, *, org_id: str, credential_id: str, now: datetime,
            lift: bool = False) -> IssuedCredential:
    """Suspend, or lift a suspension."""
    return set_status(db, org_id=org_id, credential_id=credential_id, purpose="suspension",
                      value=not lift, now=now)


def status_list_document(db: Session, *, config: IssuerConfig, list_id: str,
                         now: datetime) -> dict[str, Any]:
    """The signed BitstringStatusListCredential behind a public list URL."""
    row = status_lists.get_list(db, list_id=list_id)
    signer = org_signer(db, config=config, org_id=row.organization_id, now=now)
    return status_lists.signed_list_credential(row, base=config.base, signer=signer, now=now)


def did_document(db: Session, *, config: IssuerConfig, org_id: str) -> dict[str, Any]:
    """The organization's did.json (404 until it has a key)."""
    if not org_id.isalnum():
        raise IssuerNotFound("DID document")
    return keys.did_document(db, base=config.base, org_id=org_id)


def signing_keys(db: Session, *, org_id: str) -> list[SigningKey]:
    """The organization's keys, oldest first (for its own pages)."""
    return keys.published_keys(db, org_id=org_id)
