"""Status list credentials, entries and checking a credential's status."""

from __future__ import annotations

import base64
import copy
import gzip
from datetime import UTC, datetime
from typing import Any

import pytest

from openler.core.schema import validate
from openler.core.status import (
    BitstringStatusList,
    StatusListCache,
    check_status,
    status_entry,
    status_list_credential,
)

ISSUER = "https://college.example/issuers/1"
REVOCATION_URL = "https://college.example/status/revocation/1"
SUSPENSION_URL = "https://college.example/status/suspension/1"
ISSUED = datetime(2024, 5, 1, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Publisher:
    """A tiny issuer side: two lists, published on demand, with a fetch counter."""

    def __init__(self) -> None:
        self.lists = {REVOCATION_URL: BitstringStatusList(), SUSPENSION_URL: BitstringStatusList()}
        self.purposes = {REVOCATION_URL: "revocation", SUSPENSION_URL: "suspension"}
        self.fetches: list[str] = []
        self.overrides: dict[str, Any] = {}

    def document(self, url: str) -> dict[str, Any]:
        return status_list_credential(
            url, ISSUER, self.purposes[url], self.lists[url].encode(), ISSUED
        )

    def fetch(self, url: str) -> dict[str, Any]:
        self.fetches.append(url)
        if url in self.overrides:
            value = self.overrides[url]
            if isinstance(value, Exception):
                raise value
            return value
        if url not in self.lists:
            raise ConnectionError("404")
        return self.document(url)


def credential_with(*entries: dict[str, Any]) -> dict[str, Any]:
    status: Any = entries[0] if len(entries) == 1 else list(entries)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "credentialSubject": {"id": "did:example:1"},
        "credentialStatus": status,
    }


def test_status_entry_shape() -> None:
    assert status_entry(REVOCATION_URL, 94567, "revocation") == {
        "id": f"{REVOCATION_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": REVOCATION_URL,
    }
    with pytest.raises(ValueError):
        status_entry(REVOCATION_URL, -1, "revocation")
    with pytest.raises(ValueError):
        status_entry(REVOCATION_URL, 1, "deletion")


def test_status_list_credential_shape() -> None:
    encoded = BitstringStatusList().encode()
    doc = status_list_credential(
        REVOCATION_URL,
        {"id": ISSUER, "name": "College"},
        "revocation",
        encoded,
        ISSUED,
        valid_until=datetime(2024, 6, 1, tzinfo=UTC),
        ttl_ms=300_000,
    )
    assert doc == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": REVOCATION_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": ISSUER, "name": "College"},
        "validFrom": "2024-05-01T00:00:00Z",
        "validUntil": "2024-06-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{REVOCATION_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
            "ttl": 300_000,
        },
    }
    assert validate(doc) == []


def test_ok_revoked_and_suspended() -> None:
    publisher = Publisher()
    publisher.lists[REVOCATION_URL].set(10)
    publisher.lists[SUSPENSION_URL].set(20)
    revoked = credential_with(status_entry(REVOCATION_URL, 10, "revocation"))
    fine = credential_with(
        status_entry(REVOCATION_URL, 11, "revocation"),
        status_entry(SUSPENSION_URL, 11, "suspension"),
    )
    suspended = credential_with(
        status_entry(REVOCATION_URL, 20, "revocation"),
        status_entry(SUSPENSION_URL, 20, "suspension"),
    )
    [result] = check_status(revoked, fetch_status_list=publisher.fetch)
    assert (result.state, result.code, result.index) == ("revoked", "status.revoked", 10)
    assert result.message == "The issuer has revoked this credential."
    assert [r.state for r in check_status(fine, fetch_status_list=publisher.fetch)] == ["ok", "ok"]
    states = [r.state for r in check_status(suspended, fetch_status_list=publisher.fetch)]
    assert states == ["ok", "suspended"]


