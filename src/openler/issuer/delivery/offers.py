"""Claim offers: one unguessable, single-use link per award, with an expiry.

Spec: OpenID4VCI 1.0, section 4.1 (an offer is handed to the learner out of
band, as a link or QR code) and section 5.1.1 (``tx_code``: a short code sent
on another channel). The claim token and the transaction code are stored only
as SHA-256 hashes. Viewing a claim page never uses the offer up; delivering the
credential (a download, a wallet, an account) does, and counts a "claimed"
event for the issuer dashboard. Making a new offer for an award replaces the
previous one, so a learner who never claimed can be given the credential again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from openler.issuer.dashboard import record_event
from openler.issuer.delivery.errors import OfferUnavailable
from openler.issuer.delivery.secrets_ import digest, new_token, numeric_code
from openler.issuer.errors import IssuerNotFound
from openler.storage.tables import User
from openler.storage.tables_catalog import Award
from openler.storage.tables_delivery import ClaimOffer

DEFAULT_DAYS = 30
TX_CODE_LENGTH = 6
CLAIM_WAYS = ("download", "wallet", "account")


@dataclass(frozen=True)
class NewOffer:
    """A fresh offer with the two secrets that are never stored in clear."""

    offer: ClaimOffer
    token: str
    tx_code: str

    @property
    def path(self) -> str:
        """The public claim page path."""
        return f"/claim/{self.token}"


def learner_language(db: Session, email: str | None, *, default: str = "en") -> str:
    """The language of the learner's account when one exists, so mail is readable."""
    if not email:
        return default
    user = db.scalars(select(User).where(User.email == email.lower())).first()
    return user.language if user is not None and user.language else default


def create_offer(db: Session, *, org_id: str, award_id: str, now: datetime,
                 days: int = DEFAULT_DAYS, language: str | None = None) -> NewOffer:
    """Offer the award's credential to the learner, replacing any earlier offer."""
    award = db.get(Award, award_id)
    if award is None or award.organization_id != org_id:
        raise IssuerNotFound("award")
    if award.status == "revoked":
        raise OfferUnavailable("revoked")
    for old in db.scalars(select(ClaimOffer).where(ClaimOffer.award_id == award_id,
                                                   ClaimOffer.replaced_at.is_(None))):
        old.replaced_at = now
    token, tx_code = new_token(), numeric_code(TX_CODE_LENGTH)
    offer = ClaimOffer(organization_id=org_id, award_id=award_id, token_hash=digest(token),
                       tx_code_hash=digest(tx_code), created_at=now,
                       expires_at=now + timedelta(days=max(1, days)),
                       language=language or learner_language(db, award.recipient_email))
    db.add(offer)
    db.flush()
    return NewOffer(offer, token, tx_code)


def check_live(offer: ClaimOffer, *, now: datetime) -> ClaimOffer:
    """Refuse an offer that was replaced, used, revoked or has expired."""
    if offer.replaced_at is not None:
        raise OfferUnavailable("replaced")
    if offer.claimed_at is not None:
        raise OfferUnavailable("claimed")
    if offer.award.status == "revoked":
        raise OfferUnavailable("revoked")
    if now >= offer.expires_at:
        raise OfferUnavailable("expired")
    return offer


def find_offer(db: Session, *, token: str, now: datetime) -> ClaimOffer:
    """The live offer behind a claim link; OfferUnavailable with a reason otherwise."""
    if not token or len(token) > 200:
        raise OfferUnavailable("unknown")
    offer = db.scalars(select(ClaimOffer).where(ClaimOffer.token_hash == digest(token))).first()
    if offer is None:
        raise OfferUnavailable("unknown")
    return check_live(offer, now=now)


def mark_claimed(offer: ClaimOffer, *, how: str, now: datetime) -> None:
    """Use the offer up, remembering how the learner took it, and count it for the dashboard."""
    if how not in CLAIM_WAYS:
        raise ValueError(f"unknown claim way {how!r}")
    first = offer.claimed_at is None
    offer.claimed_at = now
    offer.claimed_by = how
    db = object_session(offer)
    if first and db is not None:
        record_event(db, org_id=offer.organization_id, award_id=offer.award_id, kind="claimed",
                     at=now)


def has_offer(db: Session, *, award_id: str) -> bool:
    """Whether the award was ever offered (a repeated award request must not offer again)."""
    return db.scalar(select(ClaimOffer.id).where(ClaimOffer.award_id == award_id)
                     .limit(1)) is not None


def download(db: Session, *, token: str, now: datetime) -> tuple[ClaimOffer, dict]:
    """The signed credential as issued, for the learner to keep as a file."""
    offer = find_offer(db, token=token, now=now)
    mark_claimed(offer, how="download", now=now)
    db.flush()
    return offer, dict(offer.award.credential)


def offers_for_award(db: Session, *, org_id: str, award_id: str) -> list[ClaimOffer]:
    """The award's offers, newest first (for the staff pages)."""
    return list(db.scalars(select(ClaimOffer).where(
        ClaimOffer.organization_id == org_id, ClaimOffer.award_id == award_id)
        .order_by(ClaimOffer.created_at.desc())))


def latest_offers(db: Session, *, org_id: str) -> dict[str, ClaimOffer]:
    """The current offer of each award of the organization, by award id."""
    rows = db.scalars(select(ClaimOffer).where(ClaimOffer.organization_id == org_id,
                                               ClaimOffer.replaced_at.is_(None)))
    return {row.award_id: row for row in rows}
