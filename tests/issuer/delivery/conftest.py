"""Fixtures for delivery tests: an achievement awarded to a learner by email."""

from __future__ import annotations

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput

COURSE = AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                          criteria="Passed the practical assessment.")


@pytest.fixture
def award_row(session, config, org_id, clock):
    course = catalog.create_achievement(session, config=config, org_id=org_id, data=COURSE,
                                        now=clock())
    row = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                       recipient_email="Learner@Example.org", now=clock())
    session.commit()
    return row


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses chosen recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refused: set[str] = set()
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def bodies(self) -> list[str]:
        from email import message_from_bytes, policy

        return [message_from_bytes(raw, policy=policy.default).get_content()
                for _, _, raw in self.received]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    """A real SMTP server on loopback; yields (port, inbox)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def dead_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    return free_port()
