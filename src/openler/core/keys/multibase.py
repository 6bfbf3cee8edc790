"""Multibase (base58btc, prefix ``z``) and multicodec headers for Multikey.

Spec: W3C Controlled Identifiers 1.0, section 2.2.2 (Multikey) and 2.4
(Multibase); multicodec table entries ed25519-pub (0xed), p256-pub (0x1200),
ed25519-priv (0x1300), p256-priv (0x1306), each written as an unsigned varint.
"""

from __future__ import annotations

from openler.core.errors import KeyMaterialError
from openler.core.keys.base58 import b58decode, b58encode

# Two-byte varint headers of the codecs Multikey uses for our algorithms.
ED25519_PUB = b"\xed\x01"
P256_PUB = b"\x80\x24"
ED25519_PRIV = b"\x80\x26"
P256_PRIV = b"\x86\x26"


def multibase_encode(data: bytes) -> str:
    """Base58btc multibase text (``z`` prefix): the only base Multikey allows."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    """Bytes of a ``z``-prefixed multibase value, or KeyMaterialError."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) < 2:
        raise KeyMaterialError("expected base58btc multibase text starting with 'z'")
    try:
        return b58decode(text[1:])
    except ValueError as exc:
        raise KeyMaterialError(str(exc)) from None


def split_multicodec(data: bytes) -> tuple[bytes, bytes]:
    """The (two-byte header, key bytes) of a multicodec value we support."""
    header, body = bytes(data[:2]), bytes(data[2:])
    if header not in (ED25519_PUB, P256_PUB, ED25519_PRIV, P256_PRIV):
        raise KeyMaterialError(f"unsupported multicodec header 0x{header.hex()}")
    return header, body
