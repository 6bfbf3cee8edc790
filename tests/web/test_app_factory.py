"""create_app: settings come in as an argument, nothing connects before start, the
schema is migrated at start, and every answer carries protective headers."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import inspect

from openler.settings import Settings
from openler.web.app import create_app


def test_create_app_does_not_connect():
    # An unreachable server: building the app must not try to reach it.
    settings = Settings(
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", secret_key="x"
    )
    app = create_app(settings)
    assert app.state.settings is settings


def test_settings_read_openler_environment(monkeypatch):
    monkeypatch.setenv("OPENLER_DATABASE_URL", "sqlite:////tmp/from-env.db")
    monkeypatch.setenv("OPENLER_SECURE_COOKIES", "true")
    monkeypatch.setenv("OPENLER_SIGN_IN_MAX_FAILURES", "3")
    settings = Settings()
    assert settings.database_url == "sqlite:////tmp/from-env.db"
    assert settings.secure_cookies is True
    assert settings.sign_in_max_failures == 3


def test_default_database_is_sqlite_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENLER_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().database_url == f"sqlite:///{tmp_path / 'var' / 'openler.db'}"


def test_app_migrates_a_new_database_at_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app(Settings(database_url=url, secret_key="x"))
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
    tables = set(inspect(app.state.engine).get_table_names())
    assert {"users", "organizations", "memberships", "passkeys", "alembic_version"} <= tables


def test_security_headers(client):
    for path in ("/", "/nothing", "/static/style.css"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
