"""Sign up, sign in (password or passkey) and sign out."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from openler.accounts import passkeys, service
from openler.accounts.errors import InvalidCredentials, InvalidInput, TooManyAttempts
from openler.accounts.models import OrganizationKind
from openler.storage.tables import User
from openler.web.deps import AppSettings, DbSession, Now, OptionalUser, client_ip
from openler.web.errors import FORM_ERROR_STATUS, TOO_MANY_ATTEMPTS_STATUS
from openler.web.forms import messages
from openler.web.i18n import LANGUAGE_COOKIE, N_, gettext, remember_language
from openler.web.relying_party import relying_party
from openler.web.security import CheckedForm, CsrfHeader, csrf_token, safe_next
from openler.web.templating import render

router = APIRouter()


def _start_session(request: Request, user: User) -> None:
    """Rotate the session on sign-in so a planted cookie cannot ride along."""
    request.session.clear()
    request.session["uid"] = user.id
    csrf_token(request)


def _signed_in_redirect(request: Request, user: User, target: str, secure: bool) -> Response:
    response = RedirectResponse(target, status_code=303)
    _use_account_language(request, response, user, secure)
    return response


def _use_account_language(request: Request, response: Response, user: User, secure: bool) -> None:
    """Use the account's saved language unless the visitor already chose one."""
    if LANGUAGE_COOKIE not in request.cookies:
        remember_language(response, user.language, secure=secure)


@router.get("/sign-in")
def sign_in_page(request: Request, user: OptionalUser, next: str = "/") -> Response:
    """Show the sign-in form."""
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/sign_in.html", {"next": safe_next(next), "nav": "sign_in"})


@router.post("/sign-in")
def sign_in(
    request: Request, form: CheckedForm, db: DbSession, now: Now, settings: AppSettings
) -> Response:
    """Check the password, with rate limiting per account and per address."""
    target = safe_next(form.get("next"))
    values = {"email": form.get("email", "")}
    try:
        user = service.sign_in(
            db,
            email=form.get("email", ""),
            password=form.get("password", ""),
            ip=client_ip(request),
            now=now,
            max_failures=settings.sign_in_max_failures,
            window=timedelta(seconds=settings.sign_in_window_seconds),
        )
    except InvalidInput as exc:
        return _sign_in_form(request, values, target, messages(exc.errors), FORM_ERROR_STATUS)
    except InvalidCredentials:
        errs = messages({"email": "wrong_credentials"})
        return _sign_in_form(request, values, target, errs, FORM_ERROR_STATUS)
    except TooManyAttempts as exc:
        minutes = max(1, int((exc.retry_at - now).total_seconds() + 59) // 60)
        text = gettext(
            "Too many sign-in attempts failed. For your safety, try again after %(time)s UTC "
            "(in about %(minutes)d minutes)."
        ) % {"time": exc.retry_at.strftime("%H:%M"), "minutes": minutes}
        return _sign_in_form(request, values, target, {"email": text}, TOO_MANY_ATTEMPTS_STATUS)
    _start_session(request, user)
    request.session["flash"] = N_("You are signed in.")
    return _signed_in_redirect(request, user, target, settings.secure_cookies)


def _sign_in_form(
    request: Request, values: dict[str, str], target: str, errors: dict[str, str], status: int
) -> Response:
    context = {"values": values, "errors": errors, "next": target, "nav": "sign_in"}
    return render(request, "auth/sign_in.html", context, status_code=status)


@router.get("/sign-up")
def sign_up_page(request: Request, user: OptionalUser, next: str = "") -> Response:
    """Show the form to create an account, coming back to a page of this site afterwards."""
    if user is not None:
        return RedirectResponse(safe_next(next, "/account"), status_code=303)
    context = {"values": {}, "organization_kinds": list(OrganizationKind), "nav": "sign_up",
               "next": safe_next(next)}
    return render(request, "auth/sign_up.html", context)


@router.post("/sign-up")
def sign_up(
    request: Request, form: CheckedForm, db: DbSession, now: Now, settings: AppSettings
) -> Response:
    """Create the account (and organization), sign the new user in, go where they were."""
    target = safe_next(form.get("next"))  # only a path on this site: never an open redirect
    fields = ("name", "email", "account_kind", "organization_name", "organization_kind")
    values = {key: form.get(key, "") for key in fields}
    try:
        user = service.sign_up(
            db,
            password=form.get("password", ""),
            language=request.scope.get("state", {}).get("language", "en"),
            now=now,
            **values,
        )
    except InvalidInput as exc:
        context = {
            "values": values,
            "errors": messages(exc.errors),
            "organization_kinds": list(OrganizationKind),
            "nav": "sign_up",
            "next": target,
        }
        return render(request, "auth/sign_up.html", context, status_code=FORM_ERROR_STATUS)
    _start_session(request, user)
    request.session["flash"] = N_("Your account is ready. Welcome to OpenLER.")
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, form: CheckedForm) -> Response:
    """End the session."""
    request.session.clear()
    request.session["flash"] = N_("You are signed out.")
    return RedirectResponse("/", status_code=303)


@router.post("/sign-in/passkey/options")
def passkey_sign_in_options(request: Request, _csrf: CsrfHeader) -> Response:
    """Start a passkey sign-in: a fresh challenge kept in the session."""
    rp_id, _origin = relying_party(request)
    options_json, challenge = passkeys.authentication_options(rp_id=rp_id)
    request.session["webauthn_auth"] = challenge.hex()
    return Response(options_json, media_type="application/json")


@router.post("/sign-in/passkey")
def passkey_sign_in(
    request: Request,
    credential: Annotated[dict[str, Any], Body()],
    db: DbSession,
    now: Now,
    settings: AppSettings,
    _csrf: CsrfHeader,
) -> Response:
    """Finish a passkey sign-in and start the session."""
    challenge_hex = str(request.session.pop("webauthn_auth", ""))
    rp_id, origin = relying_party(request)
    user = passkeys.authenticate(
        db,
        credential=credential,
        challenge=bytes.fromhex(challenge_hex) if challenge_hex else b"",
        rp_id=rp_id,
        origin=origin,
        now=now,
    )
    target = safe_next(request.query_params.get("next"))
    _start_session(request, user)
    request.session["flash"] = N_("You are signed in.")
    response = JSONResponse({"next": target})
    _use_account_language(request, response, user, settings.secure_cookies)
    return response