def test_lifting_a_suspension_is_seen() -> None:
    publisher = Publisher()
    credential = credential_with(status_entry(SUSPENSION_URL, 5, "suspension"))
    publisher.lists[SUSPENSION_URL].set(5)
    assert check_status(credential, fetch_status_list=publisher.fetch)[0].state == "suspended"
    publisher.lists[SUSPENSION_URL].clear(5)
    assert check_status(credential, fetch_status_list=publisher.fetch)[0].state == "ok"


def test_no_status_means_no_results() -> None:
    credential = credential_with(status_entry(REVOCATION_URL, 1, "revocation"))
    del credential["credentialStatus"]
    assert check_status(credential, fetch_status_list=Publisher().fetch) == []


@pytest.mark.parametrize(
    ("override", "code"),
    [
        (ConnectionError("timeout"), "status.unreachable"),
        ("not json", "status.list_malformed"),
        ({"type": ["VerifiableCredential"], "credentialSubject": {}}, "status.list_malformed"),
    ],
)
def test_unreachable_or_malformed_list_could_not_be_checked(override: Any, code: str) -> None:
    publisher = Publisher()
    publisher.overrides[REVOCATION_URL] = override
    credential = credential_with(status_entry(REVOCATION_URL, 1, "revocation"))
    [result] = check_status(credential, fetch_status_list=publisher.fetch)
    assert result.could_not_check
    assert result.code == code
    assert result.list_url == REVOCATION_URL


def test_undecodable_list_could_not_be_checked() -> None:
    publisher = Publisher()
    broken = publisher.document(REVOCATION_URL)
    broken["credentialSubject"]["encodedList"] = "uNotGzip"
    publisher.overrides[REVOCATION_URL] = broken
    credential = credential_with(status_entry(REVOCATION_URL, 1, "revocation"))
    [result] = check_status(credential, fetch_status_list=publisher.fetch)
    assert (result.state, result.code) == ("could_not_check", "status.list_malformed")


def test_short_list_could_not_be_checked() -> None:
    publisher = Publisher()
    short = publisher.document(REVOCATION_URL)
    short["credentialSubject"]["encodedList"] = "u" + base64.urlsafe_b64encode(
        gzip.compress(bytes(100))
    ).decode().rstrip("=")
    publisher.overrides[REVOCATION_URL] = short
    [result] = check_status(
        credential_with(status_entry(REVOCATION_URL, 1, "revocation")),
        fetch_status_list=publisher.fetch,
    )
    assert result.code == "status.list_malformed"


def test_purpose_must_match_the_list() -> None:
    publisher = Publisher()
    credential = credential_with(status_entry(SUSPENSION_URL, 1, "revocation"))
    [result] = check_status(credential, fetch_status_list=publisher.fetch)
    assert (result.state, result.code) == ("could_not_check", "status.purpose_mismatch")


def test_a_list_may_declare_several_purposes() -> None:
    publisher = Publisher()
    doc = publisher.document(REVOCATION_URL)
    doc["credentialSubject"]["statusPurpose"] = ["revocation", "suspension"]
    publisher.overrides[REVOCATION_URL] = doc
    credential = credential_with(status_entry(REVOCATION_URL, 1, "suspension"))
    assert check_status(credential, fetch_status_list=publisher.fetch)[0].state == "ok"


def test_index_past_the_end_is_a_range_error() -> None:
    entry = status_entry(REVOCATION_URL, 131_072, "revocation")
    [result] = check_status(credential_with(entry), fetch_status_list=Publisher().fetch)
    assert (result.state, result.code) == ("could_not_check", "status.range")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"statusListIndex": "twelve"}, "status.entry_malformed"),
        ({"statusListIndex": 12}, "status.entry_malformed"),
        ({"statusListCredential": None}, "status.entry_malformed"),
        ({"type": "1EdTechRevocationList"}, "status.unsupported"),
        ({"statusSize": 2}, "status.unsupported"),
    ],
)
def test_entries_we_cannot_use_are_reported(change: dict[str, Any], code: str) -> None:
    entry = status_entry(REVOCATION_URL, 1, "revocation") | change
    [result] = check_status(credential_with(entry), fetch_status_list=Publisher().fetch)
    assert (result.state, result.code) == ("could_not_check", code)


