"""What an award is made from: the recipient, results and evidence, as given by a form or CSV.

Spec: 1EdTech Open Badges 3.0, section 8 (Result: resultDescription, value,
achievedLevel, status; Evidence). Results and evidence may be these
dataclasses or plain mappings (camelCase or snake_case keys), so a batch
importer can pass rows straight through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openler.core.models import RESULT_STATUSES

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%\-#]+$")


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
