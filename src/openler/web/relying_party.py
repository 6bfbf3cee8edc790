"""The WebAuthn relying party (id and origin) for a request: from settings, else the host."""

from __future__ import annotations

from fastapi import Request


def relying_party(request: Request) -> tuple[str, str]:
    """Return (rp_id, origin); configure both in production so the Host header is not trusted."""
    settings = request.app.state.settings
    rp_id = settings.webauthn_rp_id or (request.url.hostname or "localhost")
    origin = settings.webauthn_origin or f"{request.url.scheme}://{request.url.netloc}"
    return rp_id, origin