def test_list_credential_verification_hook() -> None:
    publisher = Publisher()
    publisher.lists[REVOCATION_URL].set(1)
    credential = credential_with(status_entry(REVOCATION_URL, 1, "revocation"))
    seen: list[dict[str, Any]] = []

    def approve(document: dict[str, Any]) -> bool:
        seen.append(document)
        return True

    result = check_status(
        credential, fetch_status_list=publisher.fetch, verify_list_credential=approve
    )
    assert result[0].state == "revoked"
    assert seen and seen[0]["id"] == REVOCATION_URL

    rejected = check_status(
        credential, fetch_status_list=publisher.fetch, verify_list_credential=lambda doc: False
    )
    assert (rejected[0].state, rejected[0].code) == ("could_not_check", "status.list_unverified")

    def broken(document: dict[str, Any]) -> bool:
        raise RuntimeError("no key")

    failed = check_status(
        credential, fetch_status_list=publisher.fetch, verify_list_credential=broken
    )
    assert failed[0].code == "status.list_unverified"


def test_list_validity_period_is_checked_when_now_is_given() -> None:
    publisher = Publisher()
    doc = publisher.document(REVOCATION_URL)
    doc["validUntil"] = "2024-05-02T00:00:00Z"
    publisher.overrides[REVOCATION_URL] = doc
    credential = credential_with(status_entry(REVOCATION_URL, 1, "revocation"))
    inside = check_status(
        credential, fetch_status_list=publisher.fetch, now=datetime(2024, 5, 1, 12, tzinfo=UTC)
    )
    after = check_status(
        credential, fetch_status_list=publisher.fetch, now=datetime(2024, 5, 3, tzinfo=UTC)
    )
    before = check_status(
        credential, fetch_status_list=publisher.fetch, now=datetime(2024, 4, 1, tzinfo=UTC)
    )
    assert inside[0].state == "ok"
    assert after[0].code == before[0].code == "status.list_expired"


def test_cache_avoids_refetching_until_the_ttl_passes() -> None:
    publisher = Publisher()
    clock = FakeClock()
    cache = StatusListCache(ttl_seconds=60, clock=clock)
    credential = credential_with(status_entry(REVOCATION_URL, 3, "revocation"))
    for _ in range(3):
        assert (
            check_status(credential, fetch_status_list=publisher.fetch, cache=cache)[0].state
            == "ok"
        )
    assert publisher.fetches == [REVOCATION_URL]
    publisher.lists[REVOCATION_URL].set(3)
    clock.now += 59
    assert check_status(credential, fetch_status_list=publisher.fetch, cache=cache)[0].state == "ok"
    clock.now += 2
    assert check_status(credential, fetch_status_list=publisher.fetch, cache=cache)[0].state == (
        "revoked"
    )
    assert publisher.fetches == [REVOCATION_URL, REVOCATION_URL]


def test_cache_honours_a_shorter_list_ttl() -> None:
    publisher = Publisher()
    doc = publisher.document(REVOCATION_URL)
    doc["credentialSubject"]["ttl"] = 5_000  # milliseconds
    publisher.overrides[REVOCATION_URL] = doc
    clock = FakeClock()
    cache = StatusListCache(ttl_seconds=600, clock=clock)
    credential = credential_with(status_entry(REVOCATION_URL, 3, "revocation"))
    check_status(credential, fetch_status_list=publisher.fetch, cache=cache)
    clock.now += 4
    check_status(credential, fetch_status_list=publisher.fetch, cache=cache)
    assert len(publisher.fetches) == 1
    clock.now += 2
    check_status(credential, fetch_status_list=publisher.fetch, cache=cache)
    assert len(publisher.fetches) == 2


