"""Refuse addresses with control characters before any route sees them.

Ids, tokens and names in URLs never contain control characters, and PostgreSQL
text cannot hold a NUL at all: such a path (``/orgs/%00``) is answered as an
address that does not exist, on every database alike, instead of reaching a
query. The path is swapped for one no route serves, so the usual accessible
404 page answers in the visitor's language.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

UNROUTABLE = "/.openler-unknown-address"


def _has_control(text: str) -> bool:
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


class ControlCharacterGuard:
    """Turn a path or query with control characters into a plain "not found"."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"")
            if _has_control(scope.get("path", "")) or b"%00" in query or b"\x00" in query:
                scope = {**scope, "path": UNROUTABLE, "raw_path": UNROUTABLE.encode(),
                         "query_string": b""}
        await self.app(scope, receive, send)
