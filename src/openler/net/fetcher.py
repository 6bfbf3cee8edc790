"""SafeHttpFetcher: the production ``Fetcher`` for DID documents and other small JSON.

Spec: did:web Method Specification, sections 3.2.2 (Read) and 4 (Security
and Privacy: HTTPS); SSRF defences after the OWASP SSRF Prevention Cheat
Sheet. Every hop (the first URL and each redirect, at most three) is checked
by ``openler.core.net``; the connection itself goes through a network backend
that resolves the host, checks every address and dials a checked one, so a
DNS answer that changes between check and connect (rebinding) cannot steer
the request to a private address. TLS still verifies the certificate for the
host name (SNI and Host header are the name, not the IP).

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
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode, urljoin

import httpcore

from openler.core.dids.ports import FetchResponse
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.net import Resolve, checked_addresses, ensure_public_url

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
    """GETs (and POSTs to) public HTTPS hosts with SSRF guards, caps and a small GET cache."""

    def __init__(self, *, allow_private: bool = False, timeout: float = 10.0,
                 max_bytes: int = 1_000_000, max_redirects: int = 3,
                 cache_size: int = 128, max_cache_seconds: float = 3600.0,
                 resolve: Resolve = socket.getaddrinfo,
                 ssl_context: ssl.SSLContext | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 accept: str = DEFAULT_ACCEPT) -> None:
        self.allow_private = allow_private
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._resolve = resolve
        self._clock = clock
        self._accept = accept
        self._cache_size = cache_size
        self._max_cache_seconds = max_cache_seconds
        self._cache: OrderedDict[str, tuple[float, FetchResponse]] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=10, retries=0,
            network_backend=_GuardedBackend(allow_private=allow_private, resolve=resolve))

    def fetch(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResponse:
        """GET ``url`` (following up to ``max_redirects`` checked redirects).

        Extra ``headers`` (a bearer token, say) turn the cache off for this call, so
        a response meant for one caller is never handed to another.
        """
        cacheable = not headers
        if cacheable:
            cached = self._cached(url)
            if cached is not None:
                return cached
        deadline = self._clock() + self._timeout
        current = url
        for _ in range(self._max_redirects + 1):
            ensure_public_url(current, allow_private=self.allow_private, resolve=self._resolve)
            response = self._send("GET", current, deadline, headers=headers)
            location = response.headers.get("location")
            if response.status in REDIRECTS and location:
                current = urljoin(current, location)
                continue
            if cacheable:
                self._store(url, response)
            return response
        raise DidResolutionError(url, f"more than {self._max_redirects} redirects")

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

    def _cached(self, url: str) -> FetchResponse | None:
        with self._lock:
            hit = self._cache.get(url)
            if hit is None:
                return None
            if hit[0] <= self._clock():
                del self._cache[url]
                return None
            self._cache.move_to_end(url)
            return hit[1]

    def _store(self, url: str, response: FetchResponse) -> None:
        ttl = cache_seconds(response.headers.get("cache-control", ""))
        if response.status != 200 or ttl <= 0 or self._cache_size <= 0:
            return
        with self._lock:
            self._cache[url] = (self._clock() + min(ttl, self._max_cache_seconds), response)
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


def cache_seconds(cache_control: str) -> float:
    """How long a response may be reused: its max-age, or 0 for no-store/no-cache/absent."""
    max_age = 0.0
    for directive in cache_control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name in ("no-store", "no-cache"):
            return 0.0
        if name == "max-age":
            try:
                max_age = max(0.0, float(int(value.strip().strip('"'))))
            except ValueError:
                return 0.0
    return max_age
