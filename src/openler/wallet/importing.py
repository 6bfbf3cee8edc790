"""Importing a record the learner already has: a file, a baked badge image or pasted text.

Spec: W3C VC Data Model 2.0, section 7.1 (every record is verified on arrival,
through ``service.store``); Open Badges 2.0, "Verification" (hosted and
signed assertions need the issuer's web site, so an imported 2.0 assertion is
kept as an older format whose check says plainly what could not run, and only
its dates are checked offline). Detection is in ``openler.wallet.formats``;
this module refuses duplicates and stores what is new, pending the learner's
answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.proofs.proof_config import is_datetime, parse_datetime
from openler.core.sdjwt import looks_like_sd_jwt
from openler.wallet import service
from openler.wallet.formats import Candidate, Detected, ImportRefused, detect
from openler.wallet.models import FORMAT_OB2, CheckLine, CheckReport, Outcome, Record

SOURCE = "import"
OB2_REQUIRED = ("id", "recipient", "badge", "verification", "issuedOn")

__all__ = ["Candidate", "Detected", "ImportOutcome", "ImportRefused", "detect",
           "fingerprints", "import_candidates", "ob2_report"]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The records made pending by one import, and how many were already in the wallet."""

    records: tuple[Record, ...]
    duplicates: int = 0


def _ob2_shape(assertion: Mapping[str, Any]) -> list[str]:
    problems = [f"{name} is missing" for name in OB2_REQUIRED if not assertion.get(name)]
    for name in ("issuedOn", "expires"):
        value = assertion.get(name)
        if value is not None and _moment(value) is None:
            problems.append(f"{name} is not a date-time")
    if assertion.get("recipient") and not isinstance(assertion.get("recipient"), Mapping):
        problems.append("recipient is not an object")
    return problems


def _moment(value: Any) -> datetime | None:
    if not (isinstance(value, str) and is_datetime(value)):
        return None
    try:
        return parse_datetime(value)
    except ValueError:  # the right shape but no such day (2021-02-30)
        return None


def _ob2_dates(assertion: Mapping[str, Any], now: datetime) -> CheckLine:
    expires, issued = _moment(assertion.get("expires")), _moment(assertion.get("issuedOn"))
    if expires is not None and expires < now:
        return CheckLine("validity_period", "failed", "validity.expired",
                         f"expires {assertion.get('expires')}")
    if issued is not None and issued > now:
        return CheckLine("validity_period", "failed", "validity.not_yet_valid",
                         f"issuedOn {assertion.get('issuedOn')}")
    return CheckLine("validity_period", "passed", "validity.ok")


def ob2_report(assertion: Mapping[str, Any], *, now: datetime,
               signed: bool = False) -> CheckReport:
    """What can be said about an Open Badges 2.0 assertion offline: its shape and its dates."""
    problems = _ob2_shape(assertion)
    how = "signed (JWS) assertion" if signed else "hosted assertion"
    checks = (
        CheckLine("well_formed", "failed" if problems else "passed",
                  "format.invalid" if problems else "format.ok", "; ".join(problems)),
        CheckLine("schema", "skipped", "schema.not_applicable",
                  "Open Badges 2.0 has no JSON Schema check here"),
        CheckLine("proof", "skipped", "proof.cannot_check",
                  f"Open Badges 2.0 {how}: it carries no Data Integrity proof, and its "
                  "verification needs the issuer's web site, which is not contacted",
                  could_not_check=True),
        CheckLine("issuer_key", "skipped", "issuer.unresolvable",
                  "the issuer's profile and key are published on its web site", True),
        CheckLine("status", "skipped", "status.unreachable",
                  "revocation is published on the issuer's web site", True),
        _ob2_dates(assertion, now),
    )
    outcome: Outcome = ("not_verified" if any(c.status == "failed" for c in checks)
                        else "incomplete")
    return CheckReport(outcome, checks, now.replace(microsecond=0).isoformat())


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""


def fingerprints(credential: Mapping[str, Any] | str) -> set[str]:
    """Keys that identify one credential: its content hash, and its issuer-given id."""
    if isinstance(credential, str):
        text = credential.strip()
        core = text.split("~", 1)[0] if looks_like_sd_jwt(text) else text
        return {"sha256:" + hashlib.sha256(core.encode("utf-8")).hexdigest()}
    canonical = json.dumps(credential, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    keys = {"sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()}
    item_id = credential.get("id")
    if isinstance(item_id, str) and item_id:
        keys.add(f"id:{_issuer_id(credential)}|{item_id}")
    return keys


def _held(records: Iterable[Record]) -> set[str]:
    keys: set[str] = set()
    for record in records:
        keys |= fingerprints(record.credential)
    return keys


def import_candidates(db: Session, *, config: service.WalletConfig, user_id: str,
                      candidates: Sequence[Candidate], now: datetime,
                      language: str = "en") -> ImportOutcome:
    """Verify and keep each new credential as a pending record; duplicates are left out.

    Raises ImportRefused("duplicate") when every candidate is already in the wallet.
    """
    held = _held(service.records(db, config=config, user_id=user_id))
    stored: list[Record] = []
    duplicates = 0
    for candidate in candidates:
        keys = fingerprints(candidate.credential)
        if keys & held:
            duplicates += 1
            continue
        held |= keys
        report = None
        if candidate.record_format == FORMAT_OB2 and isinstance(candidate.credential, Mapping):
            report = ob2_report(candidate.credential, now=now, signed=candidate.signed_ob2)
        stored.append(service.store(db, config=config, user_id=user_id,
                                    credential=candidate.credential, source=SOURCE, now=now,
                                    language=language, record_format=candidate.record_format,
                                    report=report))
    if not stored:
        raise ImportRefused("duplicate")
    return ImportOutcome(tuple(stored), duplicates)
