"""The Bitstring Status List: a compressed list of one-bit statuses.

Spec: W3C Bitstring Status List v1.0, sections 2.1 (BitstringStatusListEntry),
2.2 (BitstringStatusListCredential: ``encodedList`` is the GZIP-compressed
bitstring as Multibase base64url without padding, prefix ``u``), 3.1 (bitstring
generation: index 0 is the left-most bit of the first byte; the uncompressed
list is at least 16KB = 131,072 entries) and 5.x (privacy: issuers pick indexes
at random so an index does not reveal when a credential was issued).
"""

from __future__ import annotations

import base64
import gzip
import random
import re
import secrets
import zlib
from array import array
from collections.abc import Iterable

from openler.core.errors import StatusListError, StatusListFullError

MIN_ENTRIES = 131_072
"""The spec's minimum list length in entries (16KB of one-bit statuses)."""

MAX_DECODED_BYTES = 16 * 1024 * 1024
"""Refuse lists that inflate past 16MB (128M entries): a guard against zip bombs."""


class BitstringStatusList:
    """A mutable list of one-bit statuses with random, non-revealing index allocation.

    Two things are tracked: the status bits (published) and which indexes have been
    handed out to credentials (kept by the issuer, never published).
    """

    __slots__ = ("_bits", "_size", "_allocated", "_free", "_position")

    def __init__(self, size: int = MIN_ENTRIES, *, allocated: Iterable[int] = ()) -> None:
        if size < MIN_ENTRIES:
            raise ValueError(f"a status list needs at least {MIN_ENTRIES} entries (16KB)")
        if size % 8:
            raise ValueError("the size must be a whole number of bytes (a multiple of 8)")
        self._size = size
        self._bits = bytearray(size // 8)
        self._allocated = bytearray(size // 8)
        # Free-index pool, built on first allocation: _free holds the unused indexes and
        # _position[i] is where index i sits in _free, so taking any index is O(1).
        self._free: array[int] | None = None
        self._position: array[int] | None = None
        for index in allocated:
            self.mark_allocated(index)

    # -- status bits ---------------------------------------------------------------

    @property
    def size(self) -> int:
        """Number of entries (bits) in the list."""
        return self._size

    def _check(self, index: int) -> None:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("a status list index is an int")
        if not 0 <= index < self._size:
            raise IndexError(f"status list index {index} is outside 0..{self._size - 1}")

    def get(self, index: int) -> bool:
        """Whether the status at index is set (e.g. revoked)."""
        self._check(index)
        return bool(self._bits[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int) -> None:
        """Set the status at index (revoke or suspend)."""
        self._check(index)
        self._bits[index >> 3] |= 0x80 >> (index & 7)

    def clear(self, index: int) -> None:
        """Clear the status at index (lift a suspension)."""
        self._check(index)
        self._bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF

    def set_indexes(self) -> list[int]:
        """Every index whose status is set, in order."""
        out: list[int] = []
        for byte_index, byte in enumerate(self._bits):
            if byte:
                base = byte_index * 8
                out.extend(base + bit for bit in range(8) if byte & (0x80 >> bit))
        return out

    # -- wire format ---------------------------------------------------------------

    def encode(self) -> str:
        """The ``encodedList`` value: GZIP, then multibase base64url without padding."""
        compressed = gzip.compress(bytes(self._bits), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, encoded: str) -> BitstringStatusList:
        """Read an ``encodedList``; StatusListError if it is not a valid status list."""
        raw = decode_bits(encoded)
        if len(raw) * 8 < MIN_ENTRIES:
            raise StatusListError(
                f"status list has {len(raw) * 8} entries, fewer than the minimum {MIN_ENTRIES}"
            )
        status_list = cls(len(raw) * 8)
        status_list._bits[:] = raw
        return status_list

    # -- index allocation ----------------------------------------------------------

    @property
    def allocated_count(self) -> int:
        """How many indexes have been given to credentials."""
        return self._size - self.free_count

    @property
    def free_count(self) -> int:
        """How many indexes are still available."""
        if self._free is not None:
            return len(self._free)
        return self._size - int.from_bytes(self._allocated, "big").bit_count()

    def is_allocated(self, index: int) -> bool:
        """Whether index has been given to a credential."""
        self._check(index)
        return bool(self._allocated[index >> 3] & (0x80 >> (index & 7)))

    def _build_pool(self) -> tuple[array[int], array[int]]:
        if self._free is None or self._position is None:
            if not any(self._allocated):
                free = array("I", range(self._size))
                position = array("I", range(self._size))
            else:
                free = array("I")
                for byte_index, byte in enumerate(self._allocated):
                    if byte != 0xFF:
                        base = byte_index * 8
                        free.extend(base + b for b in range(8) if not byte & (0x80 >> b))
                position = array("I", bytes(4 * self._size))
                for slot, index in enumerate(free):
                    position[index] = slot
            self._free, self._position = free, position
        return self._free, self._position

    def _take(self, index: int) -> None:
        self._allocated[index >> 3] |= 0x80 >> (index & 7)
        if self._free is None or self._position is None:
            return
        free, position = self._free, self._position
        slot, last = position[index], free[-1]
        free[slot] = last
        position[last] = slot
        free.pop()

    def mark_allocated(self, index: int) -> None:
        """Record that index is already in use (e.g. when reloading from storage)."""
        if self.is_allocated(index):
            return
        self._take(index)

    def allocate(self, rng: random.Random | None = None) -> int:
        """A free index chosen uniformly at random, so the index does not reveal issue order.

        Uses ``secrets`` unless a seeded ``random.Random`` is passed (tests).
        Raises StatusListFullError when no index is left.
        """
        free, _ = self._build_pool()
        if not free:
            raise StatusListFullError("the status list is full; start a new list")
        slot = rng.randrange(len(free)) if rng is not None else secrets.randbelow(len(free))
        index = free[slot]
        self._take(index)
        return index


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def decode_bits(encoded: str) -> bytes:
    """The raw bitstring bytes of an ``encodedList`` (StatusListError if malformed)."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url text starting with 'u'")
    body = encoded[1:]
    if not _BASE64URL.fullmatch(body) or len(body) % 4 == 1:
        raise StatusListError("encodedList is not base64url text without padding")
    compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    inflater = zlib.decompressobj(wbits=31)  # 31: GZIP container only
    try:
        raw = inflater.decompress(compressed, MAX_DECODED_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError(f"encodedList is not GZIP data: {exc}") from None
    if len(raw) > MAX_DECODED_BYTES:
        raise StatusListError("encodedList inflates past the 16MB limit")
    if not inflater.eof:
        raise StatusListError("encodedList GZIP data is truncated")
    return raw
