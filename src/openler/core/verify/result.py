"""The shape of a verification: ordered named checks and the overall outcome.

DESIGN.md rule 3: verification returns a result. Each check is "passed",
"failed" or "skipped"; a skipped check is either not applicable (no
``credentialStatus``) or could not be run (status list unreachable), and the
latter sets ``could_not_check``: such a result is not "verified", but it is
not "failed" either (``outcome`` = "incomplete").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from openler.core.verify.messages import DEFAULT_LANGUAGE, message

Status = Literal["passed", "failed", "skipped"]
Kind = Literal["credential", "presentation"]
Format = Literal["json", "sd-jwt"]


@dataclass(frozen=True, slots=True)
class Check:
    """One named check with a stable code, a plain message and technical detail."""

    name: str
    status: Status
    code: str
    message: str
    detail: str = ""
    could_not_check: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form: name, status, code, message (+ detail, could_not_check)."""
        return {"name": self.name, "status": self.status, "code": self.code,
                "message": self.message, "detail": self.detail,
                "could_not_check": self.could_not_check}


def make_check(name: str, status: Status, code: str, detail: str = "", *,
               language: str = DEFAULT_LANGUAGE, could_not_check: bool = False) -> Check:
    """Build a check, looking its message up in the catalog."""
    return Check(name, status, code, message(code, language), detail, could_not_check)


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Everything a verifier reports about one credential or presentation."""

    kind: Kind
    format: Format
    checks: tuple[Check, ...]
    credentials: tuple[VerificationResult, ...] = ()
    claims: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def verified(self) -> bool:
        """True only when no check failed and every applicable check could run."""
        return self.outcome == "verified"

    @property
    def outcome(self) -> Literal["verified", "not_verified", "incomplete"]:
        """"not_verified" if anything failed, "incomplete" if a check could not run."""
        if not self.checks or any(c.status == "failed" for c in self.checks):
            return "not_verified"
        if any(c.could_not_check for c in self.checks):
            return "incomplete"
        return "verified"

    def check(self, name: str) -> Check:
        """The check called ``name`` (KeyError if absent)."""
        for item in self.checks:
            if item.name == name:
                return item
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by the CLI's --json and by the API."""
        out: dict[str, Any] = {
            "verified": self.verified, "outcome": self.outcome, "kind": self.kind,
            "format": self.format, "checks": [c.to_dict() for c in self.checks]}
        if self.kind == "presentation":
            out["credentials"] = [c.to_dict() for c in self.credentials]
        return out
