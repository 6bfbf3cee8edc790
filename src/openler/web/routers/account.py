"""Account settings: name, language, password and passkeys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from openler.accounts import passkeys, service
from openler.accounts.errors import InvalidInput
from openler.web.deps import AppSettings, CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.forms import messages
from openler.web.i18n import N_, remember_language
from openler.web.relying_party import relying_party
from openler.web.security import CheckedForm, CsrfHeader
from openler.web.templating import render

router = APIRouter(prefix="/account")


def _settings_page(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "values": values or {"name": user.name, "language": user.language},
        "errors": errors or {},
        "passkeys": service.passkeys(db, user=user),
        "memberships": service.memberships(db, user=user),
        "nav": "account",
    }
    return render(request, "account/settings.html", context, status_code=status)


@router.get("")
def settings_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """Show the account settings."""
    return _settings_page(request, db, user)


@router.post("/profile")
def save_profile(
    request: Request, form: CheckedForm, db: DbSession, user: CurrentUser, settings: AppSettings
) -> Response:
    """Save the name and language."""
    values = {"name": form.get("name", ""), "language": form.get("language", "")}
    try:
        service.update_profile(db, user=user, **values)
    except InvalidInput as exc:
        return _settings_page(
            request, db, user, values=values, errors=messages(exc.errors), status=FORM_ERROR_STATUS
        )
    request.session["flash"] = N_("Your details are saved.")
    response = RedirectResponse("/account", status_code=303)
    remember_language(response, user.language, secure=settings.secure_cookies)
    return response


@router.post("/password")
def change_password(
    request: Request, form: CheckedForm, db: DbSession, user: CurrentUser
) -> Response:
    """Change the password after checking the current one."""
    try:
        service.change_password(
            db,
            user=user,
            current_password=form.get("current_password", ""),
            new_password=form.get("new_password", ""),
            confirm_password=form.get("confirm_password", ""),
        )
    except InvalidInput as exc:
        return _settings_page(
            request, db, user, errors=messages(exc.errors), status=FORM_ERROR_STATUS
        )
    request.session["flash"] = N_("Your password is changed.")
    return RedirectResponse("/account", status_code=303)


@router.post("/passkeys/options")
def passkey_options(
    request: Request, db: DbSession, user: CurrentUser, settings: AppSettings, _csrf: CsrfHeader
) -> Response:
    """Start adding a passkey: a fresh challenge kept in the session."""
    rp_id, _origin = relying_party(request)
    options_json, challenge = passkeys.registration_options(
        db, user=user, rp_id=rp_id, rp_name=settings.webauthn_rp_name
    )
    request.session["webauthn_reg"] = challenge.hex()
    return Response(options_json, media_type="application/json")


@router.post("/passkeys")
def add_passkey(
    request: Request,
    credential: Annotated[dict[str, Any], Body()],
    db: DbSession,
    user: CurrentUser,
    now: Now,
    _csrf: CsrfHeader,
    label: str = "",
) -> Response:
    """Finish adding a passkey."""
    challenge_hex = str(request.session.pop("webauthn_reg", ""))
    rp_id, origin = relying_party(request)
    passkeys.register_passkey(
        db,
        user=user,
        credential=credential,
        challenge=bytes.fromhex(challenge_hex) if challenge_hex else b"",
        rp_id=rp_id,
        origin=origin,
        label=label,
        now=now,
    )
    request.session["flash"] = N_("Your passkey is added.")
    return JSONResponse({"next": "/account"})


@router.post("/passkeys/{passkey_id}/delete")
def delete_passkey(
    request: Request, passkey_id: str, form: CheckedForm, db: DbSession, user: CurrentUser
) -> Response:
    """Remove one of the user's passkeys."""
    service.remove_passkey(db, user=user, passkey_id=passkey_id)
    request.session["flash"] = N_("The passkey is removed.")
    return RedirectResponse("/account", status_code=303)


def _delete_page(request: Request, db: DbSession, user: CurrentUser, *,
                 errors: dict[str, str] | None = None, status: int = 200) -> Response:
    from openler.wallet.backup_content import wallet_counts

    response = render(request, "account/delete.html", {
        "errors": errors or {}, "counts": wallet_counts(db, user_id=user.id),
        "blocked": service.sole_owned_with_others(db, user=user), "nav": "account"},
        status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/delete")
def delete_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """Say plainly what deleting the account loses, and ask for the password."""
    return _delete_page(request, db, user)


@router.post("/delete")
def delete_account(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                   now: Now) -> Response:
    """Delete the account and its wallet (shares stop at once), then sign out."""
    try:
        service.delete_account(db, user=user, password=form.get("password", ""), now=now)
    except InvalidInput as exc:
        return _delete_page(request, db, user, errors=messages(exc.errors),
                            status=FORM_ERROR_STATUS)
    except service.SoleOwner:
        return _delete_page(request, db, user, status=409)
    request.session.clear()
    request.session["flash"] = N_("Your account and wallet are deleted. Your share links no "
                                  "longer work.")
    return RedirectResponse("/", status_code=303)
