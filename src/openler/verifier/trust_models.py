"""Domain types of the trust registry: recognised issuers, imported registries, import results,
and the errors of the trust services (each carrying its fields).

Spec: the Digital Credentials Consortium issuer registry format (entries keyed
by issuer DID with ``name``, ``url``, ``location``); see ``openler.verifier.trust``.

VerifierError
├── TrustInputError    a trust form is wrong (carries field -> code)
├── RegistryFileError  the file is not an issuer registry at all (carries code, detail)
└── TrustNotFound      no such entry or registry in this organization's list
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openler.verifier.requests import VerifierError


class TrustInputError(VerifierError):
    """A form for the trust registry is wrong: ``errors`` maps each field to a code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"invalid trust registry input: {errors}")
        self.errors = errors


class RegistryFileError(VerifierError):
    """The file is not an issuer registry at all (``code``); nothing was imported."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"not an issuer registry: {code} {detail}".strip())
        self.code = code
        self.detail = detail


class TrustNotFound(VerifierError):
    """No such entry or registry in this organization's list."""


@dataclass(frozen=True, slots=True)
class TrustEntry:
    """One recognised issuer, and who vouched for it (``registry_name`` empty: added by hand)."""

    did: str
    name: str
    accreditation: str = ""
    url: str = ""
    location: str = ""
    registry_name: str = ""
    id: str = ""
    registry_id: str | None = None
    added_at: datetime | None = None
    added_by: str = ""

    @property
    def by_hand(self) -> bool:
        """Added by a member of the organization, not by an imported registry."""
        return not self.registry_name


@dataclass(frozen=True, slots=True)
class RegistryInfo:
    """An imported registry as the trust page lists it."""

    id: str
    name: str
    updated: str
    imported_at: datetime
    imported_by: str
    entry_count: int


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """Why one registry entry was left out: ``key`` as written in the file, and a code."""

    key: str
    code: str  # bad_did | missing_name | not_an_object | too_long | duplicate | already_listed


@dataclass(frozen=True, slots=True)
class ParsedRegistry:
    """A registry file read entry by entry: usable entries and the problems of the others."""

    updated: str
    entries: tuple[TrustEntry, ...]
    problems: tuple[EntryProblem, ...]

    def lookup(self, issuer_did: str) -> TrustEntry | None:
        """The entry for a DID in this file (for the command line's ``--trust``)."""
        return next((e for e in self.entries if e.did == issuer_did), None)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import kept and what it left out."""

    registry_id: str | None
    added: tuple[TrustEntry, ...]
    problems: tuple[EntryProblem, ...]
