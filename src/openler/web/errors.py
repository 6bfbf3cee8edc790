"""The one place that turns exceptions into HTTP statuses and the accessible error page.

Domain errors become 404 (also for objects of another tenant), 403 or a form error;
anything unexpected is logged and answered with a calm 500 page, never a stack trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from openler.accounts.errors import InvalidInput, NotAllowed, NotFound, PasskeyError
from openler.issuer.errors import (
    IssuerError,
    IssuerInputError,
    IssuerNotAllowed,
    IssuerNotFound,
    RequestTooLarge,
    Unauthenticated,
)
from openler.web.deps import SignInRequired
from openler.web.i18n import N_, gettext, use_language
from openler.web.security import BadForm, CsrfFailed
from openler.web.templating import render

log = logging.getLogger("openler.web")

FORM_ERROR_STATUS = 400
TOO_MANY_ATTEMPTS_STATUS = 429

_PAGES = {
    400: (
        N_("The request was not understood"),
        N_("Something in the request was wrong or incomplete. Go back and try again."),
    ),
    403: (
        N_("This action was refused"),
        N_(
            "The form may have expired, or you may not have the right role. Go back, reload the page and try again."
        ),
    ),
    404: (
        N_("Page not found"),
        N_(
            "We could not find this page. The address may be wrong, or you may not have access to it."
        ),
    ),
    405: (
        N_("The request was not understood"),
        N_("This page does not accept that kind of request."),
    ),
    413: (
        N_("The request was too large"),
        N_("What you sent was too large. Send something smaller."),
    ),
    500: (
        N_("Something went wrong on our side"),
        N_("We could not finish this. Nothing you did caused it. Try again in a few minutes."),
    ),
}


def error_page(request: Request, status: int) -> Response:
    """Render the accessible error page for a status code."""
    title, explanation = _PAGES.get(status, _PAGES[400] if status < 500 else _PAGES[500])
    # A 500 is handled outside the language middleware: choose the language again.
    use_language(request.scope.get("state", {}).get("language", "en"))
    if _wants_json(request):
        return JSONResponse({"error": gettext(title)}, status_code=status)
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": gettext(title), "explanation": gettext(explanation)},
        status_code=status,
    )


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    return "application/json" in content_type or (
        "application/json" in accept and "text/html" not in accept
    )


_ISSUER_STATUS = (
    (RequestTooLarge, 413),
    (IssuerInputError, 400),
    (Unauthenticated, 401),
    (IssuerNotAllowed, 403),
    (IssuerNotFound, 404),
)


def issuer_error_response(exc: IssuerError) -> Response:
    """VC-API errors are JSON: a stable code and a plain message (401 names the scheme)."""
    status = next((s for kind, s in _ISSUER_STATUS if isinstance(exc, kind)), 400)
    code = getattr(exc, "code", None) or {
        401: "unauthenticated",
        403: "not_allowed",
        404: "not_found",
    }.get(status, "invalid_request")
    headers = {"WWW-Authenticate": 'Bearer realm="openler"'} if status == 401 else None
    body = {"error": code, "message": getattr(exc, "message", str(exc))}
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Register every exception handler on the app."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code)

    # Domain errors that only need the accessible error page with a status. (Routes
    # render their own forms; an InvalidInput that escapes one is a bad request.)
    statuses: dict[type[Exception], int] = {
        RequestValidationError: 400, BadForm: 400, InvalidInput: 400,
        NotAllowed: 403, CsrfFailed: 403, NotFound: 404,
    }

    async def status_page(request: Request, exc: Exception) -> Response:
        # Starlette picks this handler by the nearest registered class in the MRO.
        kind = next(k for k in type(exc).__mro__ if k in statuses)
        return error_page(request, statuses[kind])

    for kind in statuses:
        app.add_exception_handler(kind, status_page)

    @app.exception_handler(PasskeyError)
    async def passkey_error(request: Request, exc: PasskeyError) -> Response:
        log.info("passkey ceremony failed: %s", exc.reason)
        message = gettext(
            "The passkey could not be used. Try again, or sign in with your password."
        )
        return JSONResponse({"error": message}, status_code=400)

    @app.exception_handler(IssuerError)
    async def issuer_error(request: Request, exc: IssuerError) -> Response:
        return issuer_error_response(exc)

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        from urllib.parse import quote

        return RedirectResponse(f"/sign-in?next={quote(exc.next_path, safe='')}", status_code=303)

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> Response:
        # A value the database cannot store or compare (a NUL in text on PostgreSQL, a
        # number out of range): the transaction is rolled back, so nothing changed.
        log.info("input refused by the database on %s %s: %s", request.method,
                 request.url.path, exc.orig)
        return error_page(request, 400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_page(request, 500)
