"""Cohort jobs issued batch by batch: after_awards in the batch's transaction, a crash in the
middle of a batch, one event and one audit entry per award."""

from __future__ import annotations

import pytest
from cohort_helpers import cohort_csv, queue_job
from sqlalchemy import func, select

from openler.issuer import issuing
from openler.issuer.cohort import jobs
from openler.storage.tables_catalog import Award
from openler.storage.tables_cohort import CohortJob, CohortJobItem
from openler.storage.tables_lifecycle import AuditEntry, CredentialEvent


class Killed(BaseException):
    """Stands in for the process dying in the middle of a batch."""


def upload(sessions, org_id, content, clock) -> str:
    with sessions() as db:
        job = queue_job(db, org_id=org_id, content=content, now=clock(), valid_rows=True)
        db.commit()
        return job.id


def award_ids(sessions, org_id) -> list[str]:
    with sessions() as db:
        return list(db.scalars(select(Award.id).where(Award.organization_id == org_id)))


def test_after_awards_sees_each_batch_before_it_commits(sessions, org_id, achievement_id,
                                                        config, clock):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 11), clock)
    calls: list[tuple[list[str], int, int]] = []

    def after(db, ids):
        visible = db.scalar(select(func.count()).select_from(Award).where(Award.id.in_(ids)))
        with sessions() as other:  # not committed yet: another connection cannot see them
            outside = other.scalar(select(func.count()).select_from(Award)
                                   .where(Award.id.in_(ids)))
        calls.append((ids, visible, outside))

    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=4,
                        after_awards=after) == "done"
    assert [len(ids) for ids, _, _ in calls] == [4, 4, 3]
    assert [(visible, outside) for _, visible, outside in calls] == [(4, 0), (4, 0), (3, 0)]
    assert sorted(i for ids, _, _ in calls for i in ids) == sorted(award_ids(sessions, org_id))
    with sessions() as db:
        lines = {i.award_id: i.line for i in jobs.items(db, job_id=job_id)}
    assert [lines[i] for ids, _, _ in calls for i in ids] == list(range(2, 13))
    # The same file again finds every award by its key: nothing new to hand over.
    calls.clear()
    again = upload(sessions, org_id, cohort_csv(achievement_id, 11), clock)
    assert jobs.run_job(sessions, job_id=again, config=config, clock=clock,
                        after_awards=after) == "done"
    assert calls == []


def test_after_awards_failing_rolls_its_batch_back(sessions, org_id, achievement_id, config,
                                                   clock):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 9), clock)
    batches = {"n": 0}

    def after(db, ids):
        batches["n"] += 1
        if batches["n"] == 2:
            raise RuntimeError("offer service down")

    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=4,
                        after_awards=after) == "failed"
    assert len(award_ids(sessions, org_id)) == 4
    with sessions() as db:
        job = db.get(CohortJob, job_id)
        assert (job.status, job.issued_count, job.cursor) == ("failed", 4, 5)
        assert "offer service down" in job.error


def test_a_crash_inside_a_batch_rolls_it_back_and_the_resumed_job_redoes_it(
        sessions, org_id, achievement_id, config, clock, monkeypatch):
    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 25), clock)
    real_sign = issuing.sign_document
    signed = {"n": 0}

    def dying_sign(*args, **kwargs):
        signed["n"] += 1
        if signed["n"] == 13:  # the third line of the third batch
            raise Killed()
        return real_sign(*args, **kwargs)

    monkeypatch.setattr(issuing, "sign_document", dying_sign)
    handed: list[str] = []
    with pytest.raises(Killed):
        jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=5,
                     after_awards=lambda db, ids: handed.extend(ids))
    with sessions() as db:
        crashed = db.get(CohortJob, job_id)
        assert (crashed.status, crashed.issued_count, crashed.cursor) == ("running", 10, 11)
    assert len(award_ids(sessions, org_id)) == 10 and len(handed) == 10
    monkeypatch.setattr(issuing, "sign_document", real_sign)
    clock.advance(seconds=jobs.STALE_AFTER.total_seconds() + 1)
    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=5,
                        after_awards=lambda db, ids: handed.extend(ids)) == "done"
    ids = award_ids(sessions, org_id)
    assert len(ids) == 25 and sorted(handed) == sorted(ids)
    with sessions() as db:
        lines = db.scalars(select(CohortJobItem.line).where(CohortJobItem.job_id == job_id)).all()
        assert sorted(lines) == list(range(2, 27))
        assert len(set(db.scalars(select(Award.idempotency_key)))) == 25
        events = db.scalars(select(CredentialEvent.award_id)
                            .where(CredentialEvent.kind == "issued")).all()
        assert sorted(events) == sorted(ids)
        entries = db.scalars(select(AuditEntry.target_id)
                             .where(AuditEntry.action == "award_issued")).all()
        assert sorted(entries) == sorted(db.scalars(select(Award.credential_id)))


def test_the_row_by_row_path_hands_over_new_awards_too(sessions, org_id, achievement_id,
                                                       config, clock):
    from openler.issuer import awards

    job_id = upload(sessions, org_id, cohort_csv(achievement_id, 6), clock)
    handed: list[list[str]] = []
    assert jobs.run_job(sessions, job_id=job_id, config=config, clock=clock, batch_size=4,
                        award_fn=awards.award, after_awards=lambda db, ids: handed.append(ids)
                        ) == "done"
    assert [len(ids) for ids in handed] == [4, 2]
    assert sorted(i for ids in handed for i in ids) == sorted(award_ids(sessions, org_id))
