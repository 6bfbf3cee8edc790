"""What the viewer of a share link sees: each record as shared (whole, in part, or in an
older format) with the check made when the link was opened.

Spec: W3C VC Data Model 2.0, sections 4.13.1 (enveloped credentials) and 7.1
(verification); RFC 9901 (the claims an SD-JWT VC discloses are read from the
verified credential, so nothing left out can appear); Open Badges 2.0
assertions are reported as on import (``openler.wallet.importing.ob2_report``):
"could not check", never "genuine".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openler.core.presentations import is_enveloped, unwrap
from openler.wallet import disclosure
from openler.wallet.importing import ob2_report
from openler.wallet.models import (
    FORMAT_DATA_INTEGRITY,
    FORMAT_OB2,
    FORMAT_SD_JWT,
    CheckLine,
    CheckReport,
    Outcome,
    RecordSummary,
)
from openler.wallet.summary import summarize_any


@dataclass(frozen=True, slots=True)
class SharedRecord:
    """One record as the viewer sees it: what it says and how it checks out now."""

    summary: RecordSummary
    report: CheckReport
    format: str = FORMAT_DATA_INTEGRITY
    # Added by the person sharing it (their own key), not checked by any organization.
    self_reported: bool = False
    # SD-JWT: the claims this share discloses, read from the verified credential.
    claims: tuple[disclosure.Claim, ...] = ()

    @property
    def partial(self) -> bool:
        """Shared in part: the learner chose which of its claims to show."""
        return self.format == FORMAT_SD_JWT


@dataclass(frozen=True, slots=True)
class SharedView:
    """What an opened link shows: the share's words, the records and the fresh checks."""

    audience: str
    purpose: str
    name: str
    expires_at: datetime | None
    vp: dict[str, Any]
    report: CheckReport
    records: tuple[SharedRecord, ...]


def shared_record(credential: Any, member: Any, about: dict[str, Any],
                  now: datetime) -> SharedRecord:
    """One verified member of a share's presentation as the viewer sees it."""
    report = CheckReport.of(member, now=now)
    record_format = str(about.get("format") or FORMAT_DATA_INTEGRITY)
    claimed_self = bool(about.get("self_reported"))
    legacy = disclosure.legacy_content(credential) if is_enveloped(credential) else None
    if legacy is not None:  # Open Badges 2.0: what can be said offline, as on import
        summary = summarize_any(legacy, FORMAT_OB2)
        return SharedRecord(summary, ob2_report(legacy, now=now), FORMAT_OB2,
                            claimed_self or summary.self_reported)
    if is_enveloped(credential):
        found = unwrap(credential)
        token = found[1] if found else ""
        summary = summarize_any(token, FORMAT_SD_JWT)
        return SharedRecord(summary, report, FORMAT_SD_JWT,
                            claimed_self or summary.self_reported,
                            tuple(disclosure.shown_claims(member.claims)))
    summary = summarize_any(credential, record_format)
    return SharedRecord(summary, report, record_format, claimed_self or summary.self_reported)


def overall(report: CheckReport, records: tuple[SharedRecord, ...]) -> CheckReport:
    """The presentation's report with its "credentials" check taken from the records as
    shown (an older-format badge reads "could not check", as on import, not "failed")."""
    if not records:
        return report
    outcomes = {r.report.outcome for r in records}
    if "not_verified" in outcomes:
        line = CheckLine("credentials", "failed", "credentials.failed")
    elif "incomplete" in outcomes:
        line = CheckLine("credentials", "skipped", "credentials.could_not_check",
                         could_not_check=True)
    else:
        line = CheckLine("credentials", "passed", "credentials.ok")
    checks = tuple(line if c.name == "credentials" else c for c in report.checks)
    outcome: Outcome = "verified"
    if any(c.status == "failed" for c in checks):
        outcome = "not_verified"
    elif any(c.could_not_check for c in checks):
        outcome = "incomplete"
    return CheckReport(outcome, checks, report.checked_at)
