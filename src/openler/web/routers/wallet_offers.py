"""Receiving from any issuer: the wallet side of OpenID for Verifiable Credential Issuance
(a credential offer pasted, scanned or opened, taken with the learner's own key).

Three steps, each a plain form that works without JavaScript: paste the offer link
(or open ``/wallet/offers/new?credential_offer_uri=...`` straight from a link), read
who offers what and type the issuer's code if one is asked, then receive: the
record waits, pending, on its record page until the learner accepts or declines.
Every failure is a specific sentence; nothing is stored and nothing answers 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from openler.wallet.oid4vci_client import OfferPreview
from openler.wallet.oid4vci_offer import OfferError
from openler.wallet.oid4vci_receive import preview_offer, take_offer
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
    "needs_sign_in": N_("This issuer needs you to sign in on its own website first. This "
                        "wallet does not support that yet; ask the issuer for an offer with "
                        "a code instead."),
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
}
TX_CODE_ERRORS = frozenset({"tx_code_missing", "tx_code_digits", "tx_code_length",
                            "tx_code_wrong"})




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
    status = 410 if exc.code == "offer_gone" else 422 if exc.code in (
        "malformed_offer", "offer_missing") else 502
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
