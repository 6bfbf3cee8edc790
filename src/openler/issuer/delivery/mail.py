"""Sending claim offers by email: a ``Mailer`` port, an SMTP adapter and an outbox.

Spec: RFC 5321 (SMTP) and RFC 3207 (STARTTLS) through Python's smtplib; RFC 5322
message format through ``email.message.EmailMessage``. Without SMTP settings the
messages are kept in the organization's outbox, where staff can read them and
hand the link on. The text is in the learner's language when known.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.storage.tables_delivery import OutboxMessage


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

    def send(self, message: MailMessage, *, now: datetime) -> None:
        """Hand the message to the server; smtplib errors reach the caller."""
        s = self.settings
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = s.sender, message.to, message.subject
        mail["Message-ID"] = make_msgid(domain="openler")
        mail["Date"] = now.strftime("%a, %d %b %Y %H:%M:%S +0000")
        mail.set_content(message.body)
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
            smtp.send_message(mail)


class OutboxMailer:
    """Keep messages in the outbox table, for instances without mail."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def send(self, message: MailMessage, *, now: datetime) -> None:
        """Store the message for the organization's outbox page."""
        self.db.add(OutboxMessage(organization_id=message.organization_id,
                                  offer_id=message.offer_id, to_address=message.to,
                                  subject=message.subject[:300], body=message.body,
                                  link=message.link, created_at=now))
        self.db.flush()


def outbox(db: Session, *, org_id: str, limit: int = 200) -> list[OutboxMessage]:
    """The organization's kept messages, newest first."""
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.organization_id == org_id)
                           .order_by(OutboxMessage.created_at.desc()).limit(limit)))


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
