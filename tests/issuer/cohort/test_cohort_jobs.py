"""Cohort jobs with the real award use case: the choice, exactly once, crash, cancel."""

from __future__ import annotations

import pytest
from cohort_helpers import BASE, cohort_csv
from sqlalchemy import func, select, update

from openler.issuer import awards
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.cohort import jobs
from openler.issuer.cohort.messages import award_message, row_message
from openler.storage.tables_catalog import Award
from openler.storage.tables_cohort import CohortJob, CohortJobItem


class Killed(BaseException):
    """Stands in for the process dying in the middle of a row."""


def upload(sessions, org_id, content, clock, *, valid_rows=False, start=True) -> str:
    with sessions() as db:
        checked = jobs.check(db, org_id=org_id, content=content)
        job = jobs.create_job(db, org_id=org_id, user_id=None, filename="c.csv",
                              content=content, checked=checked, now=clock())
        if start:
            jobs.start_job(db, org_id=org_id, job_id=job.id, issue_valid_rows=valid_rows,
                           public_base=BASE, now=clock())
        db.commit()
        return job.id


def award_count(sessions, org_id) -> int:
    with sessions() as db:
        return db.scalar(select(func.count()).select_from(Award)
                         .where(Award.organization_id == org_id))


def job_of(sessions, job_id) -> CohortJob:
    with sessions() as db:
        return db.get(CohortJob, job_id)


def test_a_clean_file_is_issued_once_per_row(sessions, org_id, achievement_id, config, clock):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 30), clock)
    seen = []
    status = jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=7,
                          on_progress=seen.append)
    assert status == "done"
    job = job_of(sessions, job_id)
    assert (job.issued_count, job.failed_count, job.cursor, job.to_issue) == (30, 0, 31, 30)
    assert award_count(sessions, org_id) == 30
    assert seen[-1].done == 30 and [p.done for p in seen] == sorted(p.done for p in seen)
    with sessions() as db:
        items = jobs.items(db, job_id=job_id)
        assert [i.line for i in items] == list(range(2, 32))
        first = db.get(Award, items[0].award_id)
        assert first.recipient_email == "learner0@example.com"
        subject = first.credential["credentialSubject"]
        assert subject["result"][0]["value"] == "A"


def test_invalid_rows_block_the_job_until_the_issuer_chooses_valid_rows(
        sessions, org_id, achievement_id, clock):
    content = cohort_csv(achievement_id, 3) + b"not-an-email," + achievement_id.encode() + b",A,x\r\n"
    job_id = upload(sessions, org_id, content, clock, start=False)
    with sessions() as db:
        with pytest.raises(jobs.CohortJobNotReady):
            jobs.start_job(db, org_id=org_id, job_id=job_id, issue_valid_rows=False,
                           public_base=BASE, now=clock())
        assert db.get(CohortJob, job_id).status == "validated"
        job = jobs.start_job(db, org_id=org_id, job_id=job_id, issue_valid_rows=True,
                             public_base=BASE, now=clock())
        assert (job.status, job.to_issue, job.invalid_rows) == ("queued", 3, 1)
        db.commit()


def test_reuploading_the_same_file_issues_nothing_new(sessions, org_id, achievement_id,
                                                      config, clock):
    content = cohort_csv(achievement_id, 12)
    for _ in range(2):
        job_id = upload(sessions, org_id, content, clock)
        assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock) == "done"
        assert job_of(sessions, job_id).issued_count == 12
    assert award_count(sessions, org_id) == 12
    # A different file with the same learners is a different cohort upload.
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 12, delimiter=";"), clock)
    jobs.run_job(sessions, job_id=job_id, config=config, clock=clock)
    assert award_count(sessions, org_id) == 24


def test_a_job_killed_halfway_resumes_and_issues_each_row_exactly_once(
        sessions, org_id, achievement_id, config, clock):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 25), clock)
    calls = {"n": 0}

    def dying_award(db, **kwargs):
        calls["n"] += 1
        if calls["n"] == 13:
            raise Killed()
        return awards.award(db, **kwargs)

    with pytest.raises(Killed):
        jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=5,
                     award_fn=dying_award)
    crashed = job_of(sessions, job_id)
    assert (crashed.status, crashed.issued_count, crashed.cursor) == ("running", 10, 11)
    assert award_count(sessions, org_id) == 10  # the uncommitted tail was rolled back
    with sessions() as db:  # the heartbeat is fresh: nobody may take it yet
        assert jobs.resumable(db, now=clock()) == []
        assert not jobs.claim(db, job_id=job_id, now=clock())
    clock.advance(seconds=jobs.STALE_AFTER.total_seconds() + 1)
    with sessions() as db:
        assert jobs.resumable(db, now=clock()) == [job_id]
    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=5) == "done"
    assert award_count(sessions, org_id) == 25
    with sessions() as db:
        lines = db.scalars(select(CohortJobItem.line).where(CohortJobItem.job_id == job_id)).all()
        assert sorted(lines) == list(range(2, 27))
        keys = db.scalars(select(Award.idempotency_key)).all()
        assert len(set(keys)) == 25
    assert job_of(sessions, job_id).issued_count == 25


