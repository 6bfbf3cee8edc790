"""The mail sender: a background thread that empties the mail queue over SMTP.

Spec: RFC 5321 section 4.5.4.1 (retry strategy; the intervals are in `queue`).
It wakes when told that new mail was committed (after each batch of a cohort job,
after a single award) and on its own every ``interval`` seconds, to retry mail
whose next attempt has come. SMTP never runs inside an issuing transaction, so a
slow or absent mail server does not hold issuing up. While ``busy()`` says that
issuing is going on in this process (a cohort job's thread), the sender keeps to
``share`` of the time: after a batch that took t seconds it rests t*(1/share - 1),
so building and sending mail does not take the job's CPU (one GIL) or database
turns; mail still leaves batch by batch during the job and at full speed after it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from openler.issuer.delivery import auto, queue
from openler.issuer.delivery.mail import Mailer, SmtpMailer, SmtpSettings
from openler.issuer.delivery.offers import DEFAULT_DAYS

log = logging.getLogger("openler.delivery")

INTERVAL_S = 60.0
BUSY_SHARE = 0.2


class MailSender:
    """One daemon thread per process delivering queued mail; ``wake`` after a commit."""

    def __init__(self, sessions: sessionmaker[Session], *, mailer: Mailer | queue.BatchMailer,
                 clock: Callable[[], datetime], interval: float = INTERVAL_S,
                 batch: int = queue.BATCH, busy: Callable[[], bool] | None = None,
                 share: float = BUSY_SHARE) -> None:
        self.sessions = sessions
        self.mailer = mailer
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self.busy = busy
        self.share = min(1.0, max(0.01, share))
        self.rounds = 0
        self.totals = queue.Delivery()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> MailSender:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="openler-mail-sender",
                                            daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        """New mail is committed: look at the queue now rather than at the next interval."""
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until a round found nothing more to send (tests, shutdown)."""
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end after its current batch, and wait a little for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self._empty_queue()
            except Exception:  # a database hiccup must not end the thread; try again later
                log.exception("the mail sender could not deliver queued mail")
            self.rounds += 1
            if not self._wake.is_set():
                self._idle.set()

    def _empty_queue(self) -> None:
        """Send batches until nothing is due; while issuing is busy, one batch per wake
        (each wake follows a job's commit, so its writes do not wait on the job's
        transaction) and then a rest, keeping the sender to ``share`` of the time."""
        while not self._stop.is_set():
            started = time.monotonic()
            with self.sessions() as db:
                done = queue.deliver(db, mailer=self.mailer, now=self.clock(), limit=self.batch)
            self.totals = self.totals + done
            if done.taken < self.batch:
                return
            if self.busy is not None and self.busy():
                self._stop.wait((time.monotonic() - started) * (1 / self.share - 1))
                return  # the next commit of the job (or its end) wakes the sender again


def start_delivery(sessions: sessionmaker[Session], *, smtp: SmtpSettings | None,
                   translator: auto.Translator, clock: Callable[[], datetime],
                   days: int = DEFAULT_DAYS,
                   busy: Callable[[], bool] | None = None
                   ) -> tuple[auto.AutoOffers, MailSender | None]:
    """How a process offers new awards, with its running sender when SMTP is configured
    (the web app at start-up; a worker or CLI process passes the plan to
    ``cohort.runner.use_delivery`` and stops the sender when it ends)."""
    sender = None
    if smtp is not None:
        sender = MailSender(sessions, mailer=SmtpMailer(smtp), clock=clock, busy=busy).start()
        sender.wake()  # mail left queued by an earlier run
    plan = auto.AutoOffers(queue_mail=sender is not None, translator=translator, days=days,
                           wake=sender.wake if sender is not None else None)
    return plan, sender
