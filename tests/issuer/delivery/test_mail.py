"""Mailers: the outbox keeps messages per organization; SmtpMailer talks to a real SMTP
server on loopback (aiosmtpd); offers are written in the learner's language."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from openler.issuer.delivery import mail, service
from openler.storage.tables import User
from openler.storage.tables_delivery import OutboxMessage
from openler.web.i18n import translations_for


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _translator(language: str):
    return translations_for(language).gettext


def test_smtp_mailer_delivers_to_a_real_server(smtp_server, clock):
    controller, inbox = smtp_server
    mailer = mail.SmtpMailer(mail.SmtpSettings(host="127.0.0.1", port=controller.port,
                                               sender="College <badges@college.example>",
                                               starttls=False))
    mailer.send(mail.MailMessage(to="ana@example.org", subject="Hola", body="Cuerpo ñ"),
                now=clock())
    [(sender, recipients, raw)] = inbox.received
    assert sender == "badges@college.example" and recipients == ["ana@example.org"]
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Hola" and parsed.get_content().strip() == "Cuerpo ñ"


def test_outbox_keeps_messages_per_organization(session, org_id, accounts, clock):
    _, other = accounts.org_owner("boss@elsewhere.example", "Elsewhere")
    box = mail.OutboxMailer(session)
    box.send(mail.MailMessage(to="a@example.org", subject="S", body="B", organization_id=org_id,
                              link="https://x.example/claim/t"), now=clock())
    assert [m.to_address for m in mail.outbox(session, org_id=org_id)] == ["a@example.org"]
    assert mail.outbox(session, org_id=other) == []


def test_offer_goes_by_smtp_in_the_learners_language(session, org_id, award_row, accounts,
                                                     smtp_server, clock):
    accounts.learner("learner@example.org")
    learner = session.scalars(select(User).where(User.email == "learner@example.org")).one()
    learner.language = "es"
    session.flush()
    controller, inbox = smtp_server
    mailer = mail.SmtpMailer(mail.SmtpSettings(host="127.0.0.1", port=controller.port,
                                               starttls=False))
    sent = service.send_offer(session, org_id=org_id, award_id=award_row.id,
                              base_url="https://badges.example.org", mailer=mailer,
                              fallback=mail.OutboxMailer(session), translator=_translator,
                              now=clock())
    assert sent.channel == "smtp"
    [(_, recipients, raw)] = inbox.received
    assert recipients == ["learner@example.org"]
    parsed = message_from_bytes(raw, policy=policy.default)
    body = parsed.get_content()
    assert "Welding Basics" in parsed["Subject"] and "le ha enviado" in parsed["Subject"]
    assert f"https://badges.example.org/claim/{sent.new.token}" in body
    assert sent.new.tx_code in body
    assert session.scalars(select(OutboxMessage)).all() == []


def test_offer_falls_back_to_the_outbox_when_smtp_fails(session, org_id, award_row, clock):
    mailer = mail.SmtpMailer(mail.SmtpSettings(host="127.0.0.1", port=_free_port(),
                                               starttls=False, timeout=2))
    sent = service.send_offer(session, org_id=org_id, award_id=award_row.id,
                              base_url="https://badges.example.org", mailer=mailer,
                              fallback=mail.OutboxMailer(session), translator=_translator,
                              now=clock())
    assert sent.channel == "outbox"
    [kept] = mail.outbox(session, org_id=org_id)
    assert kept.to_address == "learner@example.org" and kept.offer_id == sent.new.offer.id
    assert "Example College" in kept.subject and "has issued you" in kept.body
    assert kept.link == f"https://badges.example.org/claim/{sent.new.token}"


def test_settings_choose_smtp_or_the_outbox(session, monkeypatch):
    from openler.settings import Settings
    from openler.web.routers.delivery import mailer_for

    monkeypatch.setenv("OPENLER_SMTP_HOST", "mail.college.example")
    monkeypatch.setenv("OPENLER_SMTP_PORT", "2525")
    monkeypatch.setenv("OPENLER_SMTP_FROM", "Badges <badges@college.example>")
    monkeypatch.setenv("OPENLER_SMTP_STARTTLS", "false")
    chosen = mailer_for(Settings(database_url="sqlite://"), session)
    assert isinstance(chosen, mail.SmtpMailer)
    assert (chosen.settings.host, chosen.settings.port, chosen.settings.starttls) == (
        "mail.college.example", 2525, False)
    assert chosen.settings.sender == "Badges <badges@college.example>"
    monkeypatch.delenv("OPENLER_SMTP_HOST")
    assert isinstance(mailer_for(Settings(database_url="sqlite://"), session), mail.OutboxMailer)
