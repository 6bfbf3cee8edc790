"""The home page for issuers, learners and employers, and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from openler.accounts import service
from openler.web.deps import AppSettings, DbSession, OptionalUser
from openler.web.i18n import remember_language
from openler.web.security import safe_next
from openler.web.templating import render

router = APIRouter()


@router.get("/")
def home_page(request: Request, db: DbSession, user: OptionalUser) -> Response:
    """Explain OpenLER to each audience; list the user's organizations when signed in."""
    memberships = service.memberships(db, user=user) if user else []
    return render(request, "home/index.html", {"memberships": memberships, "nav": "home"})


@router.get("/language/{code}")
def switch_language(code: str, settings: AppSettings, next: str = "/") -> Response:
    """Remember the chosen language in a cookie and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in settings.languages:
        remember_language(response, code, secure=settings.secure_cookies)
    return response
