"""Issuing steps shared by one credential and a batch: check, add status entries, sign.

Spec: W3C VC Data Model 2.0, sections 4.7 (issuer), 4.8 (validFrom), 4.10
(credentialStatus); VC Data Integrity 1.0, section 4.2 (Add Proof); Bitstring
Status List v1.0, section 2.1 (one entry per purpose); 1EdTech OB 3.0 / CLR 2.0
JSON Schemas (one ``credentialStatus`` object, ``proof`` as an array).

The organization and its signing key are looked up once (`issuing_context`),
so a batch signs many documents with them; `openler.issuer.service` puts these
steps together for one credential. No step mutates its input document.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.orm import Session

from openler.core.errors import CoreError, DocumentLoaderError, UnsafeDataError
from openler.core.jsonld import DocumentLoader, default_loader
from openler.core.keys.multikey import KeyPair
from openler.core.models.base import format_datetime
from openler.core.proofs import sign
from openler.core.schema import validate
from openler.core.status import status_entry
from openler.core.verify.checks import VC_V2, as_list, shape_problems
from openler.issuer import keys
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.issuer.models import CRYPTOSUITE_FOR, PURPOSES, PublicBase
from openler.issuer.ports import Signer
from openler.storage.tables import Organization, new_id

if TYPE_CHECKING:
    from openler.issuer.service import IssuerConfig

MAX_ID_LENGTH = 500
SINGLE_STATUS_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential",
                                 "EndorsementCredential", "ClrCredential"})
"""1EdTech types whose JSON Schemas (OB 3.0, CLR 2.0) allow one credentialStatus object."""


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


def check_document(credential: Mapping[str, Any], *, did: str, org_name: str,
                   now: datetime) -> dict[str, Any]:
    """A new unsigned document with this issuer, an id and validFrom; IssuerInputError if unfit."""
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


@dataclass(frozen=True, slots=True)
class IssuingContext:
    """An organization's issuer identity and signer, looked up once for many credentials."""

    org_id: str
    org_name: str
    did: str
    base: PublicBase
    signer: Signer
    key_id: str


def issuing_context(db: Session, *, config: IssuerConfig, org_id: str,
                    now: datetime) -> IssuingContext:
    """The organization's name, DID and active signer (its key is created on first use)."""
    org = db.get(Organization, org_id)
    if org is None:
        raise IssuerNotFound("organization")
    return context_for(db, config=config, org=org, now=now)


def context_for(db: Session, *, config: IssuerConfig, org: Organization,
                now: datetime) -> IssuingContext:
    """``issuing_context`` for an organization row already at hand."""
    row = keys.active_key(db, vault=config.vault, org_id=org.id, now=now,
                          algorithm=config.algorithm)
    signer = keys.signer_for(row, vault=config.vault, base=config.base)
    return IssuingContext(org_id=org.id, org_name=org.name, did=config.base.org_did(org.id),
                          base=config.base, signer=signer, key_id=row.id)


def prepare_document(credential: Mapping[str, Any], *, issuing: IssuingContext,
                     now: datetime) -> dict[str, Any]:
    """A new unsigned document with this issuer, an id and validFrom, checked for shape."""
    return check_document(credential, did=issuing.did, org_name=issuing.org_name, now=now)


def sign_document(doc: Mapping[str, Any], *, issuing: IssuingContext,
                  statuses: Mapping[str, tuple[str, int]], now: datetime,
                  loader: DocumentLoader | None = None) -> dict[str, Any]:
    """The prepared document with its status entries, signed and checked against its schema.

    ``statuses`` maps each purpose of ``status_purposes(doc)`` to (list id, index).
    """
    entries = [status_entry(issuing.base.status_list_url(list_id), index, purpose)
               for purpose, (list_id, index) in statuses.items()]
    unsigned = {**doc, "credentialStatus": entries[0] if len(entries) == 1 else entries}
    signer = issuing.signer
    try:
        signed = sign(unsigned, keypair=cast(KeyPair, signer),
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
    return signed


def issued_record(doc: Mapping[str, Any], *, issuing: IssuingContext,
                  statuses: Mapping[str, tuple[str, int]], now: datetime) -> dict[str, Any]:
    """The column values remembering one issued credential (with a new row id)."""
    revocation = statuses["revocation"]
    suspension = statuses.get("suspension")
    return {"id": new_id(), "organization_id": issuing.org_id, "credential_id": doc["id"],
            "subject_id": _subject_id(doc), "signing_key_id": issuing.key_id,
            "revocation_list_id": revocation[0], "revocation_index": revocation[1],
            "suspension_list_id": suspension[0] if suspension else None,
            "suspension_index": suspension[1] if suspension else None, "issued_at": now}


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
