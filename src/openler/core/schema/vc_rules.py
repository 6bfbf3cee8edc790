"""VC Data Model 2.0 envelope rules that the 1EdTech JSON Schemas do not check.

Spec: W3C Verifiable Credentials Data Model 2.0, sections 4.1 (the first
@context item MUST be https://www.w3.org/ns/credentials/v2), 4.3 (type MUST
include VerifiableCredential / VerifiablePresentation), 4.2 (id, when present,
MUST be a URL), 4.5 (issuer MUST be a URL or an object whose id is a URL), 4.6
(credentialSubject MUST be present), 4.9 (validFrom / validUntil MUST be
XMLSCHEMA11-2 dateTimeStamp values, validFrom no later than validUntil).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from openler.core.models.vc import VC_V2_CONTEXT
from openler.core.schema.violations import Violation

# XSD dateTimeStamp: a dateTime whose time zone is mandatory.
_DATE_TIME_STAMP = re.compile(
    r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))"
)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")


def is_date_time_stamp(value: object) -> bool:
    """Whether a value is an XSD dateTimeStamp (also used as the schema date-time format)."""
    if not isinstance(value, str) or not _DATE_TIME_STAMP.fullmatch(value):
        return False
    try:
        parse_date_time(value)
    except ValueError:
        return False
    return True


def parse_date_time(value: str) -> datetime:
    """A timezone-aware datetime from an XSD dateTimeStamp (ValueError if impossible)."""
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    return datetime.fromisoformat(text)


def is_url(value: object) -> bool:
    """Whether a value looks like an absolute URL or URN (a scheme, a colon, no spaces)."""
    return isinstance(value, str) and bool(_URL.fullmatch(value))


def _types(document: dict[str, Any]) -> list[Any]:
    value = document.get("type")
    return value if isinstance(value, list) else [value]


def envelope_violations(document: dict[str, Any]) -> list[Violation]:
    """VC 2.0 checks shared by credentials and presentations."""
    found: list[Violation] = []
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first != VC_V2_CONTEXT:
        found.append(Violation("$['@context']", "vc.context", f"must start with {VC_V2_CONTEXT}"))
    if "id" in document and not is_url(document["id"]):
        found.append(Violation("$.id", "vc.id", "must be a URL"))
    return found


def credential_violations(document: dict[str, Any]) -> list[Violation]:
    """VC 2.0 credential rules: context, type, issuer, subject and dates."""
    found = envelope_violations(document)
    found.extend(_type_violations(document, "VerifiableCredential"))
    found.extend(_issuer_violations(document))
    if "credentialSubject" not in document:
        found.append(Violation("$.credentialSubject", "vc.subject", "is required"))
    elif (
        not isinstance(document["credentialSubject"], (dict, list))
        or not document["credentialSubject"]
    ):
        found.append(
            Violation("$.credentialSubject", "vc.subject", "must describe at least one subject")
        )
    found.extend(_date_violations(document))
    return found


def presentation_violations(document: dict[str, Any]) -> list[Violation]:
    """VC 2.0 presentation rules: context and type."""
    found = envelope_violations(document)
    found.extend(_type_violations(document, "VerifiablePresentation"))
    holder = document.get("holder")
    if (
        holder is not None
        and not is_url(holder if isinstance(holder, str) else None)
        and not (isinstance(holder, dict) and is_url(holder.get("id")))
    ):
        found.append(Violation("$.holder", "vc.holder", "must be a URL or an object with a URL id"))
    return found


def _type_violations(document: dict[str, Any], required: str) -> list[Violation]:
    if "type" not in document:
        return [Violation("$.type", "vc.type", "is required")]
    if required not in _types(document):
        return [Violation("$.type", "vc.type", f"must include {required}")]
    return []


def _issuer_violations(document: dict[str, Any]) -> list[Violation]:
    if "issuer" not in document:
        return [Violation("$.issuer", "vc.issuer", "is required")]
    issuer = document["issuer"]
    if isinstance(issuer, str):
        return [] if is_url(issuer) else [Violation("$.issuer", "vc.issuer", "must be a URL")]
    if isinstance(issuer, dict):
        if is_url(issuer.get("id")):
            return []
        return [Violation("$.issuer.id", "vc.issuer", "must be the issuer's URL")]
    return [Violation("$.issuer", "vc.issuer", "must be a URL or an object with a URL id")]


def _date_violations(document: dict[str, Any]) -> list[Violation]:
    found: list[Violation] = []
    parsed: dict[str, datetime] = {}
    for name in ("validFrom", "validUntil"):
        if name not in document:
            continue
        value = document[name]
        if is_date_time_stamp(value):
            parsed[name] = parse_date_time(value)
        else:
            found.append(
                Violation(
                    f"$.{name}",
                    "vc.dates",
                    "must be a date and time with a time zone, like 2024-01-31T09:00:00Z",
                )
            )
    if len(parsed) == 2 and parsed["validFrom"] > parsed["validUntil"]:
        found.append(Violation("$.validUntil", "vc.dates", "must not be earlier than validFrom"))
    return found
