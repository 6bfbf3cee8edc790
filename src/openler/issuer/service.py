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
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.errors import CoreError, DocumentLoaderError, UnsafeDataError
from openler.core.jsonld import DocumentLoader, default_loader
from openler.core.keys.multikey import KeyPair
from openler.core.models.base import format_datetime
from openler.core.proofs import sign
from openler.core.schema import validate
from openler.core.status import status_entry
from openler.core.verify.checks import VC_V2, as_list, shape_problems
from openler.issuer import keys, status_lists
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.issuer.models import CRYPTOSUITE_FOR, PURPOSES, PublicBase
from openler.issuer.ports import Signer
from openler.storage.tables import Organization
from openler.storage.tables_issuer import IssuedCredential, SigningKey

MAX_ID_LENGTH = 500
SINGLE_STATUS_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential",
                                 "EndorsementCredential", "ClrCredential"})
"""1EdTech types whose JSON Schemas (OB 3.0, CLR 2.0) allow one credentialStatus object."""


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


def _issuer_value(value: Any, did: str) -> Any:
    if value is None:
        return did
    if isinstance(value, str):
        if value != did:
            raise IssuerInputError(f"The issuer must be this organization's DID {did}.",
                                   code="issuer_mismatch")
        return did
    if isinstance(value, Mapping):
        given = value.get("id", did)
        if given != did:
            raise IssuerInputError(f"The issuer id must be this organization's DID {did}.",
                                   code="issuer_mismatch")
        return {**value, "id": did}
    raise IssuerInputError("The issuer must be a DID string or an object with an id.")


def _is_1edtech(doc: Mapping[str, Any]) -> bool:
    return bool({t for t in as_list(doc.get("type")) if isinstance(t, str)} & SINGLE_STATUS_TYPES)


def _prepare(credential: Mapping[str, Any], *, did: str, org_name: str,
             now: datetime) -> dict[str, Any]:
    if "proof" in credential:
        raise IssuerInputError("The credential already has a proof; send it unsigned.")
    if "credentialStatus" in credential:
        raise IssuerInputError("Leave out credentialStatus: the service adds the status entries.")
    context = as_list(credential.get("@context"))
    if not context or context[0] != VC_V2:
        raise IssuerInputError(f"The credential's @context must start with {VC_V2}.")
    doc = dict(credential)
    issuer = _issuer_value(credential.get("issuer"), did)
    if _is_1edtech(doc):  # OB 3.0 / CLR 2.0: the issuer is a Profile object with a type
        issuer = {"id": did, "name": org_name} if isinstance(issuer, str) else issuer
        issuer.setdefault("type", ["Profile"])
    doc["issuer"] = issuer
    if "id" not in doc:
        doc["id"] = f"urn:uuid:{uuid.uuid4()}"
    if not isinstance(doc["id"], str) or not doc["id"] or len(doc["id"]) > MAX_ID_LENGTH:
        raise IssuerInputError("The credential id must be a URL of at most 500 characters.")
    if "validFrom" not in doc and "issuanceDate" not in doc:
        doc["validFrom"] = format_datetime(now.replace(microsecond=0))
    problems = shape_problems(doc)
    if problems:
        raise IssuerInputError("The credential is not well formed: " + "; ".join(problems) + ".")
    return doc


def _subject_id(doc: Mapping[str, Any]) -> str | None:
    for subject in as_list(doc.get("credentialSubject")):
        if isinstance(subject, Mapping) and isinstance(subject.get("id"), str):
            return subject["id"][:MAX_ID_LENGTH]
    return None


def status_purposes(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """Revocation and suspension; revocation only where the 1EdTech schema allows one entry."""
    return ("revocation",) if _is_1edtech(doc) else PURPOSES


def issue_credential(db: Session, *, config: IssuerConfig, org_id: str,
                     credential: Any, now: datetime,
                     loader: DocumentLoader | None = None) -> tuple[dict[str, Any], IssuedCredential]:
    """Sign a credential for the organization, with revocation and suspension entries."""
    if not isinstance(credential, Mapping):
        raise IssuerInputError("'credential' must be a JSON object.")
    org = db.get(Organization, org_id)
    if org is None:
        raise IssuerNotFound("organization")
    did = config.base.org_did(org_id)
    doc = _prepare(credential, did=did, org_name=org.name, now=now)
    taken = db.scalars(select(IssuedCredential.id).where(
        IssuedCredential.organization_id == org_id,
        IssuedCredential.credential_id == doc["id"])).first()
    if taken is not None:
        raise IssuerInputError("A credential with this id was already issued; use a new id.",
                               code="duplicate_id")
    row = keys.active_key(db, vault=config.vault, org_id=org_id, now=now,
                          algorithm=config.algorithm)
    signer = keys.signer_for(row, vault=config.vault, base=config.base)
    slots = {p: status_lists.allocate(db, org_id=org_id, purpose=p, now=now)
             for p in status_purposes(doc)}
    entries = [status_entry(config.base.status_list_url(lst.id), index, purpose)
               for purpose, (lst, index) in slots.items()]
    doc["credentialStatus"] = entries[0] if len(entries) == 1 else entries
    try:
        signed = sign(doc, keypair=cast(KeyPair, signer),
                      verification_method=signer.verification_method,
                      cryptosuite=CRYPTOSUITE_FOR[signer.algorithm],
                      created=now.replace(microsecond=0), loader=loader or default_loader())
    except DocumentLoaderError as exc:
        raise IssuerInputError(f"The context {exc.url} is not one this service knows.",
                               code="unknown_context") from None
    except UnsafeDataError as exc:  # JSON-LD safe mode: these would go unsigned
        shown = ", ".join(exc.paths[:10]) + (" and more" if len(exc.paths) > 10 else "")
        raise IssuerInputError(
            "These properties are not defined by the credential's contexts (or are "
            "relative types or ids), so the signature would not protect them: "
            f"{shown}.", code="undefined_terms") from None
    except CoreError as exc:  # canonicalization work limit, bad proof options, ...
        raise IssuerInputError(f"The credential could not be signed: {exc}.") from None
    except IssuerInputError:
        raise
    except Exception as exc:  # JSON-LD expansion errors (invalid @context, bad terms)
        raise IssuerInputError(f"The credential is not valid JSON-LD: {_short(exc)}.",
                               code="invalid_jsonld") from None
    if _is_1edtech(signed):
        signed["proof"] = as_list(signed["proof"])  # OB 3.0 schema: proof is an array
    _check_schema(signed)
    suspension = slots.get("suspension")
    record = IssuedCredential(
        organization_id=org_id, credential_id=doc["id"], subject_id=_subject_id(doc),
        signing_key_id=row.id,
        revocation_list_id=slots["revocation"][0].id, revocation_index=slots["revocation"][1],
        suspension_list_id=suspension[0].id if suspension else None,
        suspension_index=suspension[1] if suspension else None,
        issued_at=now)
    db.add(record)
    db.flush()
    return signed, record


def _check_schema(signed: dict[str, Any]) -> None:
    """Refuse what the official schemas (OB 3.0, CLR 2.0) or the VC 2.0 rules reject, as is."""
    try:
        violations = validate(signed)
    except (CoreError, RecursionError):
        return
    if violations:
        listed = "; ".join(f"{v.path}: {v.message}" for v in violations[:5])
        raise IssuerInputError(f"The credential does not meet its schema: {listed}.",
                               code="schema_invalid")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


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
