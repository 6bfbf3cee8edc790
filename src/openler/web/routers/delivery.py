"""Claim pages for learners (public, by claim link) and the staff side of delivery:
sending or re-sending a claim offer, and the organization's mail outbox.

Offers are made when a credential is issued (`offer_award`, called by the award
page and by cohort jobs through `runner.use_delivery`); the mail is queued in the
issuing transaction and sent after it commits. With SMTP settings a mail sender
thread runs for the app's life (started and stopped by this router's lifespan) and
retries what the server did not take."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.errors import NotAllowed
from openler.accounts.models import Role
from openler.issuer.cohort import runner
from openler.issuer.delivery import mail, offers, oid4vci, qr, queue, service
from openler.issuer.delivery.errors import OfferUnavailable
from openler.issuer.delivery.sender import MailSender
from openler.issuer.errors import IssuerNotFound
from openler.settings import Settings
from openler.storage.tables import Organization, User
from openler.web.api.deps import Config
from openler.web.deps import AppSettings, CurrentUser, DbSession, Now
from openler.web.i18n import N_, gettext, translations_for
from openler.web.private import private as _private
from openler.web.security import CheckedForm
from openler.web.templating import render

STAFF_ROLES = (Role.OWNER, Role.ISSUER_STAFF)
UNAVAILABLE_STATUS = {"unknown": 404}


def smtp_mailer(settings: Settings) -> mail.SmtpMailer | None:
    """The SMTP mailer when a host is configured."""
    smtp = mail.smtp_settings_of(settings)
    return mail.SmtpMailer(smtp) if smtp is not None else None


def mailer_for(settings: Settings, db: Session) -> mail.Mailer:
    """SMTP when a host is configured, else the outbox."""
    return smtp_mailer(settings) or mail.OutboxMailer(db)


def _translator(language: str) -> Any:
    return translations_for(language).gettext


@asynccontextmanager
async def _mail_sender(app: FastAPI) -> AsyncIterator[None]:
    """With SMTP settings, run the mail sender; tell cohort jobs how to offer."""
    settings: Settings = app.state.settings
    with runner.delivering(app.state.sessionmaker, smtp=mail.smtp_settings_of(settings),
                           translator=_translator, clock=app.state.clock,
                           days=settings.claim_offer_days, busy=runner.busy) as sender:
        app.state.mail_sender = sender
        yield


router = APIRouter(lifespan=_mail_sender)


def _wake(request: Request) -> None:
    sender: MailSender | None = getattr(request.app.state, "mail_sender", None)
    if sender is not None:
        sender.wake()


def offer_award(request: Request, db: Session, settings: Settings, *, org_id: str,
                award_id: str, base_url: str, now: datetime,
                first_only: bool = False) -> tuple[str, str | None]:
    """Offer an award and send its mail after committing: ("smtp", "retry", "outbox",
    "none" or "existing", the claim link for a DID-only award)."""
    if first_only and offers.has_offer(db, award_id=award_id):
        return "existing", None
    mailer = smtp_mailer(settings)
    queued = service.queue_offer(db, org_id=org_id, award_id=award_id, base_url=base_url,
                                 translator=_translator, now=now, smtp=mailer is not None,
                                 days=settings.claim_offer_days)
    link = f"{base_url.rstrip('/')}{queued.path}"
    if queued.channel != "queued" or mailer is None or queued.message_id is None:
        return queued.channel, link if queued.channel == "none" else None
    db.commit()  # the offer exists before its mail leaves
    if service.deliver_now(db, message_id=queued.message_id, mailer=mailer, now=now):
        return "smtp", None
    _wake(request)
    return "retry", None



def _unavailable(request: Request, exc: OfferUnavailable) -> Response:
    return _private(render(request, "delivery/unavailable.html", {"reason": exc.reason},
                           status_code=UNAVAILABLE_STATUS.get(exc.reason, 410)))


def _claim_page(request: Request, db: DbSession, token: str, now: Any,
                **context: Any) -> Response:
    offer = offers.find_offer(db, token=token, now=now)
    return _private(render(request, "delivery/claim.html",
                           {"token": token, "about": service.describe(db, offer), **context}))


@router.get("/claim/{token}")
def claim(request: Request, token: str, db: DbSession, now: Now) -> Response:
    """What the learner was given, and the ways to take it (viewing uses nothing up)."""
    try:
        return _claim_page(request, db, token, now)
    except OfferUnavailable as exc:
        return _unavailable(request, exc)


@router.post("/claim/{token}/download")
def claim_download(request: Request, token: str, form: CheckedForm, db: DbSession,
                   now: Now) -> Response:
    """The signed credential as a JSON file; the link is used up."""
    try:
        offer, credential = offers.download(db, token=token, now=now)
    except OfferUnavailable as exc:
        return _unavailable(request, exc)
    return _private(Response(
        json.dumps(credential, indent=2), media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="credential-{offer.award_id}.json"'}))


@router.post("/claim/{token}/wallet")
def claim_wallet(request: Request, token: str, form: CheckedForm, db: DbSession, now: Now,
                 config: Config) -> Response:
    """A fresh OpenID4VCI offer for a wallet app: link, QR code and its text form."""
    try:
        offer = offers.find_offer(db, token=token, now=now)
        wallet = oid4vci.new_wallet_offer(db, offer=offer, issuer=config.base.url, now=now)
        return _claim_page(
            request, db, token, now, wallet=wallet,
            qr_svg=qr.qr_svg(wallet.by_reference,
                             title=gettext("QR code of the wallet link shown below")))
    except OfferUnavailable as exc:
        return _unavailable(request, exc)


def _staff(db: DbSession, user: User, org_id: str) -> Organization:
    mine = accounts.membership(db, user=user, org_id=org_id)
    if mine.role not in STAFF_ROLES:
        raise NotAllowed("deliver")
    return mine.organization


@router.post("/orgs/{org_id}/claim-offers/{award_id}")
def send_offer(request: Request, org_id: str, award_id: str, form: CheckedForm, db: DbSession,
               user: CurrentUser, now: Now, config: Config,
               settings: AppSettings) -> Response:
    """Send (or send again) a claim offer for one award; earlier links stop working."""
    _staff(db, user, org_id)
    try:
        channel, link = offer_award(request, db, settings, org_id=org_id, award_id=award_id,
                                    base_url=config.base.url, now=now)
    except IssuerNotFound:
        raise HTTPException(404) from None
    except OfferUnavailable:
        raise HTTPException(400) from None
    request.session["flash"] = OFFER_FLASH[channel]
    if channel == "smtp":
        return RedirectResponse(f"/orgs/{org_id}/awards", status_code=303)
    if link:
        request.session["claim_link"] = link
    return RedirectResponse(f"/orgs/{org_id}/outbox", status_code=303)


OFFER_FLASH = {
    "smtp": N_("The claim offer is sent by email."),
    "retry": N_("The claim offer could not be emailed yet. It waits in the outbox and is "
                "tried again in a few minutes."),
    "outbox": N_("Email is not set up, so the claim offer is in the outbox. Pass it on to "
                 "the learner."),
    "none": N_("The claim offer is ready. Give the learner this link."),
}
AWARD_FLASH = {
    "smtp": N_("The credential is issued and its claim offer is sent to the learner by email."),
    "retry": N_("The credential is issued. Its claim offer could not be emailed yet: it waits "
                "in the outbox and is tried again in a few minutes."),
    "outbox": N_("The credential is issued. Email is not set up, so its claim offer is in the "
                 "outbox: pass it on to the learner."),
    "none": N_("The credential is issued. Give the learner this claim link; the code for a "
               "wallet app is in the outbox."),
    "existing": N_("The credential is issued."),
}


@router.get("/orgs/{org_id}/outbox")
def outbox(request: Request, org_id: str, db: DbSession, user: CurrentUser,
           settings: AppSettings) -> Response:
    """Messages to learners: kept for staff, waiting for the mail server, sent or given up."""
    org = _staff(db, user, org_id)
    return render(request, "delivery/outbox.html",
                  {"org": org, "nav": "orgs", "messages": mail.outbox(db, org_id=org_id),
                   "counts": mail.outbox_counts(db, org_id=org_id),
                   "smtp": bool(settings.smtp_host),
                   "claim_link": request.session.pop("claim_link", None)})


@router.post("/orgs/{org_id}/outbox/retry")
def retry_outbox(request: Request, org_id: str, form: CheckedForm, db: DbSession,
                 user: CurrentUser, now: Now, settings: AppSettings) -> Response:
    """Try the waiting messages again now rather than at their next turn."""
    _staff(db, user, org_id)
    if smtp_mailer(settings) is None:
        raise HTTPException(404)
    queue.retry_now(db, org_id=org_id, now=now)
    db.commit()
    _wake(request)
    request.session["flash"] = N_("The waiting messages are being sent. Refresh this page in "
                                  "a moment to see how it went.")
    return RedirectResponse(f"/orgs/{org_id}/outbox", status_code=303)
