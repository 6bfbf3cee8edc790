"""A private HTTP client cache's rules, without any I/O: what may be stored, for how long, how old it is.

Spec: RFC 9111 (HTTP Caching), as a *private* cache of one client (the
verifier fetching status lists and did:web documents):

- section 3 (storing): only a 200 answer to a GET is kept; ``no-store`` is
  never kept; ``Vary: *`` is never kept (any other ``Vary`` is harmless here,
  because every cacheable request of one fetcher sends the same headers);
  ``private`` is allowed, since this cache serves one client.
- section 4.2.1 (freshness lifetime): ``max-age``, else ``Expires`` minus
  ``Date`` (an invalid ``Expires`` such as ``0`` means already stale);
  ``s-maxage`` is for shared caches and ignored. Heuristic freshness (4.2.2)
  is not used: an answer with no freshness information gets
  ``default_seconds`` (0 unless configured, i.e. not reused without asking).
  Every lifetime is capped at ``max_seconds`` (the fetcher's upper bound).
- section 4.2.3 (age): the ``Age`` header and the time the answer took,
  the apparent age from ``Date``, plus the time it has been resident here.
- section 4.3 (validation): a stale entry, or one marked ``no-cache``, is
  reused only after the origin answers a conditional request
  (``If-None-Match`` from ``ETag``, ``If-Modified-Since`` from
  ``Last-Modified``) with 304, whose headers then refresh the entry (4.3.4).
  An entry with neither validator nor freshness is not worth keeping.
- section 5.2.2.2 (``must-revalidate``): a stale entry so marked is never
  served when revalidation fails; others may be, within the fetcher's
  ``stale_if_error`` allowance (0 by default: never).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal

from openler.core.dids.ports import FetchResponse

Outcome = Literal["network", "cache", "revalidated", "stale"]
# Headers a 304 must not overwrite in the stored answer (RFC 9110 section 8.6, 9111 section 3.2).
_KEEP_ON_304 = frozenset({"content-length", "content-encoding", "transfer-encoding",
                          "content-range", "connection"})


@dataclass(frozen=True, slots=True)
class Directives:
    """The ``Cache-Control`` directives a private client cache acts on."""

    max_age: float | None = None
    no_store: bool = False
    no_cache: bool = False
    must_revalidate: bool = False
    invalid_max_age: bool = False


def parse_cache_control(value: str, *, pragma: str = "") -> Directives:
    """Read ``Cache-Control`` (and the old ``Pragma: no-cache`` when it is absent)."""
    max_age: float | None = None
    no_store = no_cache = must_revalidate = invalid = False
    for directive in value.lower().split(","):
        name, _, argument = directive.strip().partition("=")
        name = name.strip()
        if name == "no-store":
            no_store = True
        elif name == "no-cache":  # the qualified form no-cache="field" is treated as plain
            no_cache = True
        elif name in ("must-revalidate", "proxy-revalidate"):
            must_revalidate = True
        elif name == "max-age":
            seconds = argument.strip().strip('"')
            if seconds.isdigit():
                # several max-age directives: the smallest wins (RFC 9111 section 4.2.1)
                max_age = float(seconds) if max_age is None else min(max_age, float(seconds))
            else:
                invalid = True
    if not value.strip() and "no-cache" in pragma.lower():
        no_cache = True
    if invalid:  # a malformed max-age: treat the answer as stale (section 4.2.1)
        max_age = 0.0
    return Directives(max_age, no_store, no_cache, must_revalidate, invalid)


def http_date(value: str | None) -> float | None:
    """A POSIX timestamp from an HTTP date, or None when absent or invalid."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed.timestamp()


def _age_header(headers: Mapping[str, str]) -> float:
    value = headers.get("age", "").strip()
    return float(value) if value.isdigit() else 0.0


