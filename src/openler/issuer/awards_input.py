"""What an award is made from: the recipient, results and evidence, as given by a form or CSV.

Spec: 1EdTech Open Badges 3.0, section 8 (Result: resultDescription, value,
achievedLevel, status; Evidence). Results and evidence may be these
dataclasses or plain mappings (camelCase or snake_case keys), so a batch
importer can pass rows straight through.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from openler.core.models import RESULT_STATUSES

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%\-#]+$")
MAX_RESULT_VALUE = 200
"""A result value longer than this is refused (form, API and cohort file alike)."""


@dataclass(frozen=True)
class ResultInput:
    """A learner's result against one result description (its id, name or 1-based number)."""

    result_description: str
    value: str = ""
    achieved_level: str = ""
    status: str = ""


@dataclass(frozen=True)
class EvidenceInput:
    """A link or an uploaded file (kept only if small; always hashed) with a name."""

    url: str = ""
    name: str = ""
    content: bytes | None = None
    media_type: str | None = None
    narrative: str = ""


def _pick(raw: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = raw.get(name)
        if value is not None:
            return str(value).strip()
    return ""


def as_result(raw: ResultInput | Mapping[str, Any]) -> ResultInput:
    """Read a result given as a dataclass or a mapping."""
    if isinstance(raw, ResultInput):
        item = raw
    else:
        item = ResultInput(
            result_description=_pick(raw, "result_description", "resultDescription", "name"),
            value=_pick(raw, "value"),
            achieved_level=_pick(raw, "achieved_level", "achievedLevel"),
            status=_pick(raw, "status"))
    status = item.status.strip()
    return ResultInput(result_description=item.result_description.strip(),
                       value=item.value.strip(), achieved_level=item.achieved_level.strip(),
                       status=status if status in RESULT_STATUSES else "")


def as_evidence(raw: EvidenceInput | Mapping[str, Any]) -> EvidenceInput:
    """Read evidence given as a dataclass or a mapping."""
    if isinstance(raw, EvidenceInput):
        item = raw
    else:
        content = raw.get("content")
        item = EvidenceInput(url=_pick(raw, "url", "id"), name=_pick(raw, "name"),
                             content=content if isinstance(content, bytes) else None,
                             media_type=_pick(raw, "media_type", "mediaType") or None,
                             narrative=_pick(raw, "narrative", "description"))
    return EvidenceInput(url=item.url.strip(), name=item.name.strip()[:255],
                         content=item.content or None,
                         media_type=(item.media_type or "")[:100] or None,
                         narrative=item.narrative.strip()[:5000])


def check_recipient(errors: dict[str, str], email: str | None,
                    did: str | None) -> tuple[str | None, str | None]:
    """Exactly one of an email address or a DID; emails are compared in lower case."""
    email = (email or "").strip().lower() or None
    did = (did or "").strip() or None
    if email is None and did is None:
        errors["recipient_email"] = "required"
    elif email is not None and did is not None:
        errors["recipient_did"] = "one_recipient"
    elif email is not None and (len(email) > 320 or not EMAIL.match(email)):
        errors["recipient_email"] = "invalid_email"
    elif did is not None and (len(did) > 500 or not DID.match(did)):
        errors["recipient_did"] = "invalid_did"
    return email, did


def value_problem(value: str, *, allowed: Collection[str] = (), value_min: str | None = None,
                  value_max: str | None = None) -> str | None:
    """The one rule for a result value, so the cohort upload and the award agree; None if fine.

    Codes: ``too_long``, ``unknown_choice`` (not an allowed value), ``invalid_number``
    (a bound is set and the value is not a number), ``out_of_range``. A bound that
    is not itself a number is ignored."""
    if len(value) > MAX_RESULT_VALUE:
        return "too_long"
    if allowed and value not in allowed:
        return "unknown_choice"
    try:
        number = float(value)
    except ValueError:
        return "invalid_number" if value_min or value_max else None
    for bound, below in ((value_min, True), (value_max, False)):
        if not bound:
            continue
        try:
            limit = float(bound)
        except ValueError:
            continue
        if (number < limit) if below else (number > limit):
            return "out_of_range"
    return None


@dataclass(frozen=True, slots=True)
class ResultRule:
    """What one result description allows, from the achievement's stored result descriptions."""

    allowed: tuple[str, ...] = ()
    value_min: str | None = None
    value_max: str | None = None

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> ResultRule:
        """From the catalog's internal shape (allowed_values, value_min, value_max)."""
        return cls(allowed=tuple(str(v) for v in stored.get("allowed_values") or ()),
                   value_min=str(stored["value_min"]) if stored.get("value_min") else None,
                   value_max=str(stored["value_max"]) if stored.get("value_max") else None)

    def problem(self, value: str) -> str | None:
        """Why this value is refused (a `value_problem` code), or None."""
        return value_problem(value, allowed=self.allowed, value_min=self.value_min,
                             value_max=self.value_max)
