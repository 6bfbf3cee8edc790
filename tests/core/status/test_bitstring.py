"""Bitstring Status List: wire format, spec example, bit operations, random allocation."""

from __future__ import annotations

import base64
import gzip
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.core.errors import StatusListError
from openler.core.status import MIN_ENTRIES, BitstringStatusList, StatusListFullError, decode_bits

# The encodedList of the example BitstringStatusListCredential in the spec (section 2.2).
SPEC_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_spec_example_decodes_to_16kb_of_zeros() -> None:
    raw = decode_bits(SPEC_ENCODED_LIST)
    assert len(raw) == 16 * 1024
    assert raw == bytes(16 * 1024)
    status_list = BitstringStatusList.decode(SPEC_ENCODED_LIST)
    assert status_list.size == MIN_ENTRIES == 131_072
    assert status_list.set_indexes() == []


def test_default_size_is_the_spec_minimum() -> None:
    assert BitstringStatusList().size == 131_072


@pytest.mark.parametrize("size", [0, 8, 131_064, 100_000])
def test_lists_below_the_minimum_are_refused(size: int) -> None:
    with pytest.raises(ValueError):
        BitstringStatusList(size)


def test_size_must_be_whole_bytes() -> None:
    with pytest.raises(ValueError, match="multiple of 8"):
        BitstringStatusList(MIN_ENTRIES + 3)


def test_encoded_form_is_multibase_base64url_gzip() -> None:
    status_list = BitstringStatusList()
    status_list.set(3)
    encoded = status_list.encode()
    assert encoded.startswith("u")
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)
    body = encoded[1:]
    compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert compressed[:2] == b"\x1f\x8b"  # GZIP magic number
    raw = gzip.decompress(compressed)
    assert len(raw) == MIN_ENTRIES // 8
    assert raw[0] == 0b0001_0000  # index 0 is the left-most (most significant) bit


def test_other_implementations_can_read_what_we_write() -> None:
    status_list = BitstringStatusList()
    for index in (0, 9, 131_071):
        status_list.set(index)
    raw = gzip.decompress(base64.urlsafe_b64decode(status_list.encode()[1:] + "=="))
    bits = "".join(f"{byte:08b}" for byte in raw)
    assert [i for i, bit in enumerate(bits) if bit == "1"] == [0, 9, 131_071]


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(0, 2 * MIN_ENTRIES - 1), max_size=200))
def test_encode_decode_round_trip(indexes: set[int]) -> None:
    status_list = BitstringStatusList(2 * MIN_ENTRIES)
    for index in indexes:
        status_list.set(index)
    decoded = BitstringStatusList.decode(status_list.encode())
    assert decoded.size == 2 * MIN_ENTRIES
    assert decoded.set_indexes() == sorted(indexes)


def test_set_clear_get() -> None:
    status_list = BitstringStatusList()
    assert not status_list.get(77)
    status_list.set(77)
    assert status_list.get(77) and not status_list.get(76) and not status_list.get(78)
    status_list.set(77)
    assert status_list.set_indexes() == [77]
    status_list.clear(77)
    assert not status_list.get(77)
    status_list.clear(77)
    assert status_list.set_indexes() == []


@pytest.mark.parametrize("index", [-1, MIN_ENTRIES, 10**9])
def test_out_of_range_indexes_raise(index: int) -> None:
    status_list = BitstringStatusList()
    with pytest.raises(IndexError):
        status_list.get(index)
    with pytest.raises(IndexError):
        status_list.set(index)


def _encode_raw(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(raw)).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        ("zH4sIAAAAAAAAA", "starting with 'u'"),
        ("u***", "base64url"),
        ("uH4sI=", "base64url"),
        ("u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="), "GZIP"),
        (_encode_raw(bytes(1024)), "fewer than the minimum"),
        (_encode_raw(bytes(MIN_ENTRIES // 8))[:-12], "truncated|GZIP"),
    ],
)
def test_malformed_lists_raise_status_list_error(encoded: str, reason: str) -> None:
    with pytest.raises(StatusListError, match=reason):
        BitstringStatusList.decode(encoded)


def test_allocation_is_random_and_not_monotonic() -> None:
    status_list = BitstringStatusList()
    rng = random.Random(20240501)
    picks = [status_list.allocate(rng) for _ in range(200)]
    assert len(set(picks)) == 200
    assert picks != sorted(picks) and picks != sorted(picks, reverse=True)
    ups = sum(1 for a, b in zip(picks, picks[1:], strict=False) if b > a)
    assert 60 < ups < 140  # a random order climbs about half the time
    assert max(picks) - min(picks) > MIN_ENTRIES // 2


def test_allocation_is_roughly_uniform() -> None:
    status_list = BitstringStatusList()
    rng = random.Random(7)
    buckets = [0] * 8
    for _ in range(8000):
        buckets[status_list.allocate(rng) * 8 // MIN_ENTRIES] += 1
    assert all(800 < count < 1200 for count in buckets), buckets


def test_allocation_fills_the_list_without_duplicates_then_refuses() -> None:
    status_list = BitstringStatusList()
    rng = random.Random(99)
    picks = [status_list.allocate(rng) for _ in range(MIN_ENTRIES)]
    assert sorted(picks) == list(range(MIN_ENTRIES))
    assert status_list.free_count == 0 and status_list.allocated_count == MIN_ENTRIES
    with pytest.raises(StatusListFullError):
        status_list.allocate(rng)


def test_reloaded_allocations_are_never_handed_out_again() -> None:
    rng = random.Random(3)
    taken = set(range(0, MIN_ENTRIES, 2))  # every even index already used
    status_list = BitstringStatusList(allocated=taken)
    assert status_list.free_count == MIN_ENTRIES // 2
    picks = {status_list.allocate(rng) for _ in range(1000)}
    assert len(picks) == 1000
    assert all(index % 2 == 1 for index in picks)
    status_list.mark_allocated(1)
    status_list.mark_allocated(1)
    remaining = {status_list.allocate(rng) for _ in range(status_list.free_count)}
    assert 1 not in remaining and not (remaining & picks)
    assert len(remaining) + len(picks) + 1 == MIN_ENTRIES // 2


def test_allocation_without_an_rng_uses_the_system_source() -> None:
    status_list = BitstringStatusList()
    picks = {status_list.allocate() for _ in range(50)}
    assert len(picks) == 50
    assert all(0 <= index < MIN_ENTRIES for index in picks)
    assert all(status_list.is_allocated(index) for index in picks)


def test_allocation_does_not_touch_status_bits() -> None:
    status_list = BitstringStatusList()
    status_list.allocate(random.Random(1))
    assert status_list.set_indexes() == []
    assert status_list.encode() == BitstringStatusList().encode()
