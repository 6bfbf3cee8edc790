"""Delivery use cases: offer an award to its learner (and tell them), describe an offer.

Spec: OpenID4VCI 1.0 section 4.1 (the offer reaches the learner out of band) and
5.1.1 (``tx_code`` sent on another channel: here the email carries the code while
the claim page shows the wallet link and QR code, so someone who only sees the
screen, or a forwarded link's QR code, cannot redeem the offer).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from openler.issuer.delivery import mail, offers
from openler.issuer.delivery.offers import NewOffer
from openler.storage.tables import Organization
from openler.storage.tables_catalog import Award
from openler.storage.tables_delivery import ClaimOffer

log = logging.getLogger("openler.delivery")

Translator = Callable[[str], Callable[[str], str]]
"""Given a language code, the gettext function of its catalog."""


@dataclass(frozen=True)
class OfferSent:
    """The new offer and where its message went ("smtp", "outbox" or "none")."""

    new: NewOffer
    channel: str


def describe(db: Session, offer: ClaimOffer) -> dict[str, str]:
    """Who issued what, in the words a claim page needs."""
    award: Award = offer.award
    org = db.get(Organization, offer.organization_id)
    return {"org": org.name if org is not None else "",
            "achievement": award.achievement.name,
            "expires": offer.expires_at.strftime("%Y-%m-%d")}


def send_offer(db: Session, *, org_id: str, award_id: str, base_url: str, mailer: mail.Mailer,
               fallback: mail.Mailer, translator: Translator, now: datetime,
               days: int = offers.DEFAULT_DAYS) -> OfferSent:
    """Make a fresh offer for the award and send its link and code to the learner."""
    new = offers.create_offer(db, org_id=org_id, award_id=award_id, now=now, days=days)
    award = new.offer.award
    if not award.recipient_email:
        return OfferSent(new, "none")  # awarded to a DID: staff hand the link on themselves
    org = db.get(Organization, org_id)
    message = mail.offer_message(
        to=award.recipient_email, org_name=org.name if org else "",
        achievement=award.achievement.name, link=f"{base_url.rstrip('/')}{new.path}",
        tx_code=new.tx_code, expires=new.offer.expires_at,
        gettext=translator(new.offer.language), organization_id=org_id,
        offer_id=new.offer.id)
    try:
        mailer.send(message, now=now)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("claim offer mail not sent, kept in the outbox: %s", exc)
        fallback.send(message, now=now)
        return OfferSent(new, "outbox")
    return OfferSent(new, "outbox" if isinstance(mailer, mail.OutboxMailer) else "smtp")
