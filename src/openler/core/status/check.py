"""Check a credential's status entries against their Bitstring Status Lists.

Spec: W3C Bitstring Status List v1.0, section 3.2 (validate algorithm: the
entry's statusPurpose must be one the list declares, the list must be at least
131,072 entries, the index must be in range, then read the bit; errors are
STATUS_RETRIEVAL_ERROR, STATUS_VERIFICATION_ERROR, STATUS_LIST_LENGTH_ERROR and
RANGE_ERROR) and 2.2 (``ttl``, in milliseconds, bounds how long a list may be
cached).

A list that cannot be fetched, verified or decoded is reported as
``could_not_check`` with a reason code, never raised: status is one check of
many and the verifier decides what "could not check" means for the user.
Signature checking of the list credential is the verification pipeline's job;
pass it in as ``verify_list_credential`` (it must check that the proof's key
belongs to the list's own ``issuer``). A cached list remembers that issuer and
whether it was verified, and ``expected_issuer`` is compared with it on every
use, cached or not: a list signed by one issuer never vouches for another
issuer's credential that happens to point at the same URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from openler.core.errors import StatusListError
from openler.core.schema.vc_rules import is_date_time_stamp, parse_date_time
from openler.core.status.bitstring import BitstringStatusList
from openler.core.status.credential import ENTRY_TYPE, LIST_CREDENTIAL_TYPE, LIST_TYPE

State = Literal["ok", "revoked", "suspended", "flagged", "could_not_check"]

_SET_STATE: dict[str, State] = {"revocation": "revoked", "suspension": "suspended"}
_SET_MESSAGE = {
    "revocation": "The issuer has revoked this credential.",
    "suspension": "The issuer has suspended this credential for now.",
}


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The outcome for one credentialStatus entry, with a stable code and plain words."""

    state: State
    code: str
    message: str
    purpose: str | None = None
    list_url: str | None = None
    index: int | None = None

    @property
    def could_not_check(self) -> bool:
        """True when the status is unknown (list missing, unverifiable or malformed)."""
        return self.state == "could_not_check"


@dataclass(frozen=True, slots=True)
class CachedList:
    """A fetched and decoded status list credential, with who issued it.

    ``issuer`` is the list credential's issuer id; ``verified`` says whether
    ``verify_list_credential`` accepted its proof (so ``issuer`` is the signer).
    """

    credential: dict[str, Any]
    bits: BitstringStatusList
    expires_at: float
    issuer: str | None = None
    verified: bool = False


class StatusListCache:
    """Keeps decoded status lists for a while so one list is not fetched per credential."""

    def __init__(
        self, *, ttl_seconds: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, CachedList] = {}

    def get(self, url: str) -> CachedList | None:
        """The cached list for url, or None if absent or expired."""
        entry = self._entries.get(url)
        if entry is None:
            return None
        if self._clock() >= entry.expires_at:
            del self._entries[url]
            return None
        return entry

    def put(self, url: str, credential: dict[str, Any], bits: BitstringStatusList, *,
            verified: bool = False) -> CachedList:
        """Remember a list, for the cache TTL or the list's own shorter ``ttl``."""
        ttl = self._ttl
        list_ttl = _subject(credential).get("ttl")
        if isinstance(list_ttl, (int, float)) and not isinstance(list_ttl, bool) and list_ttl >= 0:
            ttl = min(ttl, list_ttl / 1000.0)
        entry = CachedList(credential, bits, self._clock() + ttl, _issuer_id(credential),
                           verified)
        self._entries[url] = entry
        return entry

    def clear(self) -> None:
        """Forget every cached list."""
        self._entries.clear()