def freshness_lifetime(headers: Mapping[str, str], *, received_at: float,
                       default_seconds: float = 0.0, max_seconds: float = 3600.0) -> float:
    """Seconds an answer may be reused without asking, from its headers (capped)."""
    directives = parse_cache_control(headers.get("cache-control", ""),
                                     pragma=headers.get("pragma", ""))
    if directives.max_age is not None:
        lifetime = directives.max_age
    elif "expires" in headers:
        expires = http_date(headers["expires"])
        date = http_date(headers.get("date")) or received_at
        lifetime = 0.0 if expires is None else max(0.0, expires - date)
    else:
        lifetime = default_seconds
    return max(0.0, min(lifetime, max_seconds))


def initial_age(headers: Mapping[str, str], *, requested_at: float, received_at: float) -> float:
    """The answer's age when it arrived (RFC 9111 section 4.2.3, corrected_initial_age)."""
    date = http_date(headers.get("date"))
    apparent = max(0.0, received_at - date) if date is not None else 0.0
    corrected = _age_header(headers) + max(0.0, received_at - requested_at)
    return max(apparent, corrected)


def storable(response: FetchResponse) -> bool:
    """Whether a GET answer may be kept at all (RFC 9111 section 3)."""
    if response.status != 200:
        return False
    if parse_cache_control(response.headers.get("cache-control", "")).no_store:
        return False
    return response.headers.get("vary", "").strip() != "*"


def refreshed_headers(stored: Mapping[str, str], update: Mapping[str, str]) -> dict[str, str]:
    """The stored headers updated by a 304's (RFC 9111 section 3.2); old Age and Date dropped."""
    merged = {k: v for k, v in stored.items() if k not in ("age", "date")}
    for name, value in update.items():
        if name not in _KEEP_ON_304:
            merged[name] = value
    return merged


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One stored answer and the facts needed to judge it later."""

    response: FetchResponse
    received_at: float  # fetcher clock (monotonic)
    initial_age: float
    lifetime: float
    no_cache: bool
    must_revalidate: bool

    def age(self, now: float) -> float:
        """How old the answer is now, in seconds."""
        return self.initial_age + max(0.0, now - self.received_at)

    def fresh(self, now: float) -> bool:
        """Reusable without asking the origin."""
        return not self.no_cache and self.age(now) < self.lifetime

    def worth_keeping(self) -> bool:
        """Fresh for a while, or revalidatable."""
        return (self.lifetime > 0 and not self.no_cache) or bool(self.validators())

    def validators(self) -> dict[str, str]:
        """The conditional request headers that revalidate this entry."""
        conditions: dict[str, str] = {}
        headers = self.response.headers
        if headers.get("etag"):
            conditions["if-none-match"] = headers["etag"]
        if headers.get("last-modified"):
            conditions["if-modified-since"] = headers["last-modified"]
        return conditions


def make_entry(response: FetchResponse, *, requested_at: float, received_at: float,
               wall_received_at: float, default_seconds: float,
               max_seconds: float) -> CacheEntry:
    """A cache entry for ``response`` (check ``storable`` first)."""
    directives = parse_cache_control(response.headers.get("cache-control", ""),
                                     pragma=response.headers.get("pragma", ""))
    lifetime = freshness_lifetime(response.headers, received_at=wall_received_at,
                                  default_seconds=default_seconds, max_seconds=max_seconds)
    delay = max(0.0, received_at - requested_at)
    age = initial_age(response.headers, requested_at=wall_received_at - delay,
                      received_at=wall_received_at)
    return CacheEntry(response, received_at, age, lifetime, directives.no_cache,
                      directives.must_revalidate)


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """Where one GET's answer came from, for a report's technical details."""

    url: str
    outcome: Outcome
    age_seconds: float
    status: int

    @property
    def from_cache(self) -> bool:
        """The body was not downloaded again (fresh hit, 304, or stale on error)."""
        return self.outcome != "network"


def cache_seconds(cache_control: str) -> float:
    """How long an answer may be reused by ``Cache-Control`` alone: max-age, 0 for no-store/no-cache."""
    directives = parse_cache_control(cache_control)
    if directives.no_store or directives.no_cache or directives.max_age is None:
        return 0.0
    return directives.max_age
