"""Receiving from any issuer: the wallet side of OpenID for Verifiable Credential Issuance
(a credential offer pasted, scanned or opened, taken with the learner's own key).

Three steps, each a plain form that works without JavaScript: paste the offer link
(or open ``/wallet/offers/new?credential_offer_uri=...`` straight from a link), read
who offers what and type the issuer's code if one is asked, then receive: the
record waits, pending, on its record page until the learner accepts or declines.
An offer that needs the learner to sign in at the issuer (OpenID4VCI authorization
code flow) sends the browser there instead; the issuer sends it back to
``/wallet/offers/callback``, whose ``state`` must match one this learner's signed
session is waiting for (once, within ten minutes) before the code is redeemed.
Every failure is a specific sentence; nothing is stored and nothing answers 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from openler.wallet.oid4vci_authorize import (
    PendingSignIn,
    UsedStates,
    remember,
    remember_used,
    state_digest,
)
from openler.wallet.oid4vci_client import OfferPreview
from openler.wallet.oid4vci_offer import OfferError
from openler.wallet.oid4vci_receive import (
    finish_offer_sign_in,
    preview_offer,
    start_offer_sign_in,
    take_offer,
)
from openler.web.api.deps import language_of as _language
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()

MESSAGES = {
    "offer_missing": N_("Paste the offer link or the text from the issuer's QR code."),
    "malformed_offer": N_("This is not a credential offer we can read. Copy the whole link "
                          "from the issuer, starting with openid-credential-offer://, and "
                          "paste it again."),
    "offer_gone": N_("This offer has expired or was already used. Ask the issuer to send you "
                     "a new one."),
    "issuer_unreachable": N_("We could not reach the issuer. Check your connection and try "
                             "again later; if it keeps happening, contact the issuer."),
    "address_refused": N_("This offer points to a private or local network address, which "
                          "this wallet does not contact for your safety."),
    "bad_metadata": N_("The issuer's description of its service is incomplete or wrong, so "
                       "we cannot take this offer. Tell the issuer about the problem."),
    "unsupported_format": N_("The issuer offers this credential in a format this wallet "
                             "cannot keep yet."),
    "unsupported_proof": N_("The issuer asks for a kind of key this wallet does not have yet."),
    "needs_sign_in": N_("This issuer asks you to sign in on its own website, but it does not "
                        "say where, so this wallet cannot take the offer. Ask the issuer for "
                        "an offer with a code instead."),
    "needs_client": N_("This issuer only gives credentials to wallets it has registered, and "
                       "this wallet is not one of them."),
    "encryption_required": N_("This issuer only sends credentials encrypted in a way this "
                              "wallet does not support yet."),
    "tx_code_missing": N_("Enter the code the issuer gave you."),
    "tx_code_digits": N_("The code is made of numbers only."),
    "tx_code_length": N_("The code is %(length)s characters long."),
    "tx_code_wrong": N_("That code is not right. Check the message from the issuer and type "
                        "the code again."),
    "code_or_offer": N_("The issuer did not accept the code or the offer. Check the code; if "
                        "it is right, the offer may have expired: ask for a new one."),
    "proof_refused": N_("The issuer did not accept this wallet's proof that the key is yours. "
                        "Try again; if it keeps happening, contact the issuer."),
    "request_denied": N_("The issuer refused to send this credential. Contact the issuer to "
                         "find out why."),
    "issuer_error": N_("The issuer answered with an error, so nothing was added. Try again "
                       "later or contact the issuer."),
    "deferred": N_("The issuer will only have this credential ready later. This wallet "
                   "cannot wait for it yet; ask the issuer to send the offer when it is "
                   "ready."),
    "bad_credential": N_("What the issuer sent is not a credential we can read, so nothing "
                         "was added."),
    "not_bound": N_("The issuer sent a credential made out to someone else's key, so it was "
                    "not added."),
    "auth_denied": N_("You did not allow the issuer to send the credential, or the issuer "
                      "did not let you sign in, so nothing was added."),
    "auth_failed": N_("Signing in at the issuer did not work, so nothing was added. Open the "
                      "offer again to retry; if it keeps happening, contact the issuer."),
    "state_mismatch": N_("This answer from the issuer does not match a sign-in started from "
                         "this wallet in this browser, so it was ignored. Open the offer "
                         "again to start over."),
    "callback_used": N_("This answer from the issuer was already used. Look for the "
                        "credential in your wallet; if it is not there, open the offer "
                        "again."),
    "flow_expired": N_("The sign-in at the issuer took longer than 10 minutes, so it expired "
                       "for your safety. Open the offer again to start over."),
    "wrong_issuer": N_("The answer came from a different sign-in service than the one we "
                       "sent you to, so it was refused for your safety."),
    "code_refused": N_("The issuer did not accept the sign-in it had just given you. Open "
                       "the offer again; if it keeps happening, contact the issuer."),
}
TX_CODE_ERRORS = frozenset({"tx_code_missing", "tx_code_digits", "tx_code_length",
                            "tx_code_wrong"})
PROBLEM_STATUS = {"offer_gone": 410, "flow_expired": 410, "malformed_offer": 422,
                  "offer_missing": 422, "state_mismatch": 400, "callback_used": 400,
                  "wrong_issuer": 400, "auth_denied": 403}
PENDING_KEY = "oid4vci_sign_in"  # open sign-ins, by state, in the signed session
USED_KEY = "oid4vci_used"  # fingerprints of states already answered
CALLBACK_PARAMS = ("code", "state", "iss", "error", "error_description")


def message(exc: OfferError) -> str:
    """The learner's sentence for one failure, in the page's language."""
    text = gettext(MESSAGES.get(exc.code, MESSAGES["issuer_error"]))
    return text % {"length": exc.detail} if exc.code == "tx_code_length" else text


def _page(request: Request, template: str, context: dict[str, Any],
          status_code: int = 200) -> Response:
    return _private(render(request, template, {"nav": "wallet", "wallet_nav": "import",
                                               **context}, status_code=status_code))


def _new_page(request: Request, value: str, errors: dict[str, str],
              status_code: int = 200) -> Response:
    return _page(request, "wallet/offer_new.html", {"value": value, "errors": errors},
                 status_code)


def _preview_page(request: Request, preview: OfferPreview, errors: dict[str, str],
                  status_code: int = 200) -> Response:
    return _page(request, "wallet/offer.html", {
        "preview": preview, "offer_json": preview.offer.to_json(), "errors": errors},
        status_code)


def _problem(request: Request, exc: OfferError) -> Response:
    status = PROBLEM_STATUS.get(exc.code, 502)
    return _page(request, "wallet/offer_problem.html", {"problem": message(exc),
                                                         "code": exc.code}, status)


def _read(request: Request, config: Any, text: str) -> Response:
    try:
        preview = preview_offer(config=config, text=text, language=_language(request))
    except OfferError as exc:
        if exc.code in ("offer_missing", "malformed_offer"):
            return _new_page(request, text, {"offer": message(exc)}, FORM_ERROR_STATUS)
        return _problem(request, exc)
    return _preview_page(request, preview, {})


@router.get("/wallet/offers/new")
def new_offer_page(request: Request, user: CurrentUser, config: WalletSettings,
                   credential_offer: str | None = None,
                   credential_offer_uri: str | None = None) -> Response:
    """Paste an offer; an offer link's own parameters open its preview straight away."""
    given = {k: v for k, v in (("credential_offer", credential_offer),
                               ("credential_offer_uri", credential_offer_uri)) if v}
    if not given:
        return _new_page(request, "", {})
    return _read(request, config, "openid-credential-offer://?" + urlencode(given))


