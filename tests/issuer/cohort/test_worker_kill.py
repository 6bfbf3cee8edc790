"""Issue 4 acceptance: SIGKILL the worker halfway through a 10,000-row job, start another one,
and every row is issued exactly once (with exactly one claim offer).

Both workers are real `openler issuer worker --once` processes on the suite's database
(SQLite file, or PostgreSQL under OPENLER_TEST_DATABASE_URL). The second worker runs
on the same host, so it must take the job over at once because the first one's
process is gone, not after the 60 s stale-heartbeat delay.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cohort_helpers import BASE, cohort_csv, queue_job
from sqlalchemy import func, select

from openler.core.dids import MemoryFetcher
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer.cohort import jobs, liveness
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher
from openler.storage.tables_catalog import Award
from openler.storage.tables_cohort import CohortJob, CohortJobItem
from openler.storage.tables_delivery import ClaimOffer
from openler.storage.tables_issuer import IssuedCredential

ROWS = 10_000
SECRET = "issuer-test-secret"  # the `config` fixture's vault, so the test can verify
KILL_FROM, KILL_BY = 0.50, 0.60
DEADLINE_S = 1200.0  # generous: rows take a few ms each on a shared machine


def start_worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": SECRET,
           "OPENLER_PUBLIC_URL": BASE}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "openler.cli.main", "issuer", "worker", "--once"],
            env=env, stdout=out, stderr=subprocess.STDOUT)


def state(sessions, job_id: str) -> CohortJob:
    with sessions() as db:
        job = db.get(CohortJob, job_id)
        assert job is not None
        return job


def wait_for(what: str, check, proc: subprocess.Popen[bytes], log: Path, *,
             exit_ok: bool = False) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not check():
        if (proc.poll() is not None and not exit_ok) or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"waiting for {what}: worker exit {proc.returncode}\n{log.read_text()}")
        time.sleep(0.02)


def counts(sessions, org_id: str, job_id: str) -> tuple[int, int, int]:
    """Awards, issued credentials and job items committed so far."""
    with sessions() as db:
        return (db.scalar(select(func.count()).select_from(Award)
                          .where(Award.organization_id == org_id)),
                db.scalar(select(func.count()).select_from(IssuedCredential)
                          .where(IssuedCredential.organization_id == org_id)),
                db.scalar(select(func.count()).select_from(CohortJobItem)
                          .where(CohortJobItem.job_id == job_id)))


def verified(sessions, config, line: int, job_id: str) -> bool:
    with sessions() as db:
        award_id = db.scalar(select(CohortJobItem.award_id).where(
            CohortJobItem.job_id == job_id, CohortJobItem.line == line))
        doc = db.get(Award, award_id).credential
        now = datetime.now(UTC)
        fetcher = MemoryFetcher()
        ctx = VerificationContext(
            resolver=InstanceDidResolver(db, config=config,
                                         remote=RemoteResolvers(fetcher, allow_private=False)),
            fetch_status_list=status_list_fetcher(db, config=config, fetcher=fetcher, now=now),
            now=now)
        result = verify_credential(doc, ctx=ctx)
        assert fetcher.requests == []
        return result.verified


@pytest.mark.slow
def test_sigkill_halfway_then_restart_issues_each_row_exactly_once(
        tmp_path, database_url, sessions, org_id, achievement_id, config, clock):
    content = cohort_csv(achievement_id, ROWS)
    with sessions() as db:
        job = queue_job(db, org_id=org_id, content=content, now=clock(), filename="big.csv")
        checked = jobs.check(db, org_id=org_id, content=content)
        db.commit()
        job_id = job.id
        keys = {jobs.idempotency_key(org_id=org_id, digest=checked.digest, row=row)
                for row in checked.rows}
    assert len(keys) == ROWS
    timings: dict[str, float] = {}

    # 1. The first worker, killed with SIGKILL once half of the rows are committed.
    t0 = time.monotonic()
    first_log = tmp_path / "first-worker.log"
    first = start_worker(database_url, first_log)
    wait_for("half of the rows", lambda: state(sessions, job_id).cursor - 1 >= KILL_FROM * ROWS,
             first, first_log)
    first.send_signal(signal.SIGKILL)
    first.wait()  # reaped, as a supervisor would: its pid no longer exists
    timings["first worker (s)"] = time.monotonic() - t0
    assert first.returncode == -signal.SIGKILL
    killed = state(sessions, job_id)
    holder = liveness.parse(killed.worker)
    assert killed.status == "running" and holder is not None and holder.pid == first.pid
    committed = killed.cursor - 1  # lines 2..cursor are the committed rows
    assert KILL_FROM * ROWS <= committed < ROWS, committed
    assert committed <= KILL_BY * ROWS + 400, committed  # polled promptly (a batch is <= 200)
    assert killed.issued_count == committed
    assert counts(sessions, org_id, job_id) == (committed, committed, committed)
    with sessions() as db:  # each committed award has its claim offer, the rest none yet
        assert db.scalar(select(func.count()).select_from(ClaimOffer)
                         .where(ClaimOffer.organization_id == org_id)) == committed

    # 2. A second worker on this host takes over at once and finishes the job.
    t1 = time.monotonic()
    second_log = tmp_path / "second-worker.log"
    second = start_worker(database_url, second_log)
    wait_for("the take-over", lambda: state(sessions, job_id).worker != killed.worker,
             second, second_log, exit_ok=True)
    taken = state(sessions, job_id)
    assert liveness.parse(taken.worker).pid == second.pid
    assert taken.started_at - killed.heartbeat_at < jobs.STALE_AFTER  # not the stale rule
    timings["take-over (s)"] = time.monotonic() - t1
    wait_for("the end of the job", lambda: second.poll() is not None, second, second_log,
             exit_ok=True)
    timings["second worker (s)"] = time.monotonic() - t1
    output = second_log.read_text()
    assert second.returncode == 0, output
    assert f"Job {job_id}: done." in output

    # 3. Exactly once, everywhere.
    done = state(sessions, job_id)
    assert (done.status, done.issued_count, done.failed_count, done.cursor) == (
        "done", ROWS, 0, ROWS + 1)
    with sessions() as db:
        awards = db.execute(select(Award.idempotency_key, Award.id, Award.issued_credential_id)
                            .where(Award.organization_id == org_id)).all()
        per_key = Counter(key for key, _, _ in awards)
        assert len(awards) == ROWS and set(per_key) == keys and max(per_key.values()) == 1
        issued = db.execute(select(IssuedCredential.id, IssuedCredential.revocation_list_id,
                                   IssuedCredential.revocation_index,
                                   IssuedCredential.suspension_list_id,
                                   IssuedCredential.suspension_index)
                            .where(IssuedCredential.organization_id == org_id)).all()
        assert len(issued) == ROWS
        assert {row[0] for row in issued} == {cred for _, _, cred in awards}
        assert len({(row[1], row[2]) for row in issued}) == ROWS
        suspension = [(row[3], row[4]) for row in issued if row[3] is not None]
        assert len(set(suspension)) == len(suspension)
        item_rows = db.execute(select(CohortJobItem.line, CohortJobItem.outcome,
                                      CohortJobItem.award_id)
                               .where(CohortJobItem.job_id == job_id)).all()
        assert sorted(line for line, _, _ in item_rows) == list(range(2, ROWS + 2))
        assert {outcome for _, outcome, _ in item_rows} == {"issued"}
        assert {award for _, _, award in item_rows} == {award_id for _, award_id, _ in awards}
        offered = db.scalars(select(ClaimOffer.award_id)
                             .where(ClaimOffer.organization_id == org_id)).all()
        assert len(offered) == ROWS and set(offered) == {award_id for _, award_id, _ in awards}

    # Credentials committed before the kill and issued after it all verify.
    for line in (2, committed // 2, committed + 1, committed + 2, ROWS // 2 + 700, ROWS + 1):
        assert verified(sessions, config, line, job_id), line
    print(f"\n{ROWS} rows, killed after {committed}: "
          + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
