"""CSRF protection (synchroniser token in the signed session) and safe redirects."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class CsrfFailed(Exception):
    """The form or request did not carry this session's CSRF token."""


class BadForm(Exception):
    """The request body could not be read as a form."""


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _matches(request: Request, presented: object) -> bool:
    expected = request.session.get("csrf")
    return (
        isinstance(presented, str)
        and isinstance(expected, str)
        and bool(expected)
        and hmac.compare_digest(presented.encode(), expected.encode())
    )


async def checked_form(request: Request) -> dict[str, str]:
    """Read a POSTed form, refusing it unless it carries this session's CSRF token."""
    try:
        form = await request.form()
    except Exception as exc:  # malformed multipart or encoding
        raise BadForm(str(exc)) from exc
    if not _matches(request, form.get(CSRF_FIELD)):
        raise CsrfFailed()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def checked_header(request: Request) -> None:
    """Refuse a JSON request unless its X-CSRF-Token header matches the session."""
    if not _matches(request, request.headers.get(CSRF_HEADER)):
        raise CsrfFailed()


CheckedForm = Annotated[dict[str, str], Depends(checked_form)]
CsrfHeader = Annotated[None, Depends(checked_header)]


def safe_next(target: str | None, default: str = "/") -> str:
    """Only follow redirects to paths on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