class _CouldNotCheck(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message



LIST_CLOCK_SKEW = timedelta(seconds=60)  # tolerated clock difference with the issuer

def _subject(credential: dict[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    return subject if isinstance(subject, dict) else {}


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check_status(
    credential: dict[str, Any],
    *,
    fetch_status_list: Callable[[str], dict[str, Any]],
    cache: StatusListCache | None = None,
    verify_list_credential: Callable[[dict[str, Any]], bool] | None = None,
    expected_issuer: str | None = None,
    now: datetime | None = None,
) -> list[StatusResult]:
    """The status of each credentialStatus entry (empty list when the credential has none).

    ``fetch_status_list(url)`` returns the list credential as JSON or raises;
    ``verify_list_credential(doc)`` returns whether its proof verifies (by a key of
    the list's issuer); ``expected_issuer``, when given, must be that issuer (the
    credential's own); ``now``, when given, also checks the list's validity period.
    """
    load = _Loader(fetch_status_list, cache, verify_list_credential, expected_issuer)
    results: list[StatusResult] = []
    for entry in _as_list(credential.get("credentialStatus")):
        try:
            results.append(_check_entry(entry, load, now))
        except _CouldNotCheck as problem:
            results.append(
                StatusResult(
                    "could_not_check",
                    problem.code,
                    problem.message,
                    purpose=entry.get("statusPurpose") if isinstance(entry, dict) else None,
                    list_url=(
                        entry.get("statusListCredential") if isinstance(entry, dict) else None
                    ),
                )
            )
    return results


def _check_entry(entry: Any, load: _Loader, now: datetime | None) -> StatusResult:
    if not isinstance(entry, dict) or entry.get("type") != ENTRY_TYPE:
        kind = entry.get("type") if isinstance(entry, dict) else None
        raise _CouldNotCheck(
            "status.unsupported", f"This status method ({kind!s}) is not supported."
        )
    purpose, raw_index, url = (
        entry.get("statusPurpose"),
        entry.get("statusListIndex"),
        entry.get("statusListCredential"),
    )
    if not isinstance(purpose, str) or not isinstance(url, str) or not url:
        raise _CouldNotCheck("status.entry_malformed", "The status entry is incomplete.")
    if not isinstance(raw_index, str) or not raw_index.isdecimal():
        raise _CouldNotCheck(
            "status.entry_malformed", "The status entry's index is not a whole number."
        )
    if entry.get("statusSize", 1) not in (1, "1"):
        raise _CouldNotCheck("status.unsupported", "Multi-bit status entries are not supported.")
    index = int(raw_index)
    loaded = load(url)
    _check_list(loaded.credential, purpose, now)
    if index >= loaded.bits.size:
        raise _CouldNotCheck(
            "status.range", "The status entry points past the end of the issuer's status list."
        )
    if not loaded.bits.get(index):
        message = "The issuer has not revoked or suspended this credential."
        return StatusResult("ok", "status.ok", message, purpose, url, index)
    state = _SET_STATE.get(purpose, "flagged")
    message = _SET_MESSAGE.get(purpose, f"The issuer has set a {purpose} status.")
    return StatusResult(state, f"status.{state}", message, purpose, url, index)


@dataclass(frozen=True, slots=True)
class _Loader:
    fetch: Callable[[str], dict[str, Any]]
    cache: StatusListCache | None
    verify: Callable[[dict[str, Any]], bool] | None
    expected_issuer: str | None

    def __call__(self, url: str) -> CachedList:
        """The list at url, checked against the expected issuer on every use."""
        loaded = _load_list(url, self.fetch, self.cache, self.verify)
        if self.expected_issuer is not None and loaded.issuer != self.expected_issuer:
            raise _CouldNotCheck(
                "status.list_unverified",
                "The status list was not signed by the issuer of this credential.",
            )
        return loaded


def _load_list(
    url: str,
    fetch: Callable[[str], dict[str, Any]],
    cache: StatusListCache | None,
    verify: Callable[[dict[str, Any]], bool] | None,
) -> CachedList:
    hit = cache.get(url) if cache is not None else None
    if hit is not None and (verify is None or hit.verified):
        return hit
    try:
        document = fetch(url)
    except Exception as exc:  # the fetcher is an injected port: any failure means unreachable
        raise _CouldNotCheck(
            "status.unreachable", "The issuer's status list could not be retrieved."
        ) from exc
    if not isinstance(document, dict):
        raise _CouldNotCheck("status.list_malformed", "The issuer's status list is not valid.")
    if verify is not None:
        try:
            verified = verify(document)
        except Exception as exc:  # a verifier that cannot run is "could not check", not a crash
            raise _CouldNotCheck(
                "status.list_unverified", "The issuer's status list could not be verified."
            ) from exc
        if not verified:
            raise _CouldNotCheck(
                "status.list_unverified", "The issuer's status list failed its signature check."
            )
    types = _as_list(document.get("type"))
    subject = _subject(document)
    if LIST_CREDENTIAL_TYPE not in types or subject.get("type") != LIST_TYPE:
        raise _CouldNotCheck(
            "status.list_malformed", "The issuer's status list is not a Bitstring Status List."
        )
    try:
        bits = BitstringStatusList.decode(subject.get("encodedList"))  # type: ignore[arg-type]
    except StatusListError as exc:
        raise _CouldNotCheck(
            "status.list_malformed", "The issuer's status list could not be read."
        ) from exc
    if cache is None:
        return CachedList(document, bits, 0.0, _issuer_id(document), verify is not None)
    return cache.put(url, document, bits, verified=verify is not None)


def _check_list(document: dict[str, Any], purpose: str, now: datetime | None) -> None:
    declared = _as_list(_subject(document).get("statusPurpose"))
    if purpose not in declared:
        raise _CouldNotCheck(
            "status.purpose_mismatch",
            "The issuer's status list is for a different purpose than the credential says.",
        )
    if now is None:
        return
    for name, too_early in (("validFrom", True), ("validUntil", False)):
        value = document.get(name)
        if value is None:
            continue
        if not is_date_time_stamp(value):
            raise _CouldNotCheck("status.list_malformed", "The status list has an invalid date.")
        moment = parse_date_time(value)
        # Lists are re-signed on request: a verifier whose clock (or whose "now", taken a
        # moment before the fetch) is a little behind the issuer's must not call a fresh
        # list "not yet valid". The same tolerance as for SD-JWT times.
        if (too_early and now + LIST_CLOCK_SKEW < moment) or (
                not too_early and now - LIST_CLOCK_SKEW > moment):
            raise _CouldNotCheck(
                "status.list_expired", "The issuer's status list is not currently valid."
            )
