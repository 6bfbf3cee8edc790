"""The application factory: `create_app(settings)` wires storage, sessions, languages,
routers and error handling. Nothing connects before the app starts."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from openler.settings import Settings
from openler.storage import db as storage_db
from openler.web import api_docs, errors
from openler.web.api import router as vc_api_router
from openler.web.headers import SecurityHeadersMiddleware
from openler.web.i18n import LanguageMiddleware
from openler.web.request_guard import ControlCharacterGuard
from openler.web.routers import (
    account,
    auth,
    cohort,
    delivery,
    home,
    oid4vci,
    orgs,
    skills_frameworks,
    skills_rejections,
    verifier_credit,
    verifier_inbox,
    verifier_pages,
    verifier_requests,
    wallet,
    wallet_backup,
    wallet_import,
    wallet_offers,
    wallet_pathways,
    wallet_print,
    wallet_requests,
    wallet_self,
    wallet_skills,
)
from openler.web.routers import catalog as catalog_pages
from openler.web.routers import lifecycle as lifecycle_pages
from openler.web.routers import wallet_shares as wallet_share_pages
from openler.web.templating import make_templates

STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "openler_session"
log = logging.getLogger("openler.web")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings, *, clock: Callable[[], datetime] = _utc_now) -> FastAPI:
    """Build the OpenLER web app for one database and configuration."""
    engine = storage_db.make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            storage_db.upgrade(engine)
        yield
        engine.dispose()

    app = FastAPI(
        title="OpenLER",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = storage_db.make_sessionmaker(engine)
    app.state.templates = make_templates()
    app.state.clock = clock

    # Middleware added last runs first: languages, then the signed session cookie.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(
        LanguageMiddleware, languages=settings.languages, default=settings.default_language
    )
    app.add_middleware(ControlCharacterGuard)
    app.add_middleware(SecurityHeadersMiddleware)

    api_docs.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Server-rendered pages stay out of the API reference; the JSON endpoints are in it.
    pages = (home.router, auth.router, account.router, orgs.router, cohort.router,
             catalog_pages.router, delivery.router, lifecycle_pages.router, wallet.router,
             wallet_share_pages.router, wallet_import.router, wallet_self.router,
             wallet_skills.router,
             wallet_offers.router, wallet_requests.router, wallet_print.router,
             wallet_backup.router, verifier_pages.router, verifier_requests.pages,
             verifier_inbox.router,
             verifier_credit.router, skills_frameworks.router,
             wallet_pathways.router, skills_rejections.router)
    for router in pages:
        app.include_router(router, include_in_schema=False)
    app.include_router(vc_api_router)
    app.include_router(oid4vci.router)
    app.include_router(verifier_requests.router)
    errors.install(app)
    return app
