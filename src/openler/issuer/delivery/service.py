"""Delivery use cases: offer an award to its learner (and tell them), describe an offer.

``queue_offer`` is what issuing uses: the offer and its message are written in the
issuing transaction ("queued" for SMTP, or "kept" in the outbox without a mail
server, or kept for staff when the award names only a DID) and ``deliver_now``
sends a queued message once that transaction has committed. ``send_offer`` is
the older one-step form that talks to SMTP inside the caller's transaction.

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

from openler.issuer.delivery import mail, offers, queue
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


@dataclass(frozen=True)
class OfferQueued:
    """A new offer and its message: channel "queued" (SMTP after commit), "outbox" (no
    mail server: staff pass it on) or "none" (a DID-only award: staff hand the link on)."""

    new: NewOffer
    channel: str
    message_id: str | None

    @property
    def path(self) -> str:
        """The claim page path."""
        return self.new.path


def queue_offer(db: Session, *, org_id: str, award_id: str, base_url: str,
                translator: Translator, now: datetime, smtp: bool,
                days: int = offers.DEFAULT_DAYS) -> OfferQueued:
    """Make a fresh offer and write its message, without talking to the mail server."""
    new = offers.create_offer(db, org_id=org_id, award_id=award_id, now=now, days=days)
    award = new.offer.award
    org = db.get(Organization, org_id)
    to = award.recipient_email or award.recipient_did or ""
    message = mail.offer_message(
        to=to, org_name=org.name if org else "", achievement=award.achievement.name,
        link=f"{base_url.rstrip('/')}{new.path}", tx_code=new.tx_code,
        expires=new.offer.expires_at, gettext=translator(new.offer.language),
        organization_id=org_id, offer_id=new.offer.id)
    by_mail = bool(award.recipient_email)
    row = mail.OutboxMailer(db, queued=smtp and by_mail).keep(message, now=now)
    if row.state == "queued":  # this request sends it (deliver_now); senders wait HOLD
        row.next_attempt_at = now + queue.HOLD
        db.flush()
    channel = ("queued" if smtp else "outbox") if by_mail else "none"
    return OfferQueued(new, channel, row.id)


def deliver_now(db: Session, *, message_id: str, mailer: mail.Mailer | queue.BatchMailer,
                now: datetime) -> bool:
    """Send one committed queued message at once; False leaves it queued for a retry."""
    return queue.deliver(db, mailer=mailer, now=now, ids=[message_id],
                         due_by=now + queue.HOLD).sent == 1


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
