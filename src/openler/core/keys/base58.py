"""Base58btc (the Bitcoin alphabet) as used by multibase prefix ``z``.

Spec: draft-msporny-base58 and the Multibase table (``z`` = base58btc), as
referenced by W3C Controlled Identifiers 1.0, section 2.4 (Multibase).

Written here rather than taken from a package: it is thirty lines, has no
moving parts, and the values it encodes (keys of 34-35 bytes, signatures of
64 bytes) are small enough that plain big-integer arithmetic is fast.
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def b58encode(data: bytes) -> str:
    """Encode bytes as base58btc text, keeping leading zero bytes as ``1``s."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, rem = divmod(number, 58)
        digits.append(ALPHABET[rem])
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """Decode base58btc text; raises ValueError on a character outside the alphabet."""
    number = 0
    for ch in text:
        try:
            number = number * 58 + _INDEX[ch]
        except KeyError:
            raise ValueError(f"not a base58btc character: {ch!r}") from None
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body
