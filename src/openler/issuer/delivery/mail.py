"""Sending claim offers by email: a ``Mailer`` port, an SMTP adapter and an outbox.

Spec: RFC 5321 (SMTP) and RFC 3207 (STARTTLS) through Python's smtplib; RFC 5322
message format through ``email.message.EmailMessage``. Without SMTP settings the
messages are kept in the organization's outbox, where staff can read them and
hand the link on. With SMTP, messages are first queued in the same table and sent
after the issuing transaction commits (`queue`); one SMTP session carries a whole
batch (RFC 5321 section 4.1.4: several mail transactions per session). The text
is in the learner's language when known.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from openler.storage.tables_delivery import OutboxMessage

if TYPE_CHECKING:
    from openler.settings import Settings


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a string for the message catalog; it is translated when the mail is written."""
    return message


@dataclass(frozen=True)
class MailMessage:
    """One outgoing message, with what the outbox page shows next to it."""

    to: str
    subject: str
    body: str
    organization_id: str | None = None
    offer_id: str | None = None
    link: str | None = None


class Mailer(Protocol):
    """Where messages go: an SMTP server, or the outbox table."""

    def send(self, message: MailMessage, *, now: datetime) -> None:
        """Deliver or keep one message."""
        ...


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server (from the OPENLER_SMTP_* settings)."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "OpenLER <no-reply@localhost>"
    starttls: bool = True
    timeout: float = 20.0


class SmtpMailer:
    """Send through an SMTP server, upgrading to TLS first when configured."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _email(self, message: MailMessage, now: datetime) -> EmailMessage:
        mail = EmailMessage()
        mail["From"], mail["To"] = self.settings.sender, message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(domain="openler")
        mail["Date"] = now.strftime("%a, %d %b %Y %H:%M:%S +0000")
        mail.set_content(message.body)
        return mail

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: MailMessage, *, now: datetime) -> None:
        """Hand the message to the server; smtplib errors reach the caller."""
        with self._connect() as smtp:
            smtp.send_message(self._email(message, now))

    def send_many(self, messages: Sequence[MailMessage], *,
                  now: datetime) -> list[Exception | None]:
        """Send a batch over one connection: per message None, or why it was not sent."""
        results: list[Exception | None] = []
        try:
            with self._connect() as smtp:
                for message in messages:
                    try:
                        smtp.send_message(self._email(message, now))
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                            smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as exc:
                        results.append(exc)  # this message only; the session goes on
                    else:
                        results.append(None)
        except (smtplib.SMTPException, OSError) as exc:  # the session broke: the rest waits
            results.extend([exc] * (len(messages) - len(results)))
        return results


class OutboxMailer:
    """Keep messages in the outbox table: as "kept" for staff, or "queued" for SMTP."""

    def __init__(self, db: Session, *, queued: bool = False) -> None:
        self.db = db
        self.queued = queued

    def keep(self, message: MailMessage, *, now: datetime) -> OutboxMessage:
        """Store the message for the outbox page (and the sender, when queued)."""
        row = OutboxMessage(organization_id=message.organization_id,
                            offer_id=message.offer_id, to_address=message.to[:320],
                            subject=message.subject[:300], body=message.body,
                            link=message.link, created_at=now,
                            state="queued" if self.queued else "kept", attempts=0,
                            next_attempt_at=now if self.queued else None)
        self.db.add(row)
        self.db.flush()
        return row

    def send(self, message: MailMessage, *, now: datetime) -> None:
        """Store the message for the organization's outbox page."""
        self.keep(message, now=now)


OUTBOX_STATES = ("kept", "queued", "sent", "failed")


def outbox(db: Session, *, org_id: str, limit: int = 200) -> list[OutboxMessage]:
    """The organization's messages, unsent ones first, newest first within each group."""
    sent_last = case((OutboxMessage.state == "sent", 1), else_=0)
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.organization_id == org_id)
                           .order_by(sent_last, OutboxMessage.created_at.desc(),
                                     OutboxMessage.id).limit(limit)))


def outbox_counts(db: Session, *, org_id: str) -> dict[str, int]:
    """How many of the organization's messages are in each state (for the outbox summary)."""
    rows = db.execute(select(OutboxMessage.state, func.count()).where(
        OutboxMessage.organization_id == org_id).group_by(OutboxMessage.state))
    counts = dict.fromkeys(OUTBOX_STATES, 0)
    counts.update({state: int(n) for state, n in rows})
    return counts


SUBJECT = N_("%(org)s sent you a credential: %(achievement)s")
BODY = N_(
    "Hello,\n\n%(org)s has issued you a digital credential: %(achievement)s.\n\n"
    "Open this link to collect it. You can download it as a file or add it to a "
    "wallet app:\n%(link)s\n\n"
    "If your wallet app asks for a code, type this one: %(tx_code)s\n"
    "Keep the code to yourself. The link works once and until %(expires)s.\n\n"
    "If you did not expect this message, you can ignore it.")


def offer_message(*, to: str, org_name: str, achievement: str, link: str, tx_code: str,
                  expires: datetime, gettext: Callable[[str], str],
                  organization_id: str | None = None,
                  offer_id: str | None = None) -> MailMessage:
    """The claim offer email, written with the learner's catalog."""
    values = {"org": org_name, "achievement": achievement, "link": link, "tx_code": tx_code,
              "expires": expires.strftime("%Y-%m-%d")}
    return MailMessage(to=to, subject=gettext(SUBJECT) % values, body=gettext(BODY) % values,
                       organization_id=organization_id, offer_id=offer_id, link=link)


def smtp_settings_of(settings: Settings) -> SmtpSettings | None:
    """The app's SMTP settings, or None when no mail server is configured (outbox only)."""
    if not settings.smtp_host:
        return None
    return SmtpSettings(host=settings.smtp_host, port=settings.smtp_port,
                        user=settings.smtp_user, password=settings.smtp_password,
                        sender=settings.smtp_from, starttls=settings.smtp_starttls)
