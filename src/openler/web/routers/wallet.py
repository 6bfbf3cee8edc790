"""The learner's wallet pages: take a claim offer into the wallet, read what arrived and
accept or decline it, list records by issuer, type or year (and search them), read one in
plain words with its current status, and delete one after confirming. Every wallet URL of
another learner is 404."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.errors import InvalidInput
from openler.issuer.delivery.errors import OfferUnavailable
from openler.wallet import formats, listing, service
from openler.wallet.crypto import MasterKey
from openler.wallet.errors import ClaimRefused, WalletNotFound
from openler.wallet.models import Record
from openler.wallet.summary import disclosed_claims
from openler.web.api.deps import Config, outbound_fetcher
from openler.web.api.deps import language_of as _language
from openler.web.deps import CurrentUser, DbSession, Now, OptionalUser
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.forms import messages
from openler.web.i18n import N_, gettext
from openler.web.private import private as _private
from openler.web.security import CheckedForm, csrf_token, safe_next
from openler.web.templating import render

router = APIRouter()
CONFIRM_CHOICES = ("yes", "no")
UNAVAILABLE_STATUS = {"unknown": 404}


def wallet_config(request: Request, issuer: Config) -> service.WalletConfig:
    """The master key (derived once per app from the secret setting) and this instance."""
    master = getattr(request.app.state, "wallet_master", None)
    if master is None:
        master = MasterKey(request.app.state.settings.secret_key)
        request.app.state.wallet_master = master
    # Other hosts' keys and status lists come through the app's SSRF-guarded fetcher.
    return service.WalletConfig(
        master=master, issuer=issuer, fetcher=outbound_fetcher(request),
        allow_private=bool(request.app.state.settings.fetch_allow_private))


WalletSettings = Annotated[service.WalletConfig, Depends(wallet_config)]




def _record(db: DbSession, config: service.WalletConfig, user_id: str,
            record_id: str) -> Record:
    try:
        return service.get_record(db, config=config, user_id=user_id, record_id=record_id)
    except WalletNotFound:
        raise HTTPException(404) from None


@router.post("/claim/{token}/openler-wallet")
def claim_into_wallet(request: Request, token: str, form: CheckedForm, db: DbSession,
                      user: OptionalUser, now: Now, config: WalletSettings) -> Response:
    """Issue the offer's credential to the learner's wallet DID, check it, show the result."""
    if user is None:
        return RedirectResponse(f"/sign-in?next={quote(f'/claim/{token}', safe='')}",
                                status_code=303)
    try:
        record = service.receive_from_claim(db, config=config, user_id=user.id, token=token,
                                            now=now, language=_language(request))
    except OfferUnavailable as exc:
        return _private(render(request, "delivery/unavailable.html", {"reason": exc.reason},
                               status_code=UNAVAILABLE_STATUS.get(exc.reason, 410)))
    except ClaimRefused as exc:
        return _private(render(request, "wallet/refused.html", {"reason": exc.reason},
                               status_code=409))
    return RedirectResponse(f"/wallet/records/{record.id}", status_code=303)


@router.get("/wallet")
def wallet_home(request: Request, db: DbSession, user: CurrentUser, config: WalletSettings,
                group: str = "", q: str = "") -> Response:
    """The learner's records grouped by issuer, type or year, searched, and any still waiting
    for an answer (a plain GET form: works without JavaScript, and the URL can be kept)."""
    items = service.records(db, config=config, user_id=user.id)
    by = listing.grouping(group)
    query = q.strip()[:listing.MAX_QUERY]
    found = listing.search(items, query)
    return _private(render(request, "wallet/index.html", {
        "groups": listing.group(found, by), "nav": "wallet", "group_by": by, "query": query,
        "has_records": bool(items), "kept_count": sum(1 for r in found if r.state == "kept"),
        "pending": [r for r in found if r.state == "pending"]}))


@router.get("/wallet/records/{record_id}")
def record_page(request: Request, record_id: str, db: DbSession, user: CurrentUser, now: Now,
                config: WalletSettings) -> Response:
    """What the record says and how it checks out now (a new arrival asks accept/decline)."""
    record = _record(db, config, user.id, record_id)
    report = (record.arrival if record.state == "pending" else
              service.check_now(db, config=config, record=record, now=now,
                                language=_language(request)))
    did = service.wallet_did(db, config=config, user_id=user.id, now=now)
    return _private(render(request, "wallet/record.html", {
        "record": record, "s": record.summary, "report": report, "nav": "wallet",
        "wallet_did": did, "claims": disclosed_claims(record.credential, record.format)}))


@router.get("/wallet/records/{record_id}/file")
def record_file(record_id: str, db: DbSession, user: CurrentUser,
                config: WalletSettings) -> Response:
    """The record as the issuer signed it, as a file the learner can keep or send: JSON, or
    the token itself for VC-JOSE (application/vc+jwt) and SD-JWT VC (application/dc+sd-jwt)."""
    record = _record(db, config, user.id, record_id)
    media, extension = formats.media_type(record.format)
    body = (record.credential if isinstance(record.credential, str)
            else json.dumps(record.credential, indent=2, ensure_ascii=False))
    return _private(Response(
        body, media_type=media,
        headers={"Content-Disposition":
                 f'attachment; filename="record-{record.id}.{extension}"'}))


@router.post("/wallet/records/{record_id}/accept")
def accept(request: Request, record_id: str, form: CheckedForm, db: DbSession,
           user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """Keep the record the learner has just read about."""
    try:
        service.accept(db, config=config, user_id=user.id, record_id=record_id, now=now)
    except WalletNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = N_("The record is in your wallet.")
    return RedirectResponse(f"/wallet/records/{record_id}", status_code=303)


@router.post("/wallet/records/{record_id}/decline")
def decline(request: Request, record_id: str, form: CheckedForm, db: DbSession,
            user: CurrentUser, config: WalletSettings) -> Response:
    """Throw away a record the learner does not want."""
    try:
        service.decline(db, config=config, user_id=user.id, record_id=record_id)
    except WalletNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = N_("The record was not added to your wallet.")
    return RedirectResponse("/wallet", status_code=303)


def _delete_page(request: Request, record: Record, errors: dict[str, str],
                 status_code: int = 200) -> Response:
    return _private(render(request, "wallet/delete.html", {
        "record": record, "s": record.summary, "errors": errors, "nav": "wallet"},
        status_code=status_code))


@router.get("/wallet/records/{record_id}/delete")
def delete_page(request: Request, record_id: str, db: DbSession, user: CurrentUser,
                config: WalletSettings) -> Response:
    """Ask before deleting: what goes, and that it cannot be undone."""
    return _delete_page(request, _record(db, config, user.id, record_id), {})


@router.post("/wallet/records/{record_id}/delete")
def delete(request: Request, record_id: str, form: CheckedForm, db: DbSession,
           user: CurrentUser, config: WalletSettings) -> Response:
    """Delete the record once the learner said yes; "no" goes back to it."""
    record = _record(db, config, user.id, record_id)
    choice = form.get("confirm", "")
    if choice not in CONFIRM_CHOICES:
        errors = {"confirm": gettext("Choose yes to delete the record, or no to keep it.")}
        return _delete_page(request, record, errors, FORM_ERROR_STATUS)
    if choice == "no":
        return RedirectResponse(f"/wallet/records/{record_id}", status_code=303)
    service.delete_record(db, config=config, user_id=user.id, record_id=record_id)
    request.session["flash"] = N_("The record was deleted from your wallet.")
    return RedirectResponse("/wallet", status_code=303)


def _sign_up_page(request: Request, next_path: str, values: dict[str, str],
                  errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "wallet/sign_up.html", {
        "next": next_path, "values": values, "errors": errors, "nav": "sign_up"},
        status_code=status_code)


@router.get("/wallet/sign-up")
def sign_up_page(request: Request, user: OptionalUser, next: str = "/wallet") -> Response:
    """A learner account in one short form, coming back to the claim afterwards."""
    if user is not None:
        return RedirectResponse(safe_next(next, "/wallet"), status_code=303)
    return _sign_up_page(request, safe_next(next, "/wallet"), {}, {})


@router.post("/wallet/sign-up")
def sign_up(request: Request, form: CheckedForm, db: DbSession, now: Now) -> Response:
    """Create the learner account, sign it in, and return to where the learner was."""
    target = safe_next(form.get("next"), "/wallet")
    values = {"name": form.get("name", ""), "email": form.get("email", "")}
    try:
        user = accounts.sign_up(db, password=form.get("password", ""), account_kind="learner",
                                language=_language(request), now=now, **values)
    except InvalidInput as exc:
        return _sign_up_page(request, target, values, messages(exc.errors), FORM_ERROR_STATUS)
    request.session.clear()  # a fresh session for the new account, as on sign-in
    request.session["uid"] = user.id
    csrf_token(request)
    request.session["flash"] = N_("Your account is ready. Welcome to OpenLER.")
    return RedirectResponse(target, status_code=303)
