"""Disclosures and their digests (RFC 9901, sections 4.2 and 4.2.3).

A Disclosure is the base64url (no padding) encoding of the UTF-8 JSON array
``[salt, name, value]`` for an object property or ``[salt, value]`` for an
array element. The Issuer-signed JWT carries only the base64url SHA-256 digest
of the Disclosure's ASCII text, so the text must be hashed exactly as sent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from openler.core.errors import SdJwtError

SD_ALG = "sha-256"
RESERVED_NAMES = frozenset({"_sd", "..."})


def b64url_encode(data: bytes) -> str:
    """base64url without padding, the only form JOSE and SD-JWT use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url without padding; SdJwtError on anything else."""
    if not isinstance(text, str) or any(c in text for c in "=+/ \n\t"):
        raise SdJwtError("not base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SdJwtError(f"not base64url text: {exc}") from None


def digest(text: str) -> str:
    """SHA-256 digest as embedded in `_sd` arrays and `...` array elements."""
    return b64url_encode(hashlib.sha256(text.encode("ascii")).digest())


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One decoded Disclosure: the encoded text, its digest and its parts."""

    encoded: str
    salt: str
    name: str | None  # None for an array-element Disclosure
    value: Any

    @property
    def digest(self) -> str:
        """The digest the issuer embedded for this Disclosure."""
        return digest(self.encoded)

    @property
    def is_array_element(self) -> bool:
        """True for a ``[salt, value]`` Disclosure."""
        return self.name is None


def make_disclosure(salt: str, name: str | None, value: Any) -> Disclosure:
    """Encode a new Disclosure; issuers call this once per concealed claim."""
    parts: list[Any] = [salt, value] if name is None else [salt, name, value]
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return Disclosure(b64url_encode(text.encode("utf-8")), salt, name, value)


def decode_disclosure(encoded: str) -> Disclosure:
    """Decode and structurally check a Disclosure; SdJwtError if malformed."""
    raw = b64url_decode(encoded)
    try:
        parts = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SdJwtError(f"disclosure is not JSON: {exc}") from None
    if not isinstance(parts, list) or len(parts) not in (2, 3):
        raise SdJwtError("disclosure is not a JSON array of 2 or 3 elements")
    if not isinstance(parts[0], str):
        raise SdJwtError("disclosure salt is not a string")
    if len(parts) == 2:
        return Disclosure(encoded, parts[0], None, parts[1])
    name = parts[1]
    if not isinstance(name, str):
        raise SdJwtError("disclosure claim name is not a string")
    if name in RESERVED_NAMES:
        raise SdJwtError(f"disclosure uses the reserved claim name {name!r}")
    return Disclosure(encoded, parts[0], name, parts[2])
