"""The award page offers the credential at once: by email through a real SMTP server
(aiosmtpd) when mail is set up, kept in the outbox otherwise, the link shown to staff
for a DID-only award; a mail server that is away leaves the message waiting for the
sender thread, and "send again" still replaces the offer."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from openler.issuer import catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.storage.tables_catalog import Award
from openler.storage.tables_delivery import ClaimOffer, OutboxMessage

APP_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
LINK = re.compile(r"http://testserver(/claim/[A-Za-z0-9_-]+)")


def _course(engine, org_id, clock) -> str:
    config = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    with storage_db.make_sessionmaker(engine)() as s:
        row = catalog.create_achievement(
            s, config=config, org_id=org_id, now=clock(),
            data=AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                                  criteria="Passed the practical assessment."))
        s.commit()
        return row.id


def _client(settings, clock, web, accounts, clean_db, **mail_settings):
    from openler.web.app import create_app

    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    course = _course(clean_db, org_id, clock)
    app = create_app(settings.model_copy(update=mail_settings), clock=clock)
    client = TestClient(app, base_url="http://testserver")
    client.__enter__()
    web.sign_in(client, "owner@college.example")
    return client, org_id, course


@pytest.fixture
def no_mail(settings, clock, web, accounts, clean_db):
    client, org_id, course = _client(settings, clock, web, accounts, clean_db)
    yield client, org_id, course
    client.__exit__(None, None, None)


@pytest.fixture
def with_mail(settings, clock, web, accounts, clean_db, smtp_inbox):
    port, inbox = smtp_inbox
    client, org_id, course = _client(settings, clock, web, accounts, clean_db,
                                     smtp_host="127.0.0.1", smtp_port=port,
                                     smtp_starttls=False)
    yield client, org_id, course, inbox
    client.__exit__(None, None, None)


@pytest.fixture
def mail_away(settings, clock, web, accounts, clean_db, dead_port):
    client, org_id, course = _client(settings, clock, web, accounts, clean_db,
                                     smtp_host="127.0.0.1", smtp_port=dead_port,
                                     smtp_starttls=False)
    yield client, org_id, course
    client.__exit__(None, None, None)


def _award(client, web, org_id, course, **fields):
    path = f"/orgs/{org_id}/catalog/{course}/award"
    form = client.get(path).text
    key = re.search(r'name="idempotency_key" value="(\w+)"', form).group(1)
    data = {"csrf_token": web.csrf_of(client, path), "idempotency_key": key, **fields}
    return client.post(path, data=data, follow_redirects=False), data


def _count(engine, table, *where) -> int:
    with storage_db.make_sessionmaker(engine)() as s:
        return s.scalar(select(func.count()).select_from(table).where(*where))


def test_without_mail_the_offer_is_kept_in_the_outbox(no_mail, web, clean_db):
    client, org_id, course = no_mail
    response, _ = _award(client, web, org_id, course, recipient_email="sam@learner.example")
    assert response.status_code == 303 and response.headers["location"] == f"/orgs/{org_id}/awards"
    assert "Email is not set up, so its claim offer is in the outbox" in client.get(
        response.headers["location"]).text
    outbox = client.get(f"/orgs/{org_id}/outbox").text
    assert "sam@learner.example" in outbox and "Kept here" in outbox
    assert re.search(r"type this one: \d{6}", outbox)
    assert client.get(LINK.search(outbox).group(1)).status_code == 200
    assert _count(clean_db, ClaimOffer) == 1


def test_with_mail_the_learner_gets_the_link_by_email(with_mail, web, clean_db, make_client):
    client, org_id, course, inbox = with_mail
    response, data = _award(client, web, org_id, course, recipient_email="Sam@Learner.example")
    assert response.status_code == 303 and response.headers["location"] == f"/orgs/{org_id}/awards"
    assert "its claim offer is sent to the learner by email" in client.get(
        response.headers["location"]).text
    [(_, recipients, _)] = inbox.received
    assert recipients == ["sam@learner.example"]
    [body] = inbox.bodies()
    path = LINK.search(body).group(1)
    assert make_client().get(path).status_code == 200
    outbox = client.get(f"/orgs/{org_id}/outbox").text
    assert "Sent by email on" in outbox and "Waiting: 0. Sent: 1." in outbox
    assert "no longer kept here" in outbox and path not in outbox
    # The same form sent twice issues once and offers once.
    again = client.post(f"/orgs/{org_id}/catalog/{course}/award",
                        data={**data, "csrf_token": web.csrf_of(client, f"/orgs/{org_id}/awards")},
                        follow_redirects=False)
    assert again.status_code == 303
    assert _count(clean_db, Award) == 1 and _count(clean_db, ClaimOffer) == 1
    assert len(inbox.received) == 1
    # "Send a claim link" again: a new offer by email, the first link stops working.
    token = web.csrf_of(client, f"/orgs/{org_id}/awards")
    with storage_db.make_sessionmaker(clean_db)() as s:
        award_id = s.scalar(select(Award.id))
    resent = client.post(f"/orgs/{org_id}/claim-offers/{award_id}", data={"csrf_token": token},
                         follow_redirects=False)
    assert resent.status_code == 303 and resent.headers["location"] == f"/orgs/{org_id}/awards"
    assert len(inbox.received) == 2
    assert make_client().get(path).status_code == 410


def test_a_did_award_shows_staff_the_link_and_keeps_the_code(with_mail, web, make_client):
    client, org_id, course, inbox = with_mail
    response, _ = _award(client, web, org_id, course, recipient_did="did:example:learner-42")
    assert response.status_code == 303 and response.headers["location"] == f"/orgs/{org_id}/outbox"
    page = client.get(response.headers["location"]).text
    assert "Give the learner this claim link" in page
    assert make_client().get(LINK.search(page).group(1)).status_code == 200
    assert "did:example:learner-42" in page and re.search(r"type this one: \d{6}", page)
    assert inbox.received == []


def test_mail_server_away_leaves_the_message_waiting(mail_away, web, clean_db):
    client, org_id, course = mail_away
    response, _ = _award(client, web, org_id, course, recipient_email="sam@learner.example")
    assert response.status_code == 303
    assert "could not be emailed yet" in client.get(response.headers["location"]).text
    outbox = client.get(f"/orgs/{org_id}/outbox").text
    assert "Waiting to be sent" in outbox and "Attempts so far: 1." in outbox
    assert "Try sending the waiting messages now" in outbox
    with storage_db.make_sessionmaker(clean_db)() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert (row.state, row.attempts) == ("queued", 1) and row.last_error


def test_retry_button_hands_waiting_mail_to_the_sender(with_mail, web, clean_db, clock):
    client, org_id, course, inbox = with_mail
    with storage_db.make_sessionmaker(clean_db)() as s:
        s.add(OutboxMessage(organization_id=org_id, to_address="late@learner.example",
                            subject="S", body="B", created_at=clock(), state="queued",
                            attempts=2, next_attempt_at=clock().replace(year=2030)))
        s.commit()
    sender = client.app.state.mail_sender
    assert sender.wait_idle(10)  # the start-up round found nothing due
    token = web.csrf_of(client, f"/orgs/{org_id}/outbox")
    reply = client.post(f"/orgs/{org_id}/outbox/retry", data={"csrf_token": token},
                        follow_redirects=False)
    assert reply.status_code == 303
    assert sender.wait_idle(10)
    assert [r[1] for r in inbox.received] == [["late@learner.example"]]
    assert _count(clean_db, OutboxMessage, OutboxMessage.state == "sent") == 1


def test_retry_is_only_for_staff_with_mail(no_mail, web, make_client, accounts):
    client, org_id, _ = no_mail
    token = web.csrf_of(client, f"/orgs/{org_id}/outbox")
    assert client.post(f"/orgs/{org_id}/outbox/retry", data={"csrf_token": token},
                       follow_redirects=False).status_code == 404
    accounts.org_owner("boss@elsewhere.example", "Elsewhere")
    outsider = make_client()
    web.sign_in(outsider, "boss@elsewhere.example")
    token = web.csrf_of(outsider, "/account")
    assert outsider.post(f"/orgs/{org_id}/outbox/retry", data={"csrf_token": token},
                         follow_redirects=False).status_code == 404


def test_the_app_tells_cohort_jobs_how_to_offer_while_it_runs(settings, clock, web, accounts,
                                                              clean_db, smtp_inbox):
    from openler.issuer.cohort import runner

    port, _ = smtp_inbox
    client, _, _ = _client(settings, clock, web, accounts, clean_db, smtp_host="127.0.0.1",
                           smtp_port=port, smtp_starttls=False, claim_offer_days=9)
    try:
        plan = runner.delivery_plan()
        assert plan.queue_mail is True and plan.days == 9
        assert plan.wake == client.app.state.mail_sender.wake
        assert plan.translator("es")("Why") == "Motivo"
    finally:
        client.__exit__(None, None, None)
    assert runner.delivery_plan().queue_mail is False and runner.delivery_plan().wake is None