@router.post("/wallet/offers/new")
def read_offer_form(request: Request, form: CheckedForm, user: CurrentUser,
                    config: WalletSettings) -> Response:
    """Read the pasted offer and show who offers what (nothing is redeemed yet)."""
    return _read(request, config, form.get("offer", ""))


@router.post("/wallet/offers/receive")
def receive_offer(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                  now: Now, config: WalletSettings) -> Response:
    """Redeem the offer with the learner's key; the record then waits for their answer."""
    text = form.get("offer", "")
    language = _language(request)
    try:
        record = take_offer(db, config=config, user_id=user.id, offer_text=text,
                            tx_code=form.get("tx_code", ""), now=now, language=language)
    except OfferError as exc:
        if exc.code not in TX_CODE_ERRORS:
            return _problem(request, exc)
        try:
            preview = preview_offer(config=config, text=text, language=language)
        except OfferError as again:
            return _problem(request, again)
        return _preview_page(request, preview, {"tx_code": message(exc)}, FORM_ERROR_STATUS)
    return RedirectResponse(f"/wallet/records/{record.id}", status_code=303)


@router.post("/wallet/offers/authorize")
def sign_in_at_issuer(request: Request, form: CheckedForm, user: CurrentUser, now: Now,
                      config: WalletSettings) -> Response:
    """Send the learner to the issuer's sign-in page; the session remembers why, briefly."""
    try:
        start = start_offer_sign_in(config=config, user_id=user.id,
                                    offer_text=form.get("offer", ""), now=now,
                                    language=_language(request))
        request.session[PENDING_KEY] = remember(request.session.get(PENDING_KEY),
                                                start.pending, now=now)
    except OfferError as exc:
        return _problem(request, exc)
    return _private(RedirectResponse(start.url, status_code=303))


def _used_states(request: Request) -> UsedStates:
    used = getattr(request.app.state, "oid4vci_used_states", None)
    if used is None:
        used = request.app.state.oid4vci_used_states = UsedStates()
    return used


def _claim(request: Request, state: str, user_id: str, now: datetime) -> PendingSignIn:
    """The open sign-in this callback answers, removed so no second callback can use it."""
    pending = request.session.get(PENDING_KEY)
    pending = dict(pending) if isinstance(pending, dict) else {}
    used = request.session.get(USED_KEY)
    replayed = state in _used_states(request) or (
        isinstance(used, list) and state_digest(state) in used)
    entry = pending.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending
    if replayed:
        raise OfferError("callback_used")
    if entry is None:
        raise OfferError("state_mismatch")
    request.session[USED_KEY] = remember_used(used, state)
    _used_states(request).add(state, now=now)
    claimed = PendingSignIn.from_json(entry)
    if claimed.user_id != user_id or claimed.state != state:
        raise OfferError("state_mismatch", "started by another learner")
    return claimed


@router.get("/wallet/offers/callback")
def back_from_issuer(request: Request, db: DbSession, user: CurrentUser, now: Now,
                     config: WalletSettings) -> Response:
    """The issuer's answer (RFC 6749 4.1.2): check it is ours, redeem the code, keep the record."""
    params = {k: request.query_params[k][:2_000] for k in CALLBACK_PARAMS
              if k in request.query_params}
    try:
        pending = _claim(request, params.get("state", ""), user.id, now)
        record = finish_offer_sign_in(db, config=config, pending=pending, params=params,
                                      now=now, language=_language(request))
    except OfferError as exc:
        return _problem(request, exc)
    return _private(RedirectResponse(f"/wallet/records/{record.id}", status_code=303))
