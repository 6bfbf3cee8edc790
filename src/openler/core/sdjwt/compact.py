"""The compact serialization of SD-JWT and SD-JWT+KB (RFC 9901, section 4).

    <Issuer-signed JWT>~<Disclosure 1>~...~<Disclosure N>~[<KB-JWT>]

An SD-JWT without Key Binding ends with ``~``; with Key Binding the KB-JWT
follows the last ``~``. The ``sd_hash`` of a KB-JWT covers everything up to
and including that last ``~``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from openler.core.errors import SdJwtError
from openler.core.sdjwt.encoding import b64url_decode, b64url_encode

_B64 = r"[A-Za-z0-9_-]*"
_JWT = rf"{_B64}\.{_B64}\.{_B64}"
_COMPACT = re.compile(rf"^{_JWT}~(?:{_B64}~)*(?:{_JWT})?$")
MAX_LENGTH = 1_000_000


@dataclass(frozen=True, slots=True)
class SdJwtParts:
    """The pieces of a compact SD-JWT, still encoded."""

    issuer_jwt: str
    disclosures: tuple[str, ...]
    kb_jwt: str | None

    @property
    def presented(self) -> str:
        """The SD-JWT part that a KB-JWT's ``sd_hash`` covers (ends with ``~``)."""
        return "~".join((self.issuer_jwt, *self.disclosures)) + "~"

    def serialize(self) -> str:
        """The compact form, with the KB-JWT when there is one."""
        return self.presented + (self.kb_jwt or "")


def looks_like_sd_jwt(text: str) -> bool:
    """Cheap shape test used to tell an SD-JWT from JSON or noise."""
    if not isinstance(text, str):
        return False
    text = text.strip()
    return 0 < len(text) <= MAX_LENGTH and _COMPACT.match(text) is not None


def parse(text: str) -> SdJwtParts:
    """Split a compact SD-JWT; SdJwtError if it does not have the right shape."""
    if not looks_like_sd_jwt(text):
        raise SdJwtError("not a compact SD-JWT (<JWT>~<disclosures>~[<KB-JWT>])")
    pieces = text.strip().split("~")
    kb = pieces[-1] or None
    return SdJwtParts(pieces[0], tuple(pieces[1:-1]), kb)


@dataclass(frozen=True, slots=True)
class DecodedJwt:
    """Header and claims of a JWS, read before (or without) checking its signature."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: str


def decode_jwt(token: str) -> DecodedJwt:
    """Read a compact JWS's header and JSON payload; SdJwtError if malformed."""
    parts = token.split(".")
    if len(parts) != 3:
        raise SdJwtError("a JWT has three dot-separated parts")
    try:
        header = json.loads(b64url_decode(parts[0]).decode("utf-8"))
        payload = json.loads(b64url_decode(parts[1]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SdJwtError(f"JWT header or payload is not JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise SdJwtError("JWT header and payload must be JSON objects")
    return DecodedJwt(header, payload, f"{parts[0]}.{parts[1]}")


def encode_json(value: Any) -> str:
    """base64url of compact UTF-8 JSON, for building test tokens and payloads."""
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode("utf-8"))
