"""SafeHttpFetcher: the production ``Fetcher`` for DID documents and other small JSON.

Spec: did:web Method Specification, sections 3.2.2 (Read) and 4 (Security
and Privacy: HTTPS); SSRF defences after the OWASP SSRF Prevention Cheat
Sheet. Every hop (the first URL and each redirect, at most three) is checked
by ``openler.core.net``; the connection itself goes through a network backend
that resolves the host, checks every address and dials a checked one, so a
DNS answer that changes between check and connect (rebinding) cannot steer
the request to a private address. TLS still verifies the certificate for the
host name (SNI and Host header are the name, not the IP).

GET answers are kept in a small private cache that follows their HTTP cache
headers (RFC 9111; the rules live in ``openler.net.http_cache``): fresh
entries are reused, stale or ``no-cache`` ones are revalidated with a
conditional GET that goes through exactly the same guarded path (checked
URL, checked redirects, pinned dial) as any other request. No freshness
information means no reuse unless ``default_cache_seconds`` says otherwise;
``max_cache_seconds`` caps every lifetime. ``recording()`` tells a caller,
per URL, whether an answer came from the cache and how old it was.

POST (``post``) is for protocol calls such as OpenID4VCI token and credential
requests: same guards, caps and deadline, no cache, no redirects followed.

Built on httpcore (the transport layer of httpx, already installed with it)
because its pluggable network backend is the supported place to pin the
dialled address; httpx's public client offers no such hook.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urljoin

import httpcore

from openler.core.dids.ports import FetchResponse
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.net import Resolve, checked_addresses, ensure_public_url
from openler.net.http_cache import (
    CacheEntry,
    CacheInfo,
    Outcome,
    cache_seconds,
    make_entry,
    refreshed_headers,
    storable,
)

__all__ = ["DEFAULT_ACCEPT", "REDIRECTS", "SafeHttpFetcher", "cache_seconds"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_ACCEPT = "application/did+json, application/did+ld+json, application/json;q=0.9, */*;q=0.1"


class _GuardedBackend(httpcore.NetworkBackend):
    """Dials only addresses that passed the guard, re-resolving at connect time."""

    def __init__(self, *, allow_private: bool, resolve: Resolve) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private
        self._resolve = resolve

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, allow_private=self._allow_private,
                                      resolve=self._resolve)
        last: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout=timeout,
                                               local_address=local_address,
                                               socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last}")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class SafeHttpFetcher:
    """GETs (and POSTs to) public HTTPS hosts with SSRF guards, caps and a private HTTP cache."""

    def __init__(self, *, allow_private: bool = False, timeout: float = 10.0,
                 max_bytes: int = 1_000_000, max_redirects: int = 3,
                 cache_size: int = 128, max_cache_seconds: float = 3600.0,
                 default_cache_seconds: float = 0.0, stale_if_error: float = 0.0,
                 resolve: Resolve = socket.getaddrinfo,
                 ssl_context: ssl.SSLContext | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time,
                 accept: str = DEFAULT_ACCEPT) -> None:
        self.allow_private = allow_private
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._resolve = resolve
        self._clock = clock
        self._wall_clock = wall_clock
        self._accept = accept
        self._cache_size = cache_size
        self._max_cache_seconds = max_cache_seconds
        self._default_cache_seconds = default_cache_seconds
        self._stale_if_error = stale_if_error
        self._cache: OrderedDict[str, CacheEntry] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=10, retries=0,
            network_backend=_GuardedBackend(allow_private=allow_private, resolve=resolve))

    def fetch(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResponse:
        """GET ``url`` (following up to ``max_redirects`` checked redirects), cache permitting.

        Extra ``headers`` (a bearer token, say) turn the cache off for this call, so
        a response meant for one caller is never handed to another.
        """
        if headers or self._cache_size <= 0:
            return self._get(url, headers)
        now = self._clock()
        entry = self._entry(url)
        if entry is not None and entry.fresh(now):
            return self._served(url, entry, "cache", now)
        conditions = entry.validators() if entry is not None else {}
        requested_at = now
        try:
            response = self._get(url, conditions or None)
        except AddressNotAllowedError:
            raise  # a refused address is never papered over with a stored answer
        except DidResolutionError:
            if entry is not None and self._may_serve_stale(entry, now):
                return self._served(url, entry, "stale", now)
            raise
        if entry is not None and response.status >= 500 and self._may_serve_stale(entry, now):
            return self._served(url, entry, "stale", now)
        if response.status == 304 and entry is not None and conditions:
            merged = FetchResponse(entry.response.status, entry.response.body,
                                   refreshed_headers(entry.response.headers, response.headers))
            fresh_entry = self._remember(url, merged, requested_at)
            if fresh_entry is None:
                return self._record(url, "revalidated", 0.0, merged)
            return self._served(url, fresh_entry, "revalidated", self._clock())
        if storable(response):
            self._remember(url, response, requested_at)
        else:
            self._forget(url)
        return self._record(url, "network", 0.0, response)

    @contextmanager
    def recording(self) -> Iterator[list[CacheInfo]]:
        """Collect a ``CacheInfo`` for every GET this thread makes inside the block."""
        outer = getattr(self._local, "log", None)
        log: list[CacheInfo] = []
        self._local.log = log
        try:
            yield log
        finally:
            self._local.log = outer
            if outer is not None:
                outer.extend(log)

    def clear_cache(self) -> None:
        """Forget every stored answer."""
        with self._lock:
            self._cache.clear()

    def post(self, url: str, *, form: dict[str, str] | None = None, json_body: Any = None,
             headers: dict[str, str] | None = None) -> FetchResponse:
        """POST a form or JSON body to a checked URL; never cached, redirects not followed.

        A redirect answer (3xx) is returned as is: re-sending a token request or a
        signed proof to wherever a server points would leak it, so callers treat it
        as an error.
        """
        if form is not None and json_body is not None:
            raise ValueError("pass either form or json_body, not both")
        extra = dict(headers or {})
        if form is not None:
            body = urlencode(form).encode()
            extra.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            extra.setdefault("Content-Type", "application/json")
        else:
            body = b""
        deadline = self._clock() + self._timeout
        ensure_public_url(url, allow_private=self.allow_private, resolve=self._resolve)
        return self._send("POST", url, deadline, headers=extra, body=body)

    def close(self) -> None:
        """Close pooled connections."""
        self._pool.close()

    def __enter__(self) -> SafeHttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, deadline: float, *,
              headers: dict[str, str] | None = None, body: bytes | None = None) -> FetchResponse:
        remaining = max(0.1, deadline - self._clock())
        timeouts = {"connect": remaining, "read": remaining, "write": remaining,
                    "pool": remaining}
        merged = {"accept": self._accept, "user-agent": "OpenLER"}
        for name, value in (headers or {}).items():
            merged[name.lower()] = value
        wire = [(name.encode("latin-1"), value.encode("latin-1"))
                for name, value in merged.items()]
        try:
            with self._pool.stream(method, url, headers=wire, content=body,
                                   extensions={"timeout": timeouts}) as response:
                header_map = {k.decode("latin-1").lower(): v.decode("latin-1")
                              for k, v in response.headers}
                declared = header_map.get("content-length", "")
                if declared.isdigit() and int(declared) > self._max_bytes:
                    raise DidResolutionError(url, f"response larger than {self._max_bytes} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_stream():
                    size += len(chunk)
                    if size > self._max_bytes:
                        raise DidResolutionError(url, f"response larger than {self._max_bytes} bytes")
                    if self._clock() > deadline:
                        raise DidResolutionError(url, "timed out reading the response")
                    chunks.append(chunk)
        except AddressNotAllowedError:
            raise
        except DidResolutionError:
            raise
        except httpcore.TimeoutException:
            raise DidResolutionError(url, "timed out") from None
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol,
                ssl.SSLError, OSError) as exc:
            raise DidResolutionError(url, f"request failed: {exc}") from None
        return FetchResponse(status=response.status, body=b"".join(chunks), headers=header_map)

    def _get(self, url: str, headers: dict[str, str] | None) -> FetchResponse:
        """One guarded GET: every hop's URL checked, at most ``max_redirects`` hops."""
        deadline = self._clock() + self._timeout
        current = url
        for _ in range(self._max_redirects + 1):
            ensure_public_url(current, allow_private=self.allow_private, resolve=self._resolve)
            response = self._send("GET", current, deadline, headers=headers)
            location = response.headers.get("location")
            if response.status in REDIRECTS and location:
                current = urljoin(current, location)
                continue
            return response
        raise DidResolutionError(url, f"more than {self._max_redirects} redirects")

    def _entry(self, url: str) -> CacheEntry | None:
        with self._lock:
            entry = self._cache.get(url)
            if entry is not None:
                self._cache.move_to_end(url)
            return entry

    def _remember(self, url: str, response: FetchResponse,
                  requested_at: float) -> CacheEntry | None:
        entry = make_entry(response, requested_at=requested_at, received_at=self._clock(),
                           wall_received_at=self._wall_clock(),
                           default_seconds=self._default_cache_seconds,
                           max_seconds=self._max_cache_seconds)
        if not entry.worth_keeping():
            self._forget(url)
            return None
        with self._lock:
            self._cache[url] = entry
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return entry

    def _forget(self, url: str) -> None:
        with self._lock:
            self._cache.pop(url, None)

    def _may_serve_stale(self, entry: CacheEntry, now: float) -> bool:
        if entry.must_revalidate or entry.no_cache:
            return False
        return entry.age(now) - entry.lifetime <= self._stale_if_error and self._stale_if_error > 0

    def _served(self, url: str, entry: CacheEntry, outcome: Outcome, now: float) -> FetchResponse:
        """The stored answer with its current ``Age`` (RFC 9111 section 5.1)."""
        age = entry.age(now)
        response = FetchResponse(entry.response.status, entry.response.body,
                                 {**entry.response.headers, "age": str(int(age))})
        return self._record(url, outcome, age, response)

    def _record(self, url: str, outcome: Outcome, age: float,
                response: FetchResponse) -> FetchResponse:
        log = getattr(self._local, "log", None)
        if log is not None:
            log.append(CacheInfo(url, outcome, age, response.status))
        return response
