"""Application settings, read once from `OPENLER_*` environment variables.

Nothing here runs at import time: the CLI or a test builds a `Settings` and hands it
to `openler.web.app.create_app(settings)`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "openler.db"


def default_database_url() -> str:
    """Point at the embedded SQLite file under ./var so a first run needs no server."""
    return f"sqlite:///{DEFAULT_SQLITE_PATH.resolve()}"


class Settings(BaseSettings):
    """Everything the web application needs to know about where and how it runs."""

    model_config = SettingsConfigDict(env_prefix="OPENLER_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    secure_cookies: bool = False
    session_max_age_seconds: int = 14 * 24 * 3600
    default_language: str = "en"
    languages: tuple[str, ...] = ("en", "es")
    migrate_on_start: bool = True
    sign_in_max_failures: int = 5
    sign_in_window_seconds: int = 15 * 60
    # WebAuthn relying party; when unset, taken from the request's host and origin.
    webauthn_rp_id: str | None = None
    webauthn_origin: str | None = None
    webauthn_rp_name: str = "OpenLER"
    # The public address of this instance (e.g. https://credentials.example.edu); the
    # organizations' did:web identifiers and status list URLs are derived from it.
    public_url: str | None = None
    # Outbound fetches (did:web, status lists) refuse private, loopback and link-local
    # addresses; only tests turn this on.
    fetch_allow_private: bool = False
    # Outgoing mail (claim offers). Without smtp_host, messages go to the outbox page.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "OpenLER <no-reply@localhost>"
    smtp_starttls: bool = True
    claim_offer_days: int = 30
