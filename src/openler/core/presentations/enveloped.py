"""Enveloped verifiable credentials inside a presentation (VC Data Model 2.0,
section 4.13.1 "Enveloped Verifiable Credentials").

A credential secured outside JSON-LD (here an SD-JWT VC) travels as an
``EnvelopedVerifiableCredential`` whose ``id`` is a ``data:`` URL carrying the
media type and the compact token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

VC_V2 = "https://www.w3.org/ns/credentials/v2"
ENVELOPED_TYPE = "EnvelopedVerifiableCredential"
SD_JWT_MEDIA_TYPES = ("application/dc+sd-jwt", "application/vc+sd-jwt")


def envelope(token: str, *, media_type: str = "application/dc+sd-jwt") -> dict[str, Any]:
    """Wrap a compact credential so it can sit in ``verifiableCredential``."""
    return {"@context": VC_V2, "id": f"data:{media_type},{token}", "type": ENVELOPED_TYPE}


def is_enveloped(value: Any) -> bool:
    """Whether a ``verifiableCredential`` member is an enveloped credential."""
    if not isinstance(value, Mapping):
        return False
    types = value.get("type")
    return ENVELOPED_TYPE in (types if isinstance(types, list) else [types])


def unwrap(value: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (media type, content) of an enveloped credential, or None if unreadable."""
    ident = value.get("id")
    if not isinstance(ident, str) or not ident.startswith("data:") or "," not in ident:
        return None
    head, content = ident[5:].split(",", 1)
    media_type = head.split(";", 1)[0].strip().lower()
    return media_type, unquote(content) if "%" in content else content
