"""The trust registry: which issuers a verifying organization recognises, and who vouched.

Spec: the Digital Credentials Consortium issuer registry format (a JSON object
whose ``registry`` object is keyed by issuer DID, each entry with ``name`` and
optionally ``url`` and ``location``; ``meta.created``/``meta.updated``), read as
the DCC's issuer-registry-client reads it; W3C DID Core 1.0 section 3.1 (DID
syntax). A registry file is imported entry by entry: an entry with a bad DID,
no name, or a DID already listed (in the file or in the organization's list) is
reported and left out; every other entry is kept. A file that is not such a
registry at all changes nothing. Knowing an issuer is a recognition, not a
verification: the report shows an unknown issuer as a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from openler.storage.tables import User
from openler.storage.tables_trust import MAX_DID, TrustIssuer, TrustRegistry
from openler.verifier.registry_file import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_NAME,
    MAX_NOTE,
    is_did,
    parse_registry,
)
from openler.verifier.trust_models import (
    EntryProblem,
    ImportReport,
    ParsedRegistry,
    RegistryFileError,
    RegistryInfo,
    TrustEntry,
    TrustInputError,
    TrustNotFound,
)

__all__ = [
    "MAX_ENTRIES", "MAX_FILE_BYTES", "MAX_NAME", "MAX_NOTE", "EntryProblem", "ImportReport",
    "ParsedRegistry", "RegistryFileError", "RegistryInfo", "TrustEntry", "TrustInputError",
    "TrustLookup", "TrustNotFound", "add_issuer", "entries", "import_registry", "is_did",
    "lookup", "lookup_for", "parse_registry", "registries", "remove_issuer", "remove_registry",
]

TrustLookup = Callable[[str], TrustEntry | None]


def _names(db: Session, ids: set[str]) -> dict[str, str]:
    ids.discard("")
    if not ids:
        return {}
    return {u.id: u.name for u in db.scalars(select(User).where(User.id.in_(ids)))}


def _entry(row: TrustIssuer, names: Mapping[str, str] | None = None) -> TrustEntry:
    return TrustEntry(did=row.did, name=row.name, accreditation=row.accreditation or "",
                      url=row.url or "", location=row.location or "",
                      registry_name=row.registry_name or "", id=row.id,
                      registry_id=row.registry_id, added_at=row.added_at,
                      added_by=(names or {}).get(row.added_by or "", ""))


def lookup(db: Session, *, org_id: str, issuer_did: str) -> TrustEntry | None:
    """The organization's entry for an issuer DID, or None when it does not know the issuer."""
    if not issuer_did or len(issuer_did) > MAX_DID:
        return None
    row = db.scalar(select(TrustIssuer).where(TrustIssuer.org_id == org_id,
                                              TrustIssuer.did == issuer_did))
    return _entry(row) if row is not None else None


def lookup_for(db: Session, *, org_id: str) -> TrustLookup:
    """A lookup bound to one organization, for ``report.build(..., trust=...)``."""
    return lambda issuer_did: lookup(db, org_id=org_id, issuer_did=issuer_did)


def entries(db: Session, *, org_id: str) -> list[TrustEntry]:
    """Every recognised issuer of the organization, by name."""
    rows = list(db.scalars(select(TrustIssuer).where(TrustIssuer.org_id == org_id)
                           .order_by(TrustIssuer.name, TrustIssuer.did)))
    names = _names(db, {r.added_by or "" for r in rows})
    return [_entry(r, names) for r in rows]


def registries(db: Session, *, org_id: str) -> list[RegistryInfo]:
    """The registry files the organization imported, newest first."""
    rows = list(db.scalars(select(TrustRegistry).where(TrustRegistry.org_id == org_id)
                           .order_by(TrustRegistry.imported_at.desc(), TrustRegistry.id)))
    names = _names(db, {r.imported_by or "" for r in rows})
    return [RegistryInfo(r.id, r.name, r.updated, r.imported_at,
                         names.get(r.imported_by or "", ""), r.entry_count) for r in rows]


def add_issuer(db: Session, *, org_id: str, user_id: str | None, did: str, name: str,
               accreditation: str = "", now: datetime) -> TrustEntry:
    """Recognise one issuer by hand; TrustInputError (field -> code) changes nothing."""
    did, name, accreditation = did.strip(), name.strip(), accreditation.strip()
    errors: dict[str, str] = {}
    if not did:
        errors["did"] = "required"
    elif not is_did(did):
        errors["did"] = "bad_did"
    elif lookup(db, org_id=org_id, issuer_did=did) is not None:
        errors["did"] = "already_listed"
    if not name:
        errors["name"] = "required"
    elif len(name) > MAX_NAME:
        errors["name"] = "too_long"
    if len(accreditation) > MAX_NOTE:
        errors["accreditation"] = "too_long"
    if errors:
        raise TrustInputError(errors)
    row = TrustIssuer(org_id=org_id, did=did, name=name, accreditation=accreditation,
                      added_at=now, added_by=user_id)
    db.add(row)
    db.flush()
    return _entry(row)


def remove_issuer(db: Session, *, org_id: str, entry_id: str) -> None:
    """Stop recognising one issuer; TrustNotFound for another organization's entry."""
    row = db.get(TrustIssuer, entry_id[:32]) if entry_id else None
    if row is None or row.org_id != org_id:
        raise TrustNotFound(entry_id)
    registry = db.get(TrustRegistry, row.registry_id) if row.registry_id else None
    if registry is not None:
        registry.entry_count = max(0, registry.entry_count - 1)
    db.delete(row)
    db.flush()


def remove_registry(db: Session, *, org_id: str, registry_id: str) -> None:
    """Forget an imported registry and every issuer it brought."""
    row = db.get(TrustRegistry, registry_id[:32]) if registry_id else None
    if row is None or row.org_id != org_id:
        raise TrustNotFound(registry_id)
    db.execute(delete(TrustIssuer).where(TrustIssuer.registry_id == row.id))
    db.delete(row)
    db.flush()


def import_registry(db: Session, *, org_id: str, user_id: str | None, name: str,
                    data: bytes | str, now: datetime) -> ImportReport:
    """Import a DCC-format file: keep every good entry, report the others by DID and reason."""
    name = name.strip()
    if not name:
        raise TrustInputError({"registry_name": "required"})
    if len(name) > MAX_NAME:
        raise TrustInputError({"registry_name": "too_long"})
    parsed = parse_registry(data)
    known = set(db.scalars(select(TrustIssuer.did).where(TrustIssuer.org_id == org_id)))
    keep = [e for e in parsed.entries if e.did not in known]
    problems = list(parsed.problems)
    problems += [EntryProblem(e.did, "already_listed") for e in parsed.entries if e.did in known]
    if not keep:
        return ImportReport(None, (), tuple(problems))
    registry = TrustRegistry(org_id=org_id, name=name, updated=parsed.updated, imported_at=now,
                             imported_by=user_id, entry_count=len(keep))
    db.add(registry)
    db.flush()
    rows = [TrustIssuer(org_id=org_id, did=e.did, name=e.name, url=e.url, location=e.location,
                        registry_id=registry.id, registry_name=name, added_at=now,
                        added_by=user_id) for e in keep]
    db.add_all(rows)
    db.flush()
    return ImportReport(registry.id, tuple(_entry(r) for r in rows), tuple(problems))
