"""Build Bitstring Status List credentials and the entries that point into them.

Spec: W3C Bitstring Status List v1.0, section 2.1 (BitstringStatusListEntry:
id, type, statusPurpose, statusListIndex as a string, statusListCredential) and
2.2 (BitstringStatusListCredential whose credentialSubject is a
BitstringStatusList with statusPurpose and encodedList; optional ttl in
milliseconds).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openler.core.models.base import format_datetime
from openler.core.models.vc import VC_V2_CONTEXT

STATUS_PURPOSES = ("revocation", "suspension", "refresh", "message")
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_TYPE = "BitstringStatusList"


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"statusPurpose must be one of {', '.join(STATUS_PURPOSES)}")


def status_list_credential(
    list_id_url: str,
    issuer: str | dict[str, Any],
    purpose: str,
    encoded: str,
    valid_from: datetime,
    *,
    valid_until: datetime | None = None,
    ttl_ms: int | None = None,
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential an issuer publishes at list_id_url."""
    _check_purpose(purpose)
    subject: dict[str, Any] = {
        "id": f"{list_id_url}#list",
        "type": LIST_TYPE,
        "statusPurpose": purpose,
        "encodedList": encoded,
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    document: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": list_id_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer if isinstance(issuer, str) else dict(issuer),
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        document["validUntil"] = format_datetime(valid_until)
    document["credentialSubject"] = subject
    return document


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    """The credentialStatus entry that ties a credential to one index of a list."""
    _check_purpose(purpose)
    if not isinstance(index, int) or index < 0:
        raise ValueError("statusListIndex must be a non-negative integer")
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
