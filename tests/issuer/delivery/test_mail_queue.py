"""The mail queue against a real SMTP server (aiosmtpd on loopback): one session per
batch, retries at growing intervals when the server is away, given up on a 5yz
refusal or after the last attempt, a lease so two senders never send one row twice,
and the sender thread that empties the queue when woken."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from openler.issuer.delivery import mail, queue, service
from openler.issuer.delivery.sender import MailSender
from openler.storage import db as storage_db
from openler.storage.tables_delivery import OutboxMessage


def _smtp(port: int) -> mail.SmtpMailer:
    return mail.SmtpMailer(mail.SmtpSettings(host="127.0.0.1", port=port, starttls=False,
                                             timeout=5))


def _queue(session, org_id, clock, n: int, *, to: str = "learner{}@example.org") -> list[str]:
    box = mail.OutboxMailer(session, queued=True)
    ids = [box.keep(mail.MailMessage(to=to.format(i), subject=f"S{i}", body=f"Body {i}",
                                     organization_id=org_id), now=clock()).id
           for i in range(n)]
    session.commit()
    return ids


def _states(session) -> dict[str, str]:
    session.expire_all()
    return {row.to_address: row.state for row in session.scalars(select(OutboxMessage))}


def test_a_batch_goes_over_one_smtp_session(session, org_id, clock, smtp_inbox):
    port, inbox = smtp_inbox
    _queue(session, org_id, clock, 5)
    done = queue.deliver(session, mailer=_smtp(port), now=clock())
    assert (done.sent, done.retrying, done.failed) == (5, 0, 0)
    assert inbox.sessions == 1
    assert sorted(r[1][0] for r in inbox.received) == [f"learner{i}@example.org" for i in range(5)]
    rows = session.scalars(select(OutboxMessage)).all()
    assert {(r.state, r.attempts, r.lease, r.sent_at) for r in rows} == {
        ("sent", 1, None, clock())}
    assert {(r.body, r.link) for r in rows} == {("", None)}  # no secrets kept once sent
    assert any("Body 3" in b for b in inbox.bodies())
    assert queue.deliver(session, mailer=_smtp(port), now=clock()).taken == 0  # nothing twice
    assert len(inbox.received) == 5


def test_only_due_messages_and_the_batch_limit(session, org_id, clock, smtp_inbox):
    port, inbox = smtp_inbox
    _queue(session, org_id, clock, 3)
    clock.advance(minutes=1)
    later = _queue(session, org_id, clock, 2, to="later{}@example.org")
    first = queue.deliver(session, mailer=_smtp(port), now=clock() - timedelta(seconds=30),
                          limit=2)
    assert first.sent == 2
    assert all(r[1][0].startswith("learner") for r in inbox.received)
    assert queue.deliver(session, mailer=_smtp(port), now=clock(), ids=later).sent == 2
    assert sorted(r[1][0] for r in inbox.received[-2:]) == ["later0@example.org",
                                                          "later1@example.org"]
    assert list(_states(session).values()).count("queued") == 1


def test_server_away_means_retry_later_then_sent(session, org_id, clock, dead_port,
                                                 smtp_inbox):
    port, inbox = smtp_inbox
    [message_id] = _queue(session, org_id, clock, 1)
    done = queue.deliver(session, mailer=_smtp(dead_port), now=clock())
    assert (done.sent, done.retrying, done.failed) == (0, 1, 0)
    row = session.get(OutboxMessage, message_id)
    assert row.state == "queued" and row.attempts == 1 and row.lease is None
    assert row.next_attempt_at == clock() + queue.RETRY_AFTER[0]
    assert "ConnectionRefused" in row.last_error
    assert queue.deliver(session, mailer=_smtp(port), now=clock()).taken == 0  # not due yet
    clock.advance(minutes=1)
    assert queue.deliver(session, mailer=_smtp(port), now=clock()).sent == 1
    session.expire_all()
    assert session.get(OutboxMessage, message_id).state == "sent"
    assert session.get(OutboxMessage, message_id).last_error is None
    assert len(inbox.received) == 1


def test_given_up_after_the_last_attempt(session, org_id, clock, dead_port):
    [message_id] = _queue(session, org_id, clock, 1)
    for n in range(queue.MAX_ATTEMPTS):
        done = queue.deliver(session, mailer=_smtp(dead_port), now=clock())
        assert done.taken == 1
        row = session.get(OutboxMessage, message_id)
        assert row.attempts == n + 1
        if row.next_attempt_at is not None:
            clock.now = row.next_attempt_at
    assert row.state == "failed" and row.next_attempt_at is None
    assert queue.deliver(session, mailer=_smtp(dead_port), now=clock() + timedelta(days=9)).taken == 0


def test_a_refused_recipient_is_given_up_at_once_and_the_rest_still_go(
        session, org_id, clock, smtp_inbox):
    port, inbox = smtp_inbox
    inbox.refused.add("learner1@example.org")
    _queue(session, org_id, clock, 3)
    done = queue.deliver(session, mailer=_smtp(port), now=clock())
    assert (done.sent, done.retrying, done.failed) == (2, 0, 1)
    assert _states(session) == {"learner0@example.org": "sent", "learner1@example.org": "failed",
                                "learner2@example.org": "sent"}
    assert inbox.sessions == 1


def test_a_leased_row_is_not_taken_by_a_second_sender(session, org_id, clock, smtp_inbox,
                                                      clean_db):
    port, inbox = smtp_inbox
    _queue(session, org_id, clock, 2)
    other = storage_db.make_sessionmaker(clean_db)()
    try:

        class Racing:
            """A mailer during whose send a second sender looks at the queue."""

            def __init__(self) -> None:
                self.seen = -1

            def send_many(self, messages, *, now):
                self.seen = queue.deliver(other, mailer=_smtp(port), now=now).taken
                return _smtp(port).send_many(messages, now=now)

        racing = Racing()
        assert queue.deliver(session, mailer=racing, now=clock()).sent == 2
        assert racing.seen == 0
        assert len(inbox.received) == 2
        # A sender that died leaves its lease; once the lease ran out the row is taken again.
        [stuck] = _queue(session, org_id, clock, 1, to="stuck{}@example.org")
        queue._take(session, now=clock(), limit=10, ids=[stuck])
        assert queue.deliver(session, mailer=_smtp(port), now=clock()).taken == 0
        assert queue.deliver(session, mailer=_smtp(port),
                             now=clock() + queue.LEASE).sent == 1
    finally:
        other.close()


def test_retry_now_makes_waiting_messages_due(session, org_id, clock, dead_port, accounts):
    _, other_org = accounts.org_owner("boss@elsewhere.example", "Elsewhere")
    [mine] = _queue(session, org_id, clock, 1)
    [theirs] = _queue(session, other_org, clock, 1, to="x{}@elsewhere.example")
    queue.deliver(session, mailer=_smtp(dead_port), now=clock())
    assert queue.retry_now(session, org_id=org_id, now=clock()) == 1
    session.commit()
    session.expire_all()
    assert session.get(OutboxMessage, mine).next_attempt_at == clock()
    assert session.get(OutboxMessage, theirs).next_attempt_at > clock()


def test_the_sender_thread_delivers_when_woken(session, org_id, clock, smtp_inbox, clean_db):
    port, inbox = smtp_inbox
    sender = MailSender(storage_db.make_sessionmaker(clean_db), mailer=_smtp(port), clock=clock,
                        interval=30, batch=3).start()
    try:
        _queue(session, org_id, clock, 7)
        sender.wake()
        assert sender.wait_idle(10)
        assert len(inbox.received) == 7 and sender.totals.sent == 7
        assert set(_states(session).values()) == {"sent"}
    finally:
        sender.stop()


def test_queue_offer_then_deliver_now(session, org_id, award_row, clock, smtp_inbox):
    port, inbox = smtp_inbox
    queued = service.queue_offer(session, org_id=org_id, award_id=award_row.id,
                                 base_url="https://badges.example.org", translator=lambda _: str,
                                 now=clock(), smtp=True)
    assert queued.channel == "queued"
    session.commit()
    assert inbox.received == []  # nothing left before the commit
    # A background sender leaves it to this request for a while...
    assert queue.deliver(session, mailer=_smtp(port), now=clock()).taken == 0
    assert service.deliver_now(session, message_id=queued.message_id, mailer=_smtp(port),
                               now=clock())
    [body] = inbox.bodies()
    assert f"https://badges.example.org/claim/{queued.new.token}" in body
    assert queued.new.tx_code in body


def test_while_issuing_is_busy_the_sender_sends_one_batch_per_wake(session, org_id, clock,
                                                                  smtp_inbox, clean_db):
    port, inbox = smtp_inbox
    busy = [True]
    sender = MailSender(storage_db.make_sessionmaker(clean_db), mailer=_smtp(port), clock=clock,
                        interval=30, batch=2, busy=lambda: busy[0], share=0.5).start()
    try:
        _queue(session, org_id, clock, 5)
        for expected in (2, 4):
            sender.wake()  # a job's batch was committed
            assert sender.wait_idle(10)
            assert len(inbox.received) == expected
        busy[0] = False  # the job ended: the rest goes at once
        sender.wake()
        assert sender.wait_idle(10)
        assert len(inbox.received) == 5 and set(_states(session).values()) == {"sent"}
    finally:
        sender.stop()


def test_a_single_awards_message_goes_to_the_background_if_its_request_died(
        session, org_id, award_row, clock, smtp_inbox):
    port, inbox = smtp_inbox
    service.queue_offer(session, org_id=org_id, award_id=award_row.id,
                        base_url="https://badges.example.org", translator=lambda _: str,
                        now=clock(), smtp=True)
    session.commit()
    clock.advance(seconds=queue.HOLD.total_seconds())
    assert queue.deliver(session, mailer=_smtp(port), now=clock()).sent == 1
    assert len(inbox.received) == 1
