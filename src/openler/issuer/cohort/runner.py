"""The in-process worker: runs `jobs.run_job` on a daemon thread, one thread per job.

Used by the web app (start a job, resume stale ones at start-up). A job is claimed
in the database before it runs, so a second thread or process asking for the same
job simply finds it taken. See `jobs` for why this is not a separate queue.

Every award of a job gets its claim offer in the same transaction (the
``after_awards`` hook of `jobs.run_job`, made by `delivery.auto`); the offer mail is
queued, and the mail sender is woken after each batch commit, so SMTP runs on
its own thread and never inside the issuing transaction. How mail goes (SMTP or the
outbox, in which words) is set once per process with `use_delivery` (the web app
does it at start-up from its settings); without it, mail is kept in the outbox.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from openler.issuer.cohort import jobs
from openler.issuer.delivery import auto
from openler.issuer.delivery.mail import SmtpSettings
from openler.issuer.delivery.sender import MailSender, start_delivery
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage.tables_cohort import CohortJob

log = logging.getLogger("openler.issuer.cohort")

award_override: jobs.AwardFn | None = None
"""Tests may point this at a stand-in award function; None means the real one."""

_lock = threading.Lock()
_threads: dict[str, threading.Thread] = {}
_delivery: auto.AutoOffers | None = None


def use_delivery(plan: auto.AutoOffers | None) -> None:
    """Set how this process's jobs send claim offers (None: keep them in the outbox)."""
    global _delivery
    _delivery = plan


def delivery_plan() -> auto.AutoOffers:
    """The plan set with `use_delivery`, else outbox-only mail in English."""
    return _delivery or auto.AutoOffers(queue_mail=False)


@contextmanager
def delivering(sessions: sessionmaker[Session], *, smtp: SmtpSettings | None,
               translator: auto.Translator, clock: Callable[[], datetime], days: int,
               busy: Callable[[], bool] | None = None) -> Iterator[MailSender | None]:
    """Offer this process's new cohort awards while the block runs, with a mail sender
    thread when SMTP is configured (the web app's life, or a CLI command's)."""
    plan, sender = start_delivery(sessions, smtp=smtp, clock=clock, busy=busy,
                                  translator=translator, days=days)
    use_delivery(plan)
    try:
        yield sender
    finally:
        if delivery_plan() is plan:
            use_delivery(None)
        if sender is not None:
            sender.stop()


def busy() -> bool:
    """Whether a job is running on a thread of this process (the mail sender then rests)."""
    with _lock:
        return any(thread.is_alive() for thread in _threads.values())


def mail_committed() -> None:
    """Tell the mail sender that a batch's queued offers are committed (a progress hook)."""
    wake = delivery_plan().wake
    if wake is not None:
        wake()


def offer_hook(*, base_url: str,
               clock: Callable[[], datetime]) -> Callable[[Session, list[str]], None]:
    """`run_job`'s ``after_awards``: claim offers for each batch, per `delivery_plan`.

    Any runner of jobs (this thread, a worker process, the CLI) passes it together with
    a progress hook that calls `mail_committed`."""
    return auto.offers_after_awards(base_url=base_url, clock=clock, plan=delivery_plan)


def config_for(public_base: str, vault: KeyVault) -> IssuerConfig:
    """The issuer config a job was started with (its public base URL) and the vault."""
    return IssuerConfig(base=PublicBase.parse(public_base), vault=vault)


def start(sessions: sessionmaker[Session], *, job_id: str, vault: KeyVault,
          clock: Callable[[], datetime]) -> threading.Thread | None:
    """Run the job on a worker thread unless one in this process already does."""
    with _lock:
        current = _threads.get(job_id)
        if current is not None and current.is_alive():
            return None
        thread = threading.Thread(target=_work, args=(sessions, job_id, vault, clock),
                                  name=f"cohort-{job_id[:8]}", daemon=True)
        _threads[job_id] = thread
        thread.start()
        return thread


def resume(sessions: sessionmaker[Session], *, vault: KeyVault,
           clock: Callable[[], datetime]) -> list[str]:
    """Start every queued job and every running one whose worker died."""
    with sessions() as db:
        ids = jobs.resumable(db, now=clock())
    for job_id in ids:
        start(sessions, job_id=job_id, vault=vault, clock=clock)
    return ids


def _work(sessions: sessionmaker[Session], job_id: str, vault: KeyVault,
          clock: Callable[[], datetime]) -> None:
    try:
        with sessions() as db:
            job = db.get(CohortJob, job_id)
            base = job.public_base if job else None
        if not base:
            return
        # after_awards: called with each batch's new award ids just before its commit.
        status = jobs.run_job(sessions, job_id=job_id, config=config_for(base, vault),
                              clock=clock, award_fn=award_override,
                              after_awards=offer_hook(base_url=base, clock=clock),
                              on_progress=lambda _progress: mail_committed())
        mail_committed()
        log.info("cohort job %s ended: %s", job_id, status)
    except Exception:  # the thread must not die silently; the job stays resumable
        log.exception("cohort job %s stopped unexpectedly", job_id)
