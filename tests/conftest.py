"""Shared fixtures: one migrated test database per session (PostgreSQL when
OPENLER_TEST_DATABASE_URL is set, else a temporary SQLite file), tables emptied
before each test that uses it, a controllable clock, the app and clients."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from openler.storage import db as storage_db

# CI runs the property tests on a fixed sequence of examples, so that a landing is not
# decided by the draw; runs on a developer's machine keep exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

TEST_SECRET = "test-secret-key-not-for-production"
PASSWORD = "correct horse battery"


def _reset_postgres_schema(url: str) -> None:
    engine = storage_db.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    """Argon2 at its cheapest profile (CHEAPEST) so hundreds of sign-ins take seconds, not minutes."""
    from argon2.profiles import CHEAPEST

    from openler.accounts import passwords

    passwords.use_parameters(CHEAPEST)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh, migrated database for this test session."""
    url = os.environ.get("OPENLER_TEST_DATABASE_URL")
    if url:
        if make_url(url).get_backend_name() != "postgresql":
            raise pytest.UsageError("OPENLER_TEST_DATABASE_URL must be a PostgreSQL URL")
        _reset_postgres_schema(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'openler-test.db'}"
    engine = storage_db.make_engine(url)
    storage_db.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = storage_db.make_engine(database_url)
    yield engine
    engine.dispose()


_REFLECTED: dict[str, MetaData] = {}


def empty_tables(engine: Engine) -> None:
    """Delete every row, children first, so each test starts from nothing.

    The tables come from the migrated database itself (reflected once), so tables
    that other areas add in their own migrations are emptied too."""
    key = engine.url.render_as_string(hide_password=False)
    if key not in _REFLECTED:
        metadata = MetaData()
        metadata.reflect(engine)
        _REFLECTED[key] = metadata
    tables = [t for t in _REFLECTED[key].sorted_tables if t.name != "alembic_version"]
    with engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())


@pytest.fixture
def clean_db(engine: Engine) -> Engine:
    empty_tables(engine)
    return engine


@pytest.fixture
def db(clean_db: Engine) -> Iterator[Session]:
    session = storage_db.make_sessionmaker(clean_db)()
    yield session
    session.rollback()
    session.close()


@dataclass
class FakeClock:
    """A clock tests can move forward."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str):
    from openler.settings import Settings

    return Settings(database_url=database_url, secret_key=TEST_SECRET)


@pytest.fixture
def app(settings, clock: FakeClock, clean_db: Engine):
    from openler.web.app import create_app

    return create_app(settings, clock=clock)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def make_client(app):
    """Extra independent browsers (each with its own cookies) on the same app."""
    from fastapi.testclient import TestClient

    opened = []

    def _make(**kwargs):
        c = TestClient(app, base_url="http://testserver", **kwargs)
        c.__enter__()
        opened.append(c)
        return c

    yield _make
    for c in opened:
        c.__exit__(None, None, None)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client, path: str = "/sign-in") -> str:
    """Fetch a page and return the CSRF token its forms carry."""
    response = client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@dataclass
class Accounts:
    """Create accounts and organizations through the real services."""

    engine: Engine
    clock: FakeClock

    def learner(self, email: str, name: str = "Learner") -> str:
        return self._sign_up(email=email, name=name, account_kind="learner")

    def org_owner(self, email: str, org_name: str, kind: str = "issuer") -> tuple[str, str]:
        from openler.accounts import service

        user_id = self._sign_up(
            email=email,
            name=f"Owner of {org_name}",
            account_kind="organization",
            organization_name=org_name,
            organization_kind=kind,
        )
        with storage_db.make_sessionmaker(self.engine)() as s:
            user = service.current_user(s, user_id=user_id)
            org_id = service.memberships(s, user=user)[0].organization_id
        return user_id, org_id

    def _sign_up(self, **kwargs: str) -> str:
        from openler.accounts import service

        with storage_db.make_sessionmaker(self.engine)() as s:
            user = service.sign_up(s, password=PASSWORD, now=self.clock(), **kwargs)
            s.commit()
            return user.id


@pytest.fixture
def accounts(clean_db: Engine, clock: FakeClock) -> Accounts:
    return Accounts(clean_db, clock)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign a test client in through the real form."""
    token = csrf_of(client, "/sign-in")
    response = client.post(
        "/sign-in",
        data={"csrf_token": token, "email": email, "password": password},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


class WebHelpers:
    """Helpers handed to tests as a fixture (tests do not import conftest)."""

    password = PASSWORD
    csrf_of = staticmethod(csrf_of)
    sign_in = staticmethod(sign_in)


@pytest.fixture
def web() -> type[WebHelpers]:
    return WebHelpers


@dataclass
class LiveServer:
    """The real app served by uvicorn on a free loopback port, in a thread."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(database_url: str) -> Iterator[LiveServer]:
    import threading
    import time

    import httpx
    import uvicorn

    from openler.settings import Settings
    from openler.web.app import create_app

    port = _free_port()
    # The live server may reach other test servers on loopback (wallet offers, requests).
    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET,
                              fetch_allow_private=True))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="openler-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield LiveServer("127.0.0.1", port)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def scratch_engine(tmp_path) -> Iterator[Engine]:
    """An empty database of its own (SQLite file, or a scratch PostgreSQL database beside
    the test database), for migration tests that must start from nothing."""
    base = os.environ.get("OPENLER_TEST_DATABASE_URL")
    if not base:
        engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield engine
        engine.dispose()
        return
    url = make_url(base)
    name = f"openler_scratch_{uuid.uuid4().hex[:12]}"
    admin = storage_db.make_engine(str(url.set(database="postgres")))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = storage_db.make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