def test_failures_are_not_cached() -> None:
    publisher = Publisher()
    cache = StatusListCache(clock=FakeClock())
    publisher.overrides[REVOCATION_URL] = ConnectionError("down")
    credential = credential_with(status_entry(REVOCATION_URL, 3, "revocation"))
    assert check_status(credential, fetch_status_list=publisher.fetch, cache=cache)[
        0
    ].could_not_check
    del publisher.overrides[REVOCATION_URL]
    assert check_status(credential, fetch_status_list=publisher.fetch, cache=cache)[0].state == "ok"


def test_checking_does_not_touch_the_credential() -> None:
    credential = credential_with(status_entry(REVOCATION_URL, 3, "revocation"))
    before = copy.deepcopy(credential)
    check_status(credential, fetch_status_list=Publisher().fetch)
    assert credential == before


def test_cached_list_records_its_issuer_and_is_checked_on_every_use() -> None:
    publisher = Publisher()
    cache = StatusListCache(ttl_seconds=600)
    from_a = credential_with(status_entry(REVOCATION_URL, 3, "revocation"))
    approve = lambda doc: True  # noqa: E731 - the proof itself is the pipeline's concern
    [first] = check_status(from_a, fetch_status_list=publisher.fetch, cache=cache,
                           verify_list_credential=approve, expected_issuer=ISSUER)
    assert first.state == "ok"
    cached = cache.get(REVOCATION_URL)
    assert cached is not None and (cached.issuer, cached.verified) == (ISSUER, True)
    from_b = {**from_a, "issuer": "https://other.example/issuers/9"}
    [second] = check_status(from_b, fetch_status_list=publisher.fetch, cache=cache,
                            verify_list_credential=approve,
                            expected_issuer="https://other.example/issuers/9")
    assert (second.state, second.code) == ("could_not_check", "status.list_unverified")
    assert "not signed by the issuer" in second.message
    assert publisher.fetches == [REVOCATION_URL]  # the cached entry was used, and refused
    [again] = check_status(from_a, fetch_status_list=publisher.fetch, cache=cache,
                           verify_list_credential=approve, expected_issuer=ISSUER)
    assert again.state == "ok" and publisher.fetches == [REVOCATION_URL]


def test_an_unverified_cached_list_is_verified_before_a_verifying_caller_trusts_it() -> None:
    publisher = Publisher()
    cache = StatusListCache(ttl_seconds=600)
    credential = credential_with(status_entry(REVOCATION_URL, 3, "revocation"))
    check_status(credential, fetch_status_list=publisher.fetch, cache=cache)
    cached = cache.get(REVOCATION_URL)
    assert cached is not None and not cached.verified
    [refused] = check_status(credential, fetch_status_list=publisher.fetch, cache=cache,
                             verify_list_credential=lambda doc: False)
    assert refused.code == "status.list_unverified"
    assert publisher.fetches == [REVOCATION_URL, REVOCATION_URL]


def test_a_list_signed_a_moment_after_the_verifiers_now_is_still_valid() -> None:
    """Lists are re-signed on request: a few seconds of clock difference are tolerated."""
    publisher = Publisher()
    doc = publisher.document(REVOCATION_URL)
    doc["validFrom"] = "2024-05-01T12:00:30Z"
    doc["validUntil"] = "2024-05-02T00:00:00Z"
    publisher.overrides[REVOCATION_URL] = doc
    credential = credential_with(status_entry(REVOCATION_URL, 1, "revocation"))

    def at(moment: datetime) -> str:
        found = check_status(credential, fetch_status_list=publisher.fetch, now=moment)[0]
        return found.state if found.state == "ok" else found.code

    assert at(datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)) == "ok"  # 30 s behind
    assert at(datetime(2024, 5, 1, 11, 58, 0, tzinfo=UTC)) == "status.list_expired"
    assert at(datetime(2024, 5, 2, 0, 0, 30, tzinfo=UTC)) == "ok"  # 30 s past the end
    assert at(datetime(2024, 5, 2, 0, 2, 0, tzinfo=UTC)) == "status.list_expired"
