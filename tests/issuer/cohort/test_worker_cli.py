"""`openler issuer worker` through Typer's CliRunner: take-over, claim offers, SIGTERM and
Ctrl-C between batches, the polling loop. (The real-process SIGKILL test is
test_worker_kill.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from cohort_helpers import BASE, cohort_csv, queue_job
from sqlalchemy import func, select
from typer.testing import CliRunner

from openler.cli.main import app
from openler.issuer import awards_batch
from openler.issuer.cohort import jobs, liveness
from openler.storage.tables_catalog import Award
from openler.storage.tables_cohort import CohortJob, CohortJobItem
from openler.storage.tables_delivery import ClaimOffer

RUNNER = CliRunner()


def env(database_url: str) -> dict[str, str]:
    return {"OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": "issuer-test-secret",
            "OPENLER_PUBLIC_URL": BASE, "OPENLER_SMTP_HOST": ""}


def new_job(sessions, org_id, achievement_id, clock, n, *, holder=None, start=0) -> str:
    content = cohort_csv(achievement_id, n, start=start)
    with sessions() as db:
        job = queue_job(db, org_id=org_id, content=content, now=clock())
        if holder is not None:  # running under `holder`, which beat just now (real time)
            job.status, job.worker, job.heartbeat_at = "running", holder, datetime.now(UTC)
        db.commit()
        return job.id


def job_of(sessions, job_id) -> CohortJob:
    with sessions() as db:
        return db.get(CohortJob, job_id)


def count(sessions, model, *where) -> int:
    with sessions() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def test_worker_once_runs_queued_jobs_and_takes_over_dead_workers_only(
        database_url, sessions, org_id, achievement_id, clock):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    queued = new_job(sessions, org_id, achievement_id, clock, 4)
    orphan = new_job(sessions, org_id, achievement_id, clock, 3, start=100,
                     holder=f"{liveness.host_id()}:{gone.pid}:dead")
    alive = f"{liveness.host_id()}:{os.getppid()}:alive"
    busy = new_job(sessions, org_id, achievement_id, clock, 2, start=200, holder=alive)
    result = RUNNER.invoke(app, ["issuer", "worker", "--once"], env=env(database_url))
    assert result.exit_code == 0, result.output
    assert f"Job {queued}: done." in result.output and f"Job {orphan}: done." in result.output
    assert busy not in result.output
    assert "Cohort worker" in result.output and "0/4 rows already done" in result.output
    assert (job_of(sessions, busy).status, job_of(sessions, busy).worker) == ("running", alive)
    assert job_of(sessions, orphan).issued_count == 3
    made = count(sessions, Award, Award.organization_id == org_id)
    assert made == 7
    # Every award got its claim offer in its batch's transaction (kept in the outbox).
    assert count(sessions, ClaimOffer, ClaimOffer.organization_id == org_id) == 7


def signal_during_batches(monkeypatch, *signals_per_call: int) -> list[int]:
    """award_many sends itself SIGTERM n times at the start of its k-th call."""
    real = awards_batch.award_many
    calls: list[int] = []

    def award_many(*args, **kwargs):
        calls.append(len(kwargs["requests"]))
        times = signals_per_call[len(calls) - 1] if len(calls) <= len(signals_per_call) else 0
        for _ in range(times):
            os.kill(os.getpid(), signal.SIGTERM)
        return real(*args, **kwargs)

    monkeypatch.setattr(awards_batch, "award_many", award_many)
    return calls


def saved(sessions, job_id) -> tuple[str, int, int, int]:
    job = job_of(sessions, job_id)
    items = count(sessions, CohortJobItem, CohortJobItem.job_id == job_id)
    return job.status, job.issued_count, job.cursor - 1, items


def test_sigterm_stops_after_the_batch_and_a_second_signal_at_once(
        database_url, sessions, org_id, achievement_id, clock, monkeypatch):
    rows = jobs.BATCH_SIZE + 50
    job_id = new_job(sessions, org_id, achievement_id, clock, rows)
    calls = signal_during_batches(monkeypatch, 1)
    result = RUNNER.invoke(app, ["issuer", "worker", "--once"], env=env(database_url))
    assert result.exit_code == 0, result.output
    assert "SIGTERM: stopping after the current batch." in result.output
    assert f"Job {job_id}: stopped between batches" in result.output and "Stopped." in result.output
    first = calls[0]
    assert saved(sessions, job_id) == ("queued", first, first, first)
    assert job_of(sessions, job_id).worker is None

    calls = signal_during_batches(monkeypatch, 2)  # the second signal interrupts the batch
    result = RUNNER.invoke(app, ["issuer", "worker", "--once"], env=env(database_url))
    assert result.exit_code == 130, result.output
    assert "Stopped at once" in result.output
    assert saved(sessions, job_id) == ("queued", first, first, first)  # batch rolled back

    calls = signal_during_batches(monkeypatch)
    result = RUNNER.invoke(app, ["issuer", "resume-jobs"], env=env(database_url))
    assert result.exit_code == 0, result.output
    assert saved(sessions, job_id) == ("done", rows, rows, rows)
    assert sum(calls) == rows - first
    assert count(sessions, Award, Award.organization_id == org_id) == rows
    assert count(sessions, ClaimOffer, ClaimOffer.organization_id == org_id) == rows


def signal_once_handled(sig: signal.Signals, done: threading.Event) -> None:
    """Send ``sig`` to this process once the worker has put in its own handler (so a slow
    start never meets pytest's handler instead), and then only while it still runs."""
    before = signal.getsignal(sig)
    while not done.wait(0.01):
        if signal.getsignal(sig) is not before:
            os.kill(os.getpid(), sig)
            return


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_polling_worker_stops_on_a_signal(database_url, clean_db, sig):
    done = threading.Event()
    sender = threading.Thread(target=signal_once_handled, args=(sig, done), daemon=True)
    sender.start()
    try:
        result = RUNNER.invoke(app, ["issuer", "worker", "--interval", "0.1"],
                               env=env(database_url))
    finally:
        done.set()
        sender.join()
    assert result.exit_code == 0, result.output
    assert "looking for jobs every 0.1 s" in result.output
    assert f"{signal.Signals(sig).name}: stopping" in result.output
    assert "Stopped." in result.output
