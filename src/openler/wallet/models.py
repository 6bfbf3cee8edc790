"""Domain types of the learner wallet: what a record says, and what its check found.

Spec: 1EdTech Open Badges 3.0, sections 4.1 (AchievementCredential), 4.2
(AchievementSubject), 4.3 (Achievement, Criteria, Alignment, ResultDescription),
4.4 (Result) and B.1.11 (Evidence); W3C VC Data Model 2.0, sections 4.9
(validFrom/validUntil) and 5.6 (evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from openler.core.verify import VerificationResult, message

RecordState = Literal["pending", "kept"]
Outcome = Literal["verified", "not_verified", "incomplete"]

# How a record is kept (the sealed payload's "format"); names follow the OpenID4VCI
# credential format identifiers where one exists.
FORMAT_DATA_INTEGRITY = "ldp_vc"  # VC JSON(-LD) secured with a Data Integrity proof
FORMAT_VC_JOSE = "jwt_vc"  # VC-JOSE-COSE: a compact JWS over the VC JSON
FORMAT_SD_JWT = "dc+sd-jwt"  # SD-JWT VC (compact, with its disclosures)
FORMAT_OB2 = "ob2"  # Open Badges 2.0 assertion: older format, not cryptographically verifiable
RECORD_FORMATS = (FORMAT_DATA_INTEGRITY, FORMAT_VC_JOSE, FORMAT_SD_JWT, FORMAT_OB2)
# Where a record came from (the sealed payload's "source").
RECORD_SOURCES = ("claim", "import", "offer", "self", "restore")


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or occupation the achievement is aligned to (OB 3.0 Alignment)."""

    name: str
    framework: str = ""
    code: str = ""
    url: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One result the learner obtained, with the name of what was measured."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of evidence the record points to or carries (OB 3.0 Evidence, VC DM 2.0 5.6).

    ``n`` counts every evidence entry from 1, as the download URLs do; ``url`` is set only
    for an http(s) address; ``data_url`` marks a file carried inside the record.
    """

    n: int
    name: str = ""
    description: str = ""
    narrative: str = ""
    genre: str = ""
    audience: str = ""
    url: str = ""
    data_url: bool = False
    media_type: str = ""
    size: int = 0


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What a credential says, in fields a page can show without knowing the format."""

    issuer_id: str
    issuer_name: str
    achievement_name: str
    achievement_type: str = ""
    description: str = ""
    criteria: str = ""
    results: tuple[ResultLine, ...] = ()
    skills: tuple[Skill, ...] = ()
    issued_on: str = ""
    valid_from: str = ""
    valid_until: str = ""
    credits: str = ""
    subject_id: str = ""
    # Issued by the person it is about (issuer id == subject id): self-reported learning.
    self_reported: bool = False
    # What the record offers as evidence of the achievement, in the record's order.
    evidence: tuple[EvidenceItem, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One verification check as stored: its code is turned into words at display time."""

    name: str
    status: str
    code: str
    detail: str = ""
    could_not_check: bool = False

    def message(self, language: str) -> str:
        """The plain sentence for this check in the page's language."""
        return message(self.code, language)

    def to_dict(self) -> dict[str, Any]:
        """JSON form kept inside the sealed record."""
        return {"name": self.name, "status": self.status, "code": self.code,
                "detail": self.detail, "could_not_check": self.could_not_check}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckLine:
        """Rebuild a stored check."""
        return cls(str(data.get("name", "")), str(data.get("status", "")),
                   str(data.get("code", "")), str(data.get("detail", "")),
                   bool(data.get("could_not_check", False)))


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The outcome of a verification and its ordered checks, when it ran."""

    outcome: Outcome
    checks: tuple[CheckLine, ...]
    checked_at: str

    @classmethod
    def of(cls, result: VerificationResult, *, now: datetime) -> CheckReport:
        """Keep what a verification found (codes, not sentences, so any language can show it)."""
        return cls(result.outcome, tuple(CheckLine(c.name, c.status, c.code, c.detail,
                                                   c.could_not_check) for c in result.checks),
                   now.replace(microsecond=0).isoformat())

    @property
    def status_check(self) -> CheckLine | None:
        """The revocation/suspension check, if it ran."""
        return next((c for c in self.checks if c.name == "status"), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON form kept inside the sealed record."""
        return {"outcome": self.outcome, "checked_at": self.checked_at,
                "checks": [c.to_dict() for c in self.checks]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckReport:
        """Rebuild a stored report."""
        outcome: Outcome = "not_verified"
        for known in ("verified", "incomplete"):
            if data.get("outcome") == known:
                outcome = known  # type: ignore[assignment]
        return cls(outcome, tuple(CheckLine.from_dict(c) for c in data.get("checks", [])),
                   str(data.get("checked_at", "")))


@dataclass(frozen=True, slots=True)
class Record:
    """One record in a learner's wallet, opened (decrypted)."""

    id: str
    state: RecordState
    received_at: datetime
    credential: dict[str, Any]
    summary: RecordSummary
    arrival: CheckReport
    source: str = "claim"
    format: str = FORMAT_DATA_INTEGRITY

    @property
    def self_reported(self) -> bool:
        """Added by the learner, signed only by the learner's own key."""
        return self.source == "self" or self.summary.self_reported


@dataclass(frozen=True, slots=True)
class IssuerGroup:
    """The records of one issuer, newest first, for the wallet's list page."""

    issuer_name: str
    issuer_id: str
    records: list[Record] = field(default_factory=list)
