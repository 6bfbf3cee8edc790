"""Who holds a cohort job: the pid take-over rule, release, the worker loop, migration 0009."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta

from cohort_helpers import cohort_csv, queue_job
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from openler.issuer.cohort import jobs, liveness, worker
from openler.issuer.keys import KeyVault
from openler.storage import db as storage_db
from openler.storage.tables_cohort import CohortJob, CohortJobItem

SECRET = "issuer-test-secret"


def dead_pid() -> int:
    """The id of a process that has just exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def queued_job(sessions, org_id, achievement_id, clock, n=5) -> str:
    content = cohort_csv(achievement_id, n)
    with sessions() as db:
        job = queue_job(db, org_id=org_id, content=content, now=clock())
        db.commit()
        return job.id


def held_by(sessions, job_id, holder, clock) -> None:
    """The job is running under `holder`, which beat just now."""
    with sessions() as db:
        job = db.get(CohortJob, job_id)
        job.status, job.worker, job.heartbeat_at = "running", holder, clock()
        db.commit()


def holder_of(sessions, job_id) -> str | None:
    with sessions() as db:
        return db.scalar(select(CohortJob.worker).where(CohortJob.id == job_id))


def test_a_worker_gone_from_this_host_is_taken_over_at_once(sessions, org_id, achievement_id,
                                                            clock):
    job_id = queued_job(sessions, org_id, achievement_id, clock)
    gone = f"{liveness.host_id()}:{dead_pid()}:0123abcd"
    held_by(sessions, job_id, gone, clock)
    clock.advance(seconds=1)
    with sessions() as db:
        assert jobs.resumable(db, now=clock()) == [job_id]
        assert jobs.claim(db, job_id=job_id, now=clock(), worker="host-b:1:n1")
        # The dead holder is named in the UPDATE: a second claimer finds the job taken.
        assert not jobs.claim(db, job_id=job_id, now=clock(), worker="host-b:2:n2")
        assert jobs.resumable(db, now=clock()) == []
    assert holder_of(sessions, job_id) == "host-b:1:n1"


def test_a_live_or_remote_or_unknown_holder_waits_for_a_stale_heartbeat(
        sessions, org_id, achievement_id, clock):
    job_id = queued_job(sessions, org_id, achievement_id, clock)
    holders = [f"{liveness.host_id()}:{os.getppid()}:alive",  # a process that exists
               f"another-host:{dead_pid()}:elsewhere",  # cannot be checked from here
               "not a worker identity", None]
    for holder in holders:
        held_by(sessions, job_id, holder, clock)
        clock.advance(seconds=59)
        with sessions() as db:
            assert jobs.resumable(db, now=clock()) == [], holder
            assert not jobs.claim(db, job_id=job_id, now=clock()), holder
        clock.advance(seconds=2)  # the heartbeat is now older than STALE_AFTER
        with sessions() as db:
            assert jobs.resumable(db, now=clock()) == [job_id], holder
            assert jobs.claim(db, job_id=job_id, now=clock()), holder
        assert holder_of(sessions, job_id) == str(liveness.this_worker())
    assert timedelta(seconds=60) == jobs.STALE_AFTER


def test_own_pid_is_alive_with_our_nonce_and_dead_with_another():
    me = liveness.this_worker()
    assert not liveness.known_dead(str(me))
    assert liveness.known_dead(str(liveness.WorkerId(me.host, me.pid, "an-earlier-life")))
    assert not liveness.known_dead(str(liveness.WorkerId("elsewhere", me.pid, "x")))
    assert liveness.pid_alive(os.getpid()) and not liveness.pid_alive(dead_pid())
    assert not liveness.known_dead(None) and not liveness.known_dead("host:notapid:n")


@given(host=st.text(min_size=1, max_size=40).map(lambda h: h.replace(":", "_")),
       pid=st.integers(min_value=1, max_value=2**31), nonce=st.text(
           alphabet="0123456789abcdef", min_size=1, max_size=16))
def test_identity_round_trips(host, pid, nonce):
    worker_id = liveness.WorkerId(host, pid, nonce)
    assert liveness.parse(str(worker_id)) == worker_id


def test_release_hands_back_only_the_holders_job(sessions, org_id, achievement_id, clock):
    job_id = queued_job(sessions, org_id, achievement_id, clock)
    with sessions() as db:
        assert jobs.claim(db, job_id=job_id, now=clock(), worker="h:1:a")
        assert not jobs.release(db, job_id=job_id, worker="h:2:b")
        assert jobs.release(db, job_id=job_id, worker="h:1:a")
        job = db.get(CohortJob, job_id)
        db.refresh(job)
        assert (job.status, job.worker) == ("queued", None)


def test_work_stops_between_batches_and_the_next_worker_finishes(
        sessions, org_id, achievement_id, clock, monkeypatch):
    job_id = queued_job(sessions, org_id, achievement_id, clock, n=30)
    stop = threading.Event()
    real = jobs.real_award()
    calls = []

    def award_then_stop(db, **kwargs):
        calls.append(kwargs["idempotency_key"])
        if len(calls) == 12:
            stop.set()  # as the SIGTERM handler does, in the middle of the second batch
        return real(db, **kwargs)

    monkeypatch.setattr(jobs, "COMMIT_EVERY_S", 3600.0)  # commit by batch size only
    vault = KeyVault(SECRET)
    results = worker.work(sessions, vault=vault, clock=clock, stop=stop, once=True,
                          run_options={"batch_size": 5, "award_fn": award_then_stop})
    assert results == {job_id: worker.STOPPED}
    with sessions() as db:
        job = db.get(CohortJob, job_id)
        assert (job.status, job.worker, job.issued_count, job.cursor) == ("queued", None, 15, 16)
        assert len(db.scalars(select(CohortJobItem.id).where(CohortJobItem.job_id == job_id))
                   .all()) == 15
    assert worker.work(sessions, vault=vault, clock=clock, stop=threading.Event(), once=True,
                       run_options={"award_fn": award_then_stop}) == {job_id: "done"}
    assert len(calls) == 30 and len(set(calls)) == 30  # no row issued twice
    with sessions() as db:
        assert db.get(CohortJob, job_id).issued_count == 30


def test_migration_0009_adds_and_drops_the_worker_column(tmp_path):
    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'worker-migration.db'}")
    try:
        storage_db.upgrade(engine, "0008_wallet")
        assert "worker" not in {c["name"] for c in inspect(engine).get_columns("cohort_jobs")}
        storage_db.upgrade(engine, "0009_cohort_worker")
        assert "worker" in {c["name"] for c in inspect(engine).get_columns("cohort_jobs")}
        storage_db.downgrade(engine, "0008_wallet")
        assert "worker" not in {c["name"] for c in inspect(engine).get_columns("cohort_jobs")}
    finally:
        engine.dispose()