def test_awards_committed_before_a_crash_are_not_issued_again(sessions, org_id, achievement_id,
                                                               config, clock):
    """Even if the cursor were lost, the idempotency keys keep one award per row."""
    content = cohort_csv(achievement_id, 8)
    first = upload(sessions, org_id, content, clock)
    jobs.run_job(sessions, job_id=first, config=config, clock=clock)
    second = upload(sessions, org_id, content, clock)
    with sessions() as db:  # (a fresh job starts at line 0 anyway: nothing to reset)
        assert db.get(CohortJob, second).cursor == 0
    jobs.run_job(sessions, job_id=second, config=config, clock=clock)
    with sessions() as db:
        one = {i.line: i.award_id for i in jobs.items(db, job_id=first)}
        two = {i.line: i.award_id for i in jobs.items(db, job_id=second)}
    assert one == two and len(set(one.values())) == 8


def test_cancel_stops_between_rows_and_keeps_what_was_issued(sessions, org_id, achievement_id,
                                                             config, clock):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 20), clock)
    calls = {"n": 0}

    def cancelling_award(db, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:  # first row after a commit: the worker holds no write lock yet
            with sessions() as other:
                jobs.request_cancel(other, org_id=org_id, job_id=job_id, now=clock())
                other.commit()
        return awards.award(db, **kwargs)

    status = jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=4,
                          award_fn=cancelling_award)
    assert status == "cancelled"
    job = job_of(sessions, job_id)
    assert (job.status, job.issued_count) == ("cancelled", 8)
    assert award_count(sessions, org_id) == 8
    with sessions() as db:
        assert len(jobs.items(db, job_id=job_id)) == 8


def test_cancel_before_start_and_other_organizations_cannot_see_the_job(
        sessions, org_id, achievement_id, accounts, clock):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 2), clock, start=False)
    other = accounts.org_owner("owner@other.example", "Other College")[1]
    with sessions() as db:
        with pytest.raises(jobs.IssuerNotFound):
            jobs.get_job(db, org_id=other, job_id=job_id)
        with pytest.raises(jobs.IssuerNotFound):
            jobs.request_cancel(db, org_id=other, job_id=job_id, now=clock())
        assert jobs.request_cancel(db, org_id=org_id, job_id=job_id, now=clock()).status == "cancelled"


def test_a_result_value_the_achievement_does_not_allow_is_reported_at_upload(
        sessions, org_id, achievement_id, clock):
    content = cohort_csv(achievement_id, 3).replace(b",A,r1", b",Z,r1")  # Z is not allowed
    with sessions() as db:
        checked = jobs.check(db, org_id=org_id, content=content)
    assert [(p.line, p.column, p.code) for p in checked.problems] == [
        (3, "result:grade", "result_not_allowed")]
    assert [r.line for r in checked.rows] == [2, 4]
    assert row_message(3, "result:grade", "result_not_allowed", checked.problems[0].params) == (
        "Line 3, column result:grade: this achievement does not allow this result. "
        "Use one of: A, B, C.")


def test_a_row_the_award_refuses_is_listed_and_the_rest_go_on(sessions, org_id, achievement_id,
                                                              config, clock):
    """A line can pass the upload and still be refused (the catalog changed meanwhile)."""
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 3), clock)

    def refusing_award(db, **kwargs):
        if kwargs["recipient_email"] == "learner1@example.com":
            raise CatalogInputError({"result_1": "unknown_choice"})
        return awards.award(db, **kwargs)

    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock,
                        award_fn=refusing_award) == "done"
    job = job_of(sessions, job_id)
    assert (job.issued_count, job.failed_count) == (2, 1)
    with sessions() as db:
        failed = [i for i in jobs.items(db, job_id=job_id) if i.outcome == "failed"]
    assert [(i.line, i.award_id, i.message) for i in failed] == [(3, None, "unknown_choice")]
    assert award_message(failed[0].message) == "a result is not one the achievement allows"


def test_a_worker_that_lost_its_job_commits_nothing_more(sessions, org_id, achievement_id,
                                                         config, clock, caplog):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 12), clock)
    seen = []

    def taken_over(progress):
        seen.append(progress.done)
        if progress.done == 5:  # the first batch is in: this worker stalls, another takes over
            with sessions() as other:
                other.execute(update(CohortJob).where(CohortJob.id == job_id)
                              .values(worker="host-b:1:n1", heartbeat_at=clock()))
                other.commit()

    status = jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=5,
                          on_progress=taken_over)
    assert status == "lost" and seen == [0, 5]
    assert "taken over" in caplog.text
    job = job_of(sessions, job_id)
    assert (job.status, job.worker, job.cursor, job.issued_count) == ("running", "host-b:1:n1", 6, 5)
    assert award_count(sessions, org_id) == 5  # the second batch was rolled back
    with sessions() as db:
        assert [i.line for i in jobs.items(db, job_id=job_id)] == list(range(2, 7))
        assert jobs.release(db, job_id=job_id, worker="host-b:1:n1")  # the new holder goes on
    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=5) == "done"
    assert award_count(sessions, org_id) == 12
    with sessions() as db:
        assert sorted(i.line for i in jobs.items(db, job_id=job_id)) == list(range(2, 14))
        assert len(set(db.scalars(select(Award.idempotency_key)).all())) == 12
