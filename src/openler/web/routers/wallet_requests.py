"""Answering a verifier: the wallet side of OpenID for Verifiable Presentations (who asks, what
for, what will be sent; the learner sends or refuses).

Two steps, each a plain form that works without JavaScript: paste the request link (or
open ``/wallet/requests/new?client_id=...&request_uri=...`` straight from a link), then
read who asks, what for and exactly what would be sent, pick a record for each thing
asked, and send or refuse. The answer page shows what the verifier said. The request is
fetched again when the learner answers and must be the one they read (its digest).
Every failure is a specific sentence; nothing answers 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from openler.core.sdjwt.paths import format_path
from openler.wallet import oid4vp_client as vp
from openler.wallet import service
from openler.wallet.keys import ensure_wallet
from openler.web.api.deps import outbound_fetcher
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()
LINK_PARAMS = ("client_id", "request_uri", "request", "request_uri_method", "response_type",
               "response_mode", "response_uri", "nonce", "state", "dcql_query",
               "client_metadata")
MESSAGES = {
    "link_missing": N_("Paste the request link or the text from the verifier's QR code."),
    "link_invalid": N_("This is not a presentation request we can read. Copy the whole link "
                       "from the verifier, starting with openid4vp://, and paste it again."),
    "unreachable": N_("We could not reach the verifier. Check your connection and try again "
                      "later; if it keeps happening, contact the verifier."),
    "address_refused": N_("This request points to a private or local network address, which "
                          "this wallet does not contact for your safety."),
    "verifier_error": N_("The verifier did not give us its request. It may have expired or "
                         "been answered already: ask the verifier for a new link."),
    "malformed": N_("The verifier's request is incomplete or wrong, so this wallet cannot "
                    "answer it safely. Tell the verifier about the problem."),
    "unsupported_client": N_("This verifier identifies itself in a way this wallet cannot "
                             "check, so this wallet does not answer it."),
    "mismatch": N_("The request does not match its link: it may have been changed on the "
                   "way. Nothing was sent."),
    "expired": N_("This request has expired. Ask the verifier for a new link."),
    "changed": N_("The verifier's request changed after you read it. Nothing was sent. "
                  "Read the new request before you answer."),
    "pick_missing": N_("Choose a record for each thing the verifier asks for, or refuse."),
    "send_failed": N_("Your answer could not be delivered: we could not reach the verifier. "
                      "Try again later, or ask the verifier for a new link."),
}
PICK_NONE = "none"



def _page(request: Request, template: str, context: dict[str, Any],
          status_code: int = 200) -> Response:
    return _private(render(request, template, {"nav": "wallet", **context},
                           status_code=status_code))


def _problem(request: Request, code: str, link: str = "") -> Response:
    status = 502 if code in ("unreachable", "verifier_error", "send_failed") else 400
    return _page(request, "wallet/request_problem.html",
                 {"code": code, "problem": gettext(MESSAGES.get(code, MESSAGES["malformed"])),
                  "link": link}, status)


def _load(request: Request, link: str, now: Any) -> vp.AuthorizationRequest:
    return vp.load_request(link, fetcher=outbound_fetcher(request), now=now)


def _claim_label(claim: Any) -> str:
    return format_path(tuple("*" if p is None else p for p in claim.path))


def _kind_label(query: Any) -> str:
    """A short name for what a credential query asks for (the last part of each type)."""
    if query.format == "dc+sd-jwt":
        names = query.vct_values
    elif query.format == "ldp_vc":
        names = [alt[-1] for alt in query.type_values if alt]
    else:
        names = [query.format]
    short = [n.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1] or n for n in names]
    return " / ".join(dict.fromkeys(short))


def _consent(request: Request, db: DbSession, user_id: str, config: service.WalletConfig,
             ask: vp.AuthorizationRequest, errors: dict[str, str],
             picked: dict[str, str], status_code: int = 200) -> Response:
    records = service.records(db, config=config, user_id=user_id)
    matches = vp.match(ask, records)
    return _page(request, "wallet/request.html", {
        "ask": ask, "matches": matches, "errors": errors, "picked": picked,
        "claim_label": _claim_label, "kind_label": _kind_label, "pick_none": PICK_NONE,
        "answerable": vp.answerable(ask, matches)}, status_code)


@router.get("/wallet/requests/new")
def new_request(request: Request, db: DbSession, user: CurrentUser, now: Now,
                config: WalletSettings, link: str = "") -> Response:
    """Paste a request link, or open one straight from ``?client_id=...&request_uri=...``."""
    params = {k: v for k, v in request.query_params.items() if k in LINK_PARAMS}
    if not link and params:
        link = "openid4vp://?" + urlencode(params)
    if "link" in request.query_params and not link.strip():
        return _page(request, "wallet/request_new.html",
                     {"errors": {"link": gettext(MESSAGES["link_missing"])}, "value": ""},
                     FORM_ERROR_STATUS)
    if not link:
        return _page(request, "wallet/request_new.html", {"errors": {}, "value": ""})
    try:
        ask = _load(request, link, now)
    except vp.RequestProblem as exc:
        if exc.reason == "link_invalid":
            return _page(request, "wallet/request_new.html",
                         {"errors": {"link": gettext(MESSAGES["link_invalid"])}, "value": link},
                         FORM_ERROR_STATUS)
        return _problem(request, exc.reason, link)
    return _consent(request, db, user.id, config, ask, {}, {})


def _picks(form: dict[str, str], matches: list[vp.QueryMatch]
           ) -> tuple[dict[str, list[vp.Candidate]], dict[str, str]]:
    picks: dict[str, list[vp.Candidate]] = {}
    raw: dict[str, str] = {}
    for m in matches:
        chosen = form.get(f"pick-{m.query.id}", "")
        raw[m.query.id] = chosen
        found = next((c for c in m.candidates if c.record.id == chosen), None)
        if found is not None:
            picks[m.query.id] = [found]
    return picks, raw


@router.post("/wallet/requests/answer")
def answer_request(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                   now: Now, config: WalletSettings) -> Response:
    """Send the picked records to the verifier, or refuse (``access_denied``)."""
    link = form.get("link", "")
    try:
        ask = _load(request, link, now)
    except vp.RequestProblem as exc:
        return _problem(request, exc.reason, link)
    if form.get("digest", "") != ask.digest:
        return _problem(request, "changed", link)
    fetcher = outbound_fetcher(request)
    try:
        if form.get("choice") == "refuse":
            answer = vp.decline(ask, fetcher=fetcher)
            return _page(request, "wallet/request_result.html",
                         {"ask": ask, "answer": answer, "sent": False})
        matches = vp.match(ask, service.records(db, config=config, user_id=user.id))
        picks, raw = _picks(form, matches)
        wallet = ensure_wallet(db, master=config.master, user_id=user.id, now=now)
        try:
            token = vp.build_vp_token(ask, picks, wallet=wallet, now=now)
        except vp.RequestProblem as exc:
            if exc.reason != "pick_missing":
                raise
            return _consent(request, db, user.id, config, ask,
                            {"picks": gettext(MESSAGES["pick_missing"])}, raw, FORM_ERROR_STATUS)
        answer = vp.send(ask, token, fetcher=fetcher)
    except vp.RequestProblem as exc:
        return _problem(request, exc.reason, link)
    return _page(request, "wallet/request_result.html",
                 {"ask": ask, "answer": answer, "sent": True,
                  "sent_names": [c.record.summary.achievement_name
                                 for items in picks.values() for c in items]})
