"""The mail queue: claim offer messages waiting in the outbox table until SMTP takes them.

Spec: RFC 5321 section 4.5.4.1 (a message that could not be delivered is retried
at growing intervals and given up after a while; a 5yz reply is permanent) and
section 4.1.4 (one SMTP session may carry several messages). Issuing never waits
for the mail server: offers write "queued" rows in the issuing transaction and a
sender delivers them after the commit. A sender first takes a batch with one
conditional UPDATE that stamps its own lease on the rows (and pushes their next
attempt past the lease time), commits, and only then talks to SMTP, so two senders
never send the same row at the same time, and a sender that dies mid-batch leaves
rows that are tried again once the lease has run out. Unsent rows stay in the
outbox page, with their attempts and last error, until they are sent or given up;
a sent row keeps only its address, subject and times (its body, with the claim
link and transaction code, is cleared: those secrets are not kept in clear).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from openler.issuer.delivery.mail import Mailer, MailMessage
from openler.storage.tables import new_id
from openler.storage.tables_delivery import OutboxMessage

log = logging.getLogger("openler.delivery")

BATCH = 100
LEASE = timedelta(minutes=10)
HOLD = timedelta(minutes=1)
"""A single award's message waits this long for its own request to send it (`deliver`'s
``due_by``) before background senders may take it (if that request died meanwhile)."""
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
               timedelta(hours=2), timedelta(hours=6), timedelta(hours=12))
"""Wait before attempt n+2 after n+1 failed; after the last one the message is given up."""
MAX_ATTEMPTS = len(RETRY_AFTER) + 1


class BatchMailer(Protocol):
    """A mailer that can send several messages over one connection."""

    def send_many(self, messages: Sequence[MailMessage], *,
                  now: datetime) -> list[Exception | None]:
        """Per message: None when sent, else why not."""
        ...


@dataclass(frozen=True)
class Delivery:
    """What one delivery round did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def taken(self) -> int:
        """Messages this round took from the queue."""
        return self.sent + self.retrying + self.failed

    def __add__(self, other: Delivery) -> Delivery:
        return Delivery(self.sent + other.sent, self.retrying + other.retrying,
                        self.failed + other.failed)


def send_all(mailer: Mailer | BatchMailer, messages: Sequence[MailMessage], *,
             now: datetime) -> list[Exception | None]:
    """Send through ``send_many`` when the mailer has it, else one ``send`` per message."""
    many: Callable[..., list[Exception | None]] | None = getattr(mailer, "send_many", None)
    if many is not None:
        return many(messages, now=now)
    results: list[Exception | None] = []
    for message in messages:
        try:
            mailer.send(message, now=now)  # type: ignore[union-attr]
        except (smtplib.SMTPException, OSError) as exc:
            results.append(exc)
        else:
            results.append(None)
    return results


def _permanent(exc: Exception) -> bool:
    """A 5yz reply (RFC 5321 section 4.2.1): the same message will not go through later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _take(db: Session, *, now: datetime, limit: int, ids: Sequence[str] | None,
          due_by: datetime | None = None) -> str:
    """Stamp a lease on up to ``limit`` rows due by ``due_by`` (default now) and commit;
    returns the lease."""
    lease = new_id()
    due_by = due_by or now
    due_row = aliased(OutboxMessage)
    due = select(due_row.id).where(due_row.state == "queued", due_row.next_attempt_at <= due_by)
    if ids is not None:
        due = due.where(due_row.id.in_(list(ids)))
    due = due.order_by(due_row.next_attempt_at, due_row.id).limit(limit)
    db.execute(update(OutboxMessage)
               .where(OutboxMessage.id.in_(due.scalar_subquery()),
                      OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= due_by)
               .values(lease=lease, next_attempt_at=now + LEASE)
               .execution_options(synchronize_session=False))
    db.commit()
    return lease


def deliver(db: Session, *, mailer: Mailer | BatchMailer, now: datetime,
            ids: Sequence[str] | None = None, limit: int = BATCH,
            due_by: datetime | None = None) -> Delivery:
    """Send one batch of due queued messages (or only ``ids``) and record each outcome.

    Commits twice: once to take the batch, once with the outcomes."""
    if ids is not None and not ids:
        return Delivery()
    lease = _take(db, now=now, limit=limit, ids=ids, due_by=due_by)
    rows = list(db.scalars(select(OutboxMessage).where(OutboxMessage.lease == lease)
                           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)))
    if not rows:
        return Delivery()
    messages = [MailMessage(to=r.to_address, subject=r.subject, body=r.body,
                            organization_id=r.organization_id, offer_id=r.offer_id, link=r.link)
                for r in rows]
    outcomes = send_all(mailer, messages, now=now)
    sent_ids = [row.id for row, exc in zip(rows, outcomes, strict=True) if exc is None]
    if sent_ids:
        db.execute(update(OutboxMessage).where(OutboxMessage.id.in_(sent_ids))
                   .values(state="sent", sent_at=now, lease=None, next_attempt_at=None,
                           attempts=OutboxMessage.attempts + 1, last_error=None,
                           body="", link=None)  # the link and code leave with the mail
                   .execution_options(synchronize_session=False))
    retrying = failed = 0
    for row, exc in zip(rows, outcomes, strict=True):
        if exc is None:
            continue
        attempts = row.attempts + 1
        give_up = attempts >= MAX_ATTEMPTS or _permanent(exc)
        failed += give_up
        retrying += not give_up
        log.warning("claim offer mail %s not sent (attempt %d): %s", row.id, attempts, exc)
        db.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                   .values(state="failed" if give_up else "queued", attempts=attempts,
                           lease=None, last_error=_reason(exc),
                           next_attempt_at=None if give_up
                           else now + RETRY_AFTER[attempts - 1])
                   .execution_options(synchronize_session=False))
    db.commit()
    db.expire_all()
    return Delivery(sent=len(sent_ids), retrying=retrying, failed=failed)


def deliver_due(sessions: sessionmaker[Session], *, mailer: Mailer | BatchMailer,
                clock: Callable[[], datetime], batch: int = BATCH,
                max_batches: int | None = None) -> Delivery:
    """Send batches until nothing is due (or ``max_batches`` ran), each in its own session."""
    total, rounds = Delivery(), 0
    while max_batches is None or rounds < max_batches:
        with sessions() as db:
            done = deliver(db, mailer=mailer, now=clock(), limit=batch)
        total, rounds = total + done, rounds + 1
        if done.taken < batch:
            break
    return total


def retry_now(db: Session, *, org_id: str, now: datetime) -> int:
    """Make the organization's waiting (not given-up) messages due at once; how many."""
    result = db.execute(update(OutboxMessage)
                        .where(OutboxMessage.organization_id == org_id,
                               OutboxMessage.state == "queued",
                               OutboxMessage.lease.is_(None))
                        .values(next_attempt_at=now)
                        .execution_options(synchronize_session=False))
    db.flush()
    return int(getattr(result, "rowcount", 0) or 0)
