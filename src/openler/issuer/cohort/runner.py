"""The in-process worker: runs `jobs.run_job` on a daemon thread, one thread per job.

Used by the web app (start a job, resume stale ones at start-up). A job is claimed
in the database before it runs, so a second thread or process asking for the same
job simply finds it taken. See `jobs` for why this is not a separate queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from openler.issuer.cohort import jobs
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage.tables_cohort import CohortJob

log = logging.getLogger("openler.issuer.cohort")

award_override: jobs.AwardFn | None = None
"""Tests may point this at a stand-in award function; None means the real one."""

_lock = threading.Lock()
_threads: dict[str, threading.Thread] = {}


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
        status = jobs.run_job(sessions, job_id=job_id, config=config_for(base, vault),
                              clock=clock, award_fn=award_override)
        log.info("cohort job %s ended: %s", job_id, status)
    except Exception:  # the thread must not die silently; the job stays resumable
        log.exception("cohort job %s stopped unexpectedly", job_id)
