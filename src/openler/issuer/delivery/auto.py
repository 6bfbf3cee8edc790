"""Automatic claim offers for many awards at once: a cohort job's batch, in bulk.

Spec: OpenID4VCI 1.0 section 4.1 (each learner gets their offer out of band) and
section 5.1.1 (the ``tx_code`` travels in the email), as in `offers` and `service`.
Built for 100,000-row cohorts: per batch a few reads (the awards with their
achievement and organization names, which already have offers, the learners'
languages) and two multi-row INSERTs (offers, then outbox rows). No mail server
is contacted here: rows are "queued" for the sender (`sender`, `queue`), which
runs after the batch commits, or "kept" in the outbox when there is no mail server
(and for DID-only awards, whose link and code staff hand on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from openler.issuer.delivery import mail
from openler.issuer.delivery.offers import DEFAULT_DAYS, TX_CODE_LENGTH
from openler.issuer.delivery.secrets_ import digest, new_token, numeric_code
from openler.storage.tables import Achievement, Organization, User, new_id
from openler.storage.tables_catalog import Award
from openler.storage.tables_delivery import ClaimOffer, OutboxMessage

Translator = Callable[[str], Callable[[str], str]]
CHUNK = 500
"""Ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits."""
_OFFERS = cast(Table, ClaimOffer.__table__)
_OUTBOX = cast(Table, OutboxMessage.__table__)


def untranslated(language: str) -> Callable[[str], str]:
    """The English text as written (for runs without the web app's catalogs)."""
    return str


@dataclass(frozen=True)
class AutoOffers:
    """How this process offers new awards: mail queued for SMTP or kept, in which words."""

    queue_mail: bool
    translator: Translator = untranslated
    days: int = DEFAULT_DAYS
    wake: Callable[[], None] | None = None
    """Told after a commit that queued mail waits (the sender thread's ``wake``)."""


@dataclass(frozen=True)
class BulkOffers:
    """What one call made: offers, messages queued for SMTP, kept in the outbox, skipped."""

    offered: int = 0
    queued: int = 0
    kept: int = 0
    skipped: int = 0


def _chunks(ids: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _languages(db: Session, emails: Iterable[str]) -> dict[str, str]:
    wanted = sorted({e.lower() for e in emails if e})
    found: dict[str, str] = {}
    for part in _chunks(wanted, CHUNK):
        stmt = select(User.email, User.language).where(User.email.in_(part))
        found.update({email: language for email, language in db.execute(stmt) if language})
    return found


def make_offers(db: Session, *, award_ids: Iterable[str], base_url: str, plan: AutoOffers,
                now: datetime) -> BulkOffers:
    """Offer each award that has no offer yet (revoked ones excepted), queueing its mail."""
    ids = list(dict.fromkeys(award_ids))
    base = base_url.rstrip("/")
    expires = now + timedelta(days=max(1, plan.days))
    gettexts: dict[str, Callable[[str], str]] = {}
    offered = queued = kept = skipped = 0
    for part in _chunks(ids, CHUNK):
        taken = set(db.scalars(select(ClaimOffer.award_id).where(ClaimOffer.award_id.in_(part))))
        stmt = (select(Award.id, Award.organization_id, Award.recipient_email,
                       Award.recipient_did, Award.status, Achievement.name, Organization.name)
                .join(Achievement, Achievement.id == Award.achievement_id)
                .join(Organization, Organization.id == Award.organization_id)
                .where(Award.id.in_(part)))
        rows = [r for r in db.execute(stmt) if r[0] not in taken and r[4] != "revoked"]
        skipped += len(part) - len(rows)
        languages = _languages(db, (r[2] for r in rows if r[2]))
        offer_rows: list[dict[str, Any]] = []
        mail_rows: list[dict[str, Any]] = []
        for award_id, org_id, email, did, _status, achievement, org_name in rows:
            language = languages.get((email or "").lower(), "en")
            gettext = gettexts.get(language) or gettexts.setdefault(
                language, plan.translator(language))
            token, tx_code, offer_id = new_token(), numeric_code(TX_CODE_LENGTH), new_id()
            offer_rows.append({"id": offer_id, "organization_id": org_id, "award_id": award_id,
                               "token_hash": digest(token), "tx_code_hash": digest(tx_code),
                               "language": language, "created_at": now,
                               "expires_at": expires})
            message = mail.offer_message(
                to=email or did or "", org_name=org_name, achievement=achievement,
                link=f"{base}/claim/{token}", tx_code=tx_code, expires=expires,
                gettext=gettext, organization_id=org_id, offer_id=offer_id)
            by_smtp = plan.queue_mail and bool(email)
            mail_rows.append({"id": new_id(), "organization_id": org_id, "offer_id": offer_id,
                              "to_address": message.to[:320],
                              "subject": message.subject[:300], "body": message.body,
                              "link": message.link, "created_at": now,
                              "state": "queued" if by_smtp else "kept", "attempts": 0,
                              "next_attempt_at": now if by_smtp else None})
            queued += by_smtp
            kept += not by_smtp
        if offer_rows:  # one Core multi-row INSERT each: no ORM object (or bulk ORM pass) per row
            db.execute(insert(_OFFERS), offer_rows)
            db.execute(insert(_OUTBOX), mail_rows)
            offered += len(offer_rows)
    return BulkOffers(offered=offered, queued=queued, kept=kept, skipped=skipped)


def offers_after_awards(*, base_url: str, clock: Callable[[], datetime],
                        plan: AutoOffers | Callable[[], AutoOffers]
                        ) -> Callable[[Session, list[str]], None]:
    """The ``after_awards`` hook of ``cohort.jobs.run_job``: offer a batch's awards inside
    its transaction. ``plan`` may be a function, read at each batch (so a plan set up
    after the job started, e.g. at app start-up, still applies)."""

    def after_awards(db: Session, award_ids: list[str]) -> None:
        current = plan if isinstance(plan, AutoOffers) else plan()
        make_offers(db, award_ids=award_ids, base_url=base_url, plan=current, now=clock())

    return after_awards
