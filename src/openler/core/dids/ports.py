"""The one outbound port DID resolution needs: fetch bytes over HTTPS.

Spec: did:web Method Specification, section 3.2.2 (Read/Resolve) reads the DID
document with an HTTP GET; the core never opens a socket itself, so the
caller passes an object with this shape (``openler.net.SafeHttpFetcher`` in
production, an in-memory dict in tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """What came back from one GET: status, body bytes and (lower-cased) headers."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class Fetcher(Protocol):
    """Anything that can GET a URL; raises DidResolutionError (or a subtype) on failure."""

    def fetch(self, url: str) -> FetchResponse:
        """GET ``url`` and return the response (any status)."""
        ...


class MemoryFetcher:
    """A fetcher over a dict of URL -> body (or FetchResponse), for tests and demos."""

    def __init__(self, responses: Mapping[str, bytes | FetchResponse] | None = None) -> None:
        self.responses: dict[str, bytes | FetchResponse] = dict(responses or {})
        self.requests: list[str] = []

    def fetch(self, url: str) -> FetchResponse:
        """Serve ``url`` from the dict, 404 when absent."""
        self.requests.append(url)
        found = self.responses.get(url)
        if found is None:
            return FetchResponse(404, b"not found", {})
        if isinstance(found, FetchResponse):
            return found
        return FetchResponse(200, found, {"content-type": "application/did+json"})
