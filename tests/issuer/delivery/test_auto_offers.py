"""Automatic claim offers in bulk: one offer and one message per new award, written with
multi-row INSERTs; mail queued for SMTP (or kept without a mail server, or for a
DID-only award); awards already offered, and revoked ones, skipped. A real cohort job
through the runner offers every award and the sender mails them over SMTP."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, ResultDescriptionInput
from openler.issuer.cohort import jobs, runner
from openler.issuer.delivery import auto, mail, offers
from openler.issuer.delivery.secrets_ import digest
from openler.issuer.delivery.sender import MailSender
from openler.issuer.keys import KeyVault
from openler.storage import db as storage_db
from openler.storage.tables import User
from openler.storage.tables_catalog import Award
from openler.storage.tables_delivery import ClaimOffer, OutboxMessage

BASE = "https://badges.example.org"
LINK = re.compile(r"https://badges\.example\.org/claim/([A-Za-z0-9_-]+)")
CODE = re.compile(r"type this one: (\d{6})")


def _spanish(language: str):
    return (lambda text: "ES " + text) if language == "es" else str


@pytest.fixture
def course(session, config, org_id, clock):
    row = catalog.create_achievement(session, config=config, org_id=org_id, now=clock(),
                                     data=AchievementInput(name="Welding Basics",
                                                           description="Safe MIG welding.",
                                                           criteria="Passed the assessment."))
    session.commit()
    return row.id


def _award(session, config, org_id, course, clock, **recipient) -> str:
    row = awards.award(session, config=config, org_id=org_id, achievement_id=course,
                       now=clock(), **recipient)
    session.commit()
    return row.id


def _check_offer_mail(session, message: OutboxMessage, award_id: str, clock) -> None:
    token = LINK.search(message.body).group(1)
    assert message.link == f"{BASE}/claim/{token}"
    offer = offers.find_offer(session, token=token, now=clock())
    assert offer.award_id == award_id and offer.id == message.offer_id
    assert offer.tx_code_hash == digest(CODE.search(message.body).group(1))


def test_bulk_offers_queue_mail_and_skip_what_needs_no_offer(session, config, org_id, course,
                                                             clock, accounts):
    accounts.learner("ana@example.org")
    session.scalars(select(User).where(User.email == "ana@example.org")).one().language = "es"
    session.commit()
    ana = _award(session, config, org_id, course, clock, recipient_email="ana@example.org")
    bo = _award(session, config, org_id, course, clock, recipient_email="bo@example.org")
    did = _award(session, config, org_id, course, clock, recipient_did="did:example:cy")
    offered = _award(session, config, org_id, course, clock, recipient_email="di@example.org")
    offers.create_offer(session, org_id=org_id, award_id=offered, now=clock())
    revoked = _award(session, config, org_id, course, clock, recipient_email="ed@example.org")
    awards.set_award_status(session, org_id=org_id, award_id=revoked, action="revoke",
                            now=clock())
    session.commit()
    plan = auto.AutoOffers(queue_mail=True, translator=_spanish, days=10)
    made = auto.make_offers(session, award_ids=[ana, bo, did, offered, revoked, bo],
                            base_url=BASE + "/", plan=plan, now=clock())
    session.commit()
    assert made == auto.BulkOffers(offered=3, queued=2, kept=1, skipped=2)
    rows = {m.to_address: m for m in session.scalars(select(OutboxMessage))}
    assert set(rows) == {"ana@example.org", "bo@example.org", "did:example:cy"}
    assert (rows["ana@example.org"].state, rows["ana@example.org"].next_attempt_at) == (
        "queued", clock())
    assert rows["did:example:cy"].state == "kept"
    assert rows["ana@example.org"].subject.startswith("ES ")
    assert not rows["bo@example.org"].subject.startswith("ES ")
    for address, award_id in (("ana@example.org", ana), ("bo@example.org", bo),
                              ("did:example:cy", did)):
        _check_offer_mail(session, rows[address], award_id, clock)
    offer = session.scalars(select(ClaimOffer).where(ClaimOffer.award_id == ana)).one()
    assert offer.language == "es" and (offer.expires_at - offer.created_at).days == 10
    # Calling again (a redone batch, a re-uploaded file) offers nothing twice.
    again = auto.make_offers(session, award_ids=[ana, bo, did], base_url=BASE, plan=plan,
                             now=clock())
    assert again == auto.BulkOffers(skipped=3)


def test_without_a_mail_server_the_mail_is_kept_for_staff(session, config, org_id, course,
                                                          clock):
    ids = [_award(session, config, org_id, course, clock, recipient_email=f"l{i}@example.org")
           for i in range(3)]
    hook = auto.offers_after_awards(base_url=BASE, clock=clock,
                                    plan=lambda: auto.AutoOffers(queue_mail=False))
    hook(session, ids)
    session.commit()
    kept = mail.outbox(session, org_id=org_id)
    assert len(kept) == 3 and {m.state for m in kept} == {"kept"}
    assert all(m.next_attempt_at is None for m in kept)
    assert mail.outbox_counts(session, org_id=org_id) == {"kept": 3, "queued": 0, "sent": 0,
                                                          "failed": 0}


def test_a_batch_costs_a_fixed_number_of_statements(session, config, org_id, course, clock,
                                                    clean_db):
    ids = [_award(session, config, org_id, course, clock, recipient_email=f"l{i}@example.org")
           for i in range(12)]
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.split()[0].upper())

    event.listen(clean_db, "before_cursor_execute", count)
    try:
        made = auto.make_offers(session, award_ids=ids, base_url=BASE,
                                plan=auto.AutoOffers(queue_mail=True), now=clock())
    finally:
        event.remove(clean_db, "before_cursor_execute", count)
    assert made.offered == 12
    # offered-already, awards, languages, then one INSERT per table (executemany)
    assert statements.count("INSERT") <= 2 and len(statements) <= 6, statements


def _csv(achievement_id: str, n: int) -> bytes:
    lines = ["email,achievement,result:grade,row_id"] + [
        f"learner{i}@example.com,{achievement_id},A,r{i}" for i in range(n)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_cohort_job_offers_every_award_and_mails_after_each_commit(
        session, config, org_id, clock, clean_db, smtp_inbox):
    port, inbox = smtp_inbox
    sessions = storage_db.make_sessionmaker(clean_db)
    course = catalog.create_achievement(
        session, config=config, org_id=org_id, now=clock(),
        data=AchievementInput(name="Safe welding", description="Welds safely.",
                              criteria="Pass the test.", result_descriptions=[
                                  ResultDescriptionInput(name="grade", result_type="LetterGrade",
                                                         allowed_values="A,B,C")]))
    content = _csv(course.id, 25)
    checked = jobs.check(session, org_id=org_id, content=content)
    job = jobs.create_job(session, org_id=org_id, user_id=None, filename="c.csv",
                          content=content, checked=checked, now=clock())
    jobs.start_job(session, org_id=org_id, job_id=job.id, issue_valid_rows=False,
                   public_base=BASE, now=clock())
    session.commit()
    smtp = mail.SmtpMailer(mail.SmtpSettings(host="127.0.0.1", port=port, starttls=False))
    sender = MailSender(sessions, mailer=smtp, clock=clock, interval=30).start()
    runner.use_delivery(auto.AutoOffers(queue_mail=True, wake=sender.wake))
    try:
        thread = runner.start(sessions, job_id=job.id, vault=KeyVault("issuer-test-secret"),
                              clock=clock)
        thread.join(60)
        assert sender.wait_idle(20)
    finally:
        runner.use_delivery(None)
        sender.stop()
    session.expire_all()
    assert session.get(type(job), job.id).status == "done"
    award_ids = set(session.scalars(select(Award.id).where(Award.organization_id == org_id)))
    assert len(award_ids) == 25
    offered = set(session.scalars(select(ClaimOffer.award_id)))
    assert offered == award_ids
    assert sorted(r[1][0] for r in inbox.received) == sorted(
        f"learner{i}@example.com" for i in range(25))
    assert len({LINK.search(b).group(1) for b in inbox.bodies()}) == 25
    assert session.scalar(select(func.count()).select_from(OutboxMessage)
                          .where(OutboxMessage.state != "sent")) == 0
