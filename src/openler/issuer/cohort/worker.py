"""A cohort worker process: run queued jobs, take over dead workers' jobs, stop between batches.

`openler issuer worker` calls `work`. Each job is claimed through `jobs.run_job`
(so a job runs in one worker at a time, and a job whose worker died is taken
over: at once when `liveness` shows the process is gone from this host, after
`jobs.STALE_AFTER` otherwise). A stop request (SIGTERM, Ctrl-C: the caller sets
the `stop` event) is honoured after the batch being issued is committed: the
progress hook raises `StopWorking`, which is not an `Exception`, so `run_job`
does not mark the job failed, and the job is handed back to the queue with
`jobs.release` for the next worker to continue after its cursor.

Like the web app's threads (`runner`), each batch's new awards get their claim
offers in the batch's transaction (`runner.offer_hook`, per `runner.use_delivery`,
which the CLI sets up from the SMTP settings), and the mail sender is woken after
each commit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from openler.issuer.cohort import jobs, runner
from openler.issuer.keys import KeyVault
from openler.storage.tables_cohort import CohortJob

log = logging.getLogger("openler.issuer.cohort")

STOPPED = "stopped"
"""`run_one`'s status for a job left between batches; the job is queued again."""
TAKEN = "taken"
"""`run_one`'s status for a job another worker claimed first."""
SKIPPED = "skipped"
"""`work`'s status for a job without a public base URL (it never started)."""


class StopWorking(BaseException):
    """Leaves `run_job` right after a committed batch (a BaseException, so not a job failure)."""


@dataclass(frozen=True, slots=True)
class JobInfo:
    """What a report of a job needs before it starts."""

    id: str
    filename: str
    total: int
    done_before: int


class Events(Protocol):
    """What a worker reports (the CLI draws progress from it)."""

    def started(self, job: JobInfo) -> None:
        """A job was picked up (it may still be claimed by another worker first)."""

    def progress(self, job: JobInfo, progress: jobs.Progress) -> None:
        """A batch of the job was committed."""

    def ended(self, job: JobInfo, status: str) -> None:
        """The job ended, was stopped between batches, or was taken by another worker."""


class Quiet:
    """Events that report nothing."""

    def started(self, job: JobInfo) -> None:
        """Nothing to show."""

    def progress(self, job: JobInfo, progress: jobs.Progress) -> None:
        """Nothing to show."""

    def ended(self, job: JobInfo, status: str) -> None:
        """Nothing to show."""


def run_one(sessions: sessionmaker[Session], *, job_id: str, vault: KeyVault,
            clock: Callable[[], datetime], stop: threading.Event, events: Events | None = None,
            run_options: dict[str, Any] | None = None) -> str | None:
    """Run one waiting job until it ends or a stop is asked for; None if it cannot run here."""
    events = events or Quiet()
    with sessions() as db:
        row = db.get(CohortJob, job_id)
        if row is None or not row.public_base:
            return None
        info = JobInfo(row.id, row.filename, row.to_issue, row.issued_count + row.failed_count)
        base = row.public_base
    events.started(info)

    def hook(progress: jobs.Progress) -> None:
        runner.mail_committed()  # the batch's offer mail is committed: the sender may go
        events.progress(info, progress)
        if stop.is_set() and progress.done < progress.total:
            raise StopWorking

    # As runner.py does: each batch's awards get their claim offers in its transaction.
    options: dict[str, Any] = {"after_awards": runner.offer_hook(base_url=base, clock=clock)}
    options.update(run_options or {})
    try:
        status = jobs.run_job(sessions, job_id=job_id, config=runner.config_for(base, vault),
                              clock=clock, on_progress=hook, **options)
    except BaseException:  # StopWorking, or a second Ctrl-C in the middle of a row
        with sessions() as db:
            jobs.release(db, job_id=job_id)
        events.ended(info, STOPPED)
        log.info("cohort job %s handed back to the queue", job_id)
        raise
    finally:
        runner.mail_committed()
    if status not in jobs.FINISHED:
        status = TAKEN  # run_job did not claim it: another worker holds it
    events.ended(info, status)
    return status


def work(sessions: sessionmaker[Session], *, vault: KeyVault, clock: Callable[[], datetime],
         stop: threading.Event, once: bool = False, interval: float = 5.0,
         events: Events | None = None, run_options: dict[str, Any] | None = None) -> dict[str, str]:
    """Run waiting jobs until none is left (once) or until stopped; the last status of each job."""
    results: dict[str, str] = {}
    while not stop.is_set():
        with sessions() as db:
            waiting = jobs.resumable(db, now=clock())
        if once:  # each job at most once, so that a job another worker holds cannot loop
            waiting = [j for j in waiting if j not in results]
            if not waiting:
                break
        ran = False
        for job_id in waiting:
            if stop.is_set():
                break
            try:
                status = run_one(sessions, job_id=job_id, vault=vault, clock=clock, stop=stop,
                                 events=events, run_options=run_options)
            except StopWorking:
                results[job_id] = STOPPED
                break
            results[job_id] = status or SKIPPED
            ran = ran or status in jobs.FINISHED
        if not once and not ran:
            stop.wait(interval)
    return results
