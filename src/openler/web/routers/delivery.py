"""Claim pages for learners (public, by claim link) and the staff side of delivery:
sending or re-sending a claim offer, and the organization's mail outbox."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.errors import NotAllowed
from openler.accounts.models import Role
from openler.issuer.delivery import mail, offers, oid4vci, qr, service
from openler.issuer.delivery.errors import OfferUnavailable
from openler.issuer.errors import IssuerNotFound
from openler.settings import Settings
from openler.storage.tables import Organization, User
from openler.web.api.deps import Config
from openler.web.deps import AppSettings, CurrentUser, DbSession, Now
from openler.web.i18n import N_, gettext, translations_for
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()
STAFF_ROLES = (Role.OWNER, Role.ISSUER_STAFF)
UNAVAILABLE_STATUS = {"unknown": 404}


def mailer_for(settings: Settings, db: DbSession) -> mail.Mailer:
    """SMTP when a host is configured, else the outbox."""
    if settings.smtp_host:
        return mail.SmtpMailer(mail.SmtpSettings(
            host=settings.smtp_host, port=settings.smtp_port, user=settings.smtp_user,
            password=settings.smtp_password, sender=settings.smtp_from,
            starttls=settings.smtp_starttls))
    return mail.OutboxMailer(db)


def _translator(language: str) -> Any:
    return translations_for(language).gettext


def _private(response: Response) -> Response:
    """Claim pages carry secrets: never cached, never sent on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


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
        sent = service.send_offer(db, org_id=org_id, award_id=award_id, base_url=config.base.url,
                                  mailer=mailer_for(settings, db),
                                  fallback=mail.OutboxMailer(db), translator=_translator,
                                  now=now, days=settings.claim_offer_days)
    except IssuerNotFound:
        raise HTTPException(404) from None
    except OfferUnavailable:
        raise HTTPException(400) from None
    if sent.channel == "smtp":
        request.session["flash"] = N_("The claim offer is sent by email.")
        return RedirectResponse(f"/orgs/{org_id}/awards", status_code=303)
    if sent.channel == "outbox":
        request.session["flash"] = N_(
            "Email is not set up, so the claim offer is in the outbox. Pass it on to the learner.")
        return RedirectResponse(f"/orgs/{org_id}/outbox", status_code=303)
    request.session["flash"] = N_("The claim offer is ready. Give the learner this link.")
    request.session["claim_link"] = f"{config.base.url}{sent.new.path}"
    return RedirectResponse(f"/orgs/{org_id}/outbox", status_code=303)


@router.get("/orgs/{org_id}/outbox")
def outbox(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """Messages kept because email is not set up, with their claim links."""
    org = _staff(db, user, org_id)
    return render(request, "delivery/outbox.html",
                  {"org": org, "nav": "orgs", "messages": mail.outbox(db, org_id=org_id),
                   "claim_link": request.session.pop("claim_link", None)})
