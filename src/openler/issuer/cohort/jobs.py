"""A cohort job: create it from a checked file, start it, cancel it, run it, resume it.

Job library decision. procrastinate (the obvious choice on PostgreSQL) needs
PostgreSQL itself: its queue is plpgsql functions plus LISTEN/NOTIFY, and its only
other connector is an in-memory one meant for tests, so it cannot serve the
embedded SQLite default. Rather than run two queues, the job's whole state lives
in our own `cohort_jobs` row (status, counters, cursor, heartbeat) and the work is
one plain function, `run_job`, that any runner can call: the web app runs it on an
in-process worker thread (`runner.py`), the CLI runs it in the foreground, and a
PostgreSQL deployment may call it from a procrastinate task without change. A
worker claims a job with one conditional UPDATE (queued, or running with a stale
heartbeat, or running under a worker process that `liveness` knows is gone from
this host), so two workers never run the same job; that is what makes resuming
after a crash safe on both databases.

Exactly once: each row's idempotency key is SHA-256(org, file digest, row
identity) and is passed to `openler.issuer.awards_batch.award_many` (or a given
single-award function), which returns the existing award for a key it has seen.
Awards, item rows and the cursor are committed together every `batch_size` rows;
after a crash the uncommitted tail is rolled back and redone, and already
committed rows are skipped by the cursor. A batch commits only if the job row
still names this worker, so a worker that stalled past STALE_AFTER and was taken
over rolls its batch back and stops ("lost") instead of committing into the job.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from openler.issuer import audit
from openler.issuer.awards_input import EvidenceInput, ResultInput, ResultRule
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.cohort import liveness
from openler.issuer.cohort.csvfile import CheckedFile, CohortRow, check_file
from openler.issuer.cohort.messages import AWARD_REASONS
from openler.issuer.errors import IssuerError, IssuerInputError, IssuerNotFound
from openler.storage.tables import Achievement, new_id
from openler.storage.tables_cohort import CohortJob, CohortJobItem

STALE_AFTER = timedelta(seconds=60)
BATCH_SIZE = 200
COMMIT_EVERY_S = 1.0
log = logging.getLogger("openler.issuer.cohort")
ACTIVE = ("queued", "running")
FINISHED = ("done", "cancelled", "failed")


AwardFn = Callable[..., Any]
"""The single-award use case's shape (``openler.issuer.awards.award``), or a test double."""


class CohortJobNotReady(IssuerInputError):
    """The job cannot start: it has invalid rows and the issuer did not choose to skip them."""


def idempotency_key(*, org_id: str, digest: str, row: CohortRow) -> str:
    """The per-row key that makes re-uploads and restarts issue each row once."""
    material = "\x1f".join(("openler-cohort-v1", org_id, digest, row.identity()))
    return hashlib.sha256(material.encode()).hexdigest()


def catalog_of(db: Session, *, org_id: str) -> dict[str, dict[str, ResultRule]]:
    """Awardable (not retired) achievement ids and their result rules by name, loaded once."""
    stmt = select(Achievement.id, Achievement.result_descriptions).where(
        Achievement.organization_id == org_id, Achievement.retired_at.is_(None))
    return {aid: {str(rd.get("name", "")): ResultRule.of(rd) for rd in rds or ()
                  if isinstance(rd, dict)}
            for aid, rds in db.execute(stmt)}


def check(db: Session, *, org_id: str, content: bytes) -> CheckedFile:
    """Check a file against the format and this organization's catalog."""
    return check_file(content, catalog=catalog_of(db, org_id=org_id))


def create_job(db: Session, *, org_id: str, user_id: str | None, filename: str,
               content: bytes, checked: CheckedFile, now: datetime) -> CohortJob:
    """Remember a checked file as a job waiting for the issuer's choice."""
    job = CohortJob(organization_id=org_id, created_by=user_id, filename=filename[:255] or "cohort.csv",
                    file_digest=checked.digest, content=content, status="validated",
                    total_rows=checked.total_rows, invalid_rows=checked.invalid_lines,
                    to_issue=len(checked.rows), created_at=now)
    db.add(job)
    db.flush()
    return job


def get_job(db: Session, *, org_id: str, job_id: str) -> CohortJob:
    """A job of this organization (IssuerNotFound for any other)."""
    job = db.get(CohortJob, job_id)
    if job is None or job.organization_id != org_id:
        raise IssuerNotFound("cohort job")
    return job


def recent(db: Session, *, org_id: str, limit: int = 10) -> list[CohortJob]:
    """The organization's latest jobs, newest first."""
    stmt = select(CohortJob).where(CohortJob.organization_id == org_id)
    return list(db.scalars(stmt.order_by(CohortJob.created_at.desc()).limit(limit)))


def items(db: Session, *, job_id: str, limit: int = 500) -> list[CohortJobItem]:
    """The job's processed lines, in file order."""
    stmt = select(CohortJobItem).where(CohortJobItem.job_id == job_id).order_by(CohortJobItem.line)
    return list(db.scalars(stmt.limit(limit)))


def start_job(db: Session, *, org_id: str, job_id: str, issue_valid_rows: bool,
              public_base: str, now: datetime) -> CohortJob:
    """Queue a checked job; with invalid rows only when the issuer chose to skip them."""
    job = get_job(db, org_id=org_id, job_id=job_id)
    if job.status != "validated":
        return job
    if job.invalid_rows and not issue_valid_rows:
        raise CohortJobNotReady("Some lines have problems: fix the file or issue only the valid rows.",
                                code="invalid_rows")
    if job.to_issue == 0:
        raise CohortJobNotReady("No line of this file can be issued.", code="no_valid_rows")
    job.status, job.public_base = "queued", public_base
    db.flush()
    audit.record(db, org_id=org_id, action="cohort_started", target_type="cohort_job",
                 target_id=job.id, target_label=job.filename, now=now,
                 detail={"rows": job.to_issue})
    return job


def request_cancel(db: Session, *, org_id: str, job_id: str, now: datetime) -> CohortJob:
    """Ask the job to stop between rows; a job not yet running stops at once."""
    job = get_job(db, org_id=org_id, job_id=job_id)
    if job.status in ("validated", "queued"):
        job.status, job.finished_at = "cancelled", now
    elif job.status == "running":
        job.cancel_requested = True
    db.flush()
    audit.record(db, org_id=org_id, action="cohort_cancelled", target_type="cohort_job",
                 target_id=job.id, target_label=job.filename, now=now)
    return job


def claim(db: Session, *, job_id: str, now: datetime, worker: str | None = None) -> bool:
    """Take a queued job, or a running one whose worker died or stopped beating; False if taken.

    The worker recorded on the job (`liveness`) lets a claimer on the same host take
    over at once when that process is gone, instead of waiting STALE_AFTER; the
    UPDATE names the dead holder, so of two such claimers only one wins."""
    me = worker or str(liveness.this_worker())
    takeable = or_(CohortJob.status == "queued",
                   (CohortJob.status == "running") & (CohortJob.heartbeat_at < now - STALE_AFTER))
    holder = db.scalar(select(CohortJob.worker).where(CohortJob.id == job_id,
                                                      CohortJob.status == "running"))
    if holder is not None and holder != me and liveness.known_dead(holder):
        takeable = or_(takeable, (CohortJob.status == "running") & (CohortJob.worker == holder))
    result = db.execute(
        update(CohortJob).where(CohortJob.id == job_id, takeable)
        .values(status="running", heartbeat_at=now, started_at=now, worker=me)
        .execution_options(synchronize_session=False))
    db.commit()
    return getattr(result, "rowcount", 0) == 1  # a CursorResult for UPDATE statements


def resumable(db: Session, *, now: datetime) -> list[str]:
    """Jobs waiting to run or left running by a worker that died (gone here, or stale heartbeat)."""
    ready = case((CohortJob.status == "queued", True),
                 (CohortJob.heartbeat_at < now - STALE_AFTER, True), else_=False)
    stmt = select(CohortJob.id, CohortJob.worker, ready).where(CohortJob.status.in_(ACTIVE))
    return [job_id for job_id, worker, waiting in db.execute(stmt.order_by(CohortJob.created_at))
            if waiting or liveness.known_dead(worker)]


def release(db: Session, *, job_id: str, worker: str | None = None) -> bool:
    """Hand a running job back to the queue (a worker stopping between batches); True if it was ours."""
    me = worker or str(liveness.this_worker())
    result = db.execute(
        update(CohortJob)
        .where(CohortJob.id == job_id, CohortJob.status == "running", CohortJob.worker == me)
        .values(status="queued", worker=None)
        .execution_options(synchronize_session=False))
    db.commit()
    return getattr(result, "rowcount", 0) == 1


def real_award() -> AwardFn:
    """The catalog's single-award use case (imported late: it lives in another module)."""
    from openler.issuer.awards import award

    return award


@dataclass(frozen=True, slots=True)
class Progress:
    """What a progress bar needs after each batch."""

    done: int
    total: int
    issued: int
    failed: int


def run_job(sessions: sessionmaker[Session], *, job_id: str, config: Any,
            clock: Callable[[], datetime], award_fn: AwardFn | None = None,
            batch_size: int = BATCH_SIZE,
            on_progress: Callable[[Progress], None] | None = None,
            after_awards: Callable[[Session, list[str]], None] | None = None) -> str:
    """Claim and run a job to its end (or cancellation); returns the final status.

    "lost" means another worker took the job over meanwhile (this one had stalled):
    every batch commits only while the job row still names this worker, so the
    lost batch is rolled back and this worker stops.

    Without ``award_fn`` each batch is issued together (``awards_batch.award_many``);
    with one, row by row through it. ``after_awards`` gets the ids of the awards a
    batch created (not those found by their key) just before the batch commits, in
    its transaction, so work tied to them (e.g. claim offers) is saved atomically.
    """
    me = str(liveness.this_worker())
    with sessions() as db:
        if not claim(db, job_id=job_id, now=clock(), worker=me):
            job = db.get(CohortJob, job_id)
            return job.status if job else "missing"
        job = db.get(CohortJob, job_id)
        assert job is not None
        org_id, digest = job.organization_id, job.file_digest
        rows = check(db, org_id=org_id, content=job.content).rows
        # The cursor is the last spreadsheet line handled, so a resumed job goes on
        # after it even if the catalog changed the set of valid lines meanwhile.
        last_line, issued, failed = job.cursor, job.issued_count, job.failed_count
        todo = [row for row in rows if row.line > last_line]
        total = issued + failed + len(todo)
        pending: list[dict[str, Any]] = []

        def commit(final_status: str | None = None) -> bool:
            """Save the batch with the cursor if the job is still ours; True when a cancel was asked for."""
            if pending:  # one multi-row INSERT per batch, not one ORM object per row
                db.execute(insert(CohortJobItem), pending)
            pending.clear()
            now = clock()
            values: dict[str, Any] = {"cursor": last_line, "issued_count": issued,
                                      "failed_count": failed, "heartbeat_at": now}
            if final_status:
                values.update(status=final_status, finished_at=now)
            # Only while we hold it: a worker that stalled and was taken over must not
            # commit its batch into a job another worker now runs.
            result = db.execute(update(CohortJob).where(CohortJob.id == job_id,
                                                        CohortJob.worker == me).values(**values)
                                .execution_options(synchronize_session=False))
            if getattr(result, "rowcount", 0) != 1:
                db.rollback()
                raise _Lost
            db.commit()
            if on_progress:
                on_progress(Progress(issued + failed, total, issued, failed))
            return bool(db.scalar(select(CohortJob.cancel_requested).where(CohortJob.id == job_id)))

        try:
            if commit():
                commit("cancelled")
                return "cancelled"
            issue = (_batch_issuer(config, org_id, digest) if award_fn is None
                     else _row_issuer(award_fn, config, org_id, digest))
            try:
                start = 0
                while start < len(todo):
                    chunk = todo[start:start + batch_size]
                    results = issue(db, chunk, clock)  # all of it, or the rows done in time
                    created: list[str] = []
                    for row, (outcome, award_id, message, new) in zip(chunk, results, strict=False):
                        pending.append({"id": new_id(), "job_id": job_id, "line": row.line,
                                        "recipient": row.recipient[:500], "outcome": outcome,
                                        "award_id": award_id, "message": message})
                        last_line = row.line
                        issued += outcome == "issued"
                        failed += outcome == "failed"
                        if new and award_id:
                            created.append(award_id)
                    start += len(results)
                    if after_awards is not None and created:
                        after_awards(db, list(dict.fromkeys(created)))  # each award once, in order
                    if start < len(todo) and commit():
                        commit("cancelled")
                        return "cancelled"
            except _Lost:
                raise
            except Exception as exc:  # a bug or a database fault: stop, keep what is committed
                db.rollback()
                log.exception("cohort job %s failed", job_id)
                _fail(db, job_id, f"{type(exc).__name__}: {exc}", clock(), worker=me)
                return "failed"
            commit("done")
            return "done"
        except _Lost:
            log.warning("cohort job %s was taken over by another worker: batch not committed, "
                        "stopping (%s)", job_id, me)
            return "lost"


class _Lost(Exception):
    """The job is no longer held by this worker (taken over after a stall)."""


RowResult = tuple[str, str | None, str | None, bool]
"""(outcome, award id, message code, whether the award is new) for one line."""
IssueFn = Callable[[Session, list[CohortRow], Callable[[], datetime]], list[RowResult]]


def _batch_issuer(config: Any, org_id: str, digest: str) -> IssueFn:
    """Every line of a batch issued together: shared look-ups, one INSERT per table."""
    from openler.issuer.awards_batch import AwardRequest, award_many

    def issue(db: Session, rows: list[CohortRow], clock: Callable[[], datetime]) -> list[RowResult]:
        requests = [AwardRequest(
            achievement_id=row.achievement_id, recipient_email=row.email, recipient_did=row.did,
            results=tuple(ResultInput(result_description=name, value=value)
                          for name, value in row.results),
            evidence=tuple(EvidenceInput(url=url) for url in row.evidence),
            valid_from=row.valid_from, valid_until=row.valid_until,
            idempotency_key=idempotency_key(org_id=org_id, digest=digest, row=row))
            for row in rows]
        outcomes = award_many(db, config=config, org_id=org_id, requests=requests, now=clock())
        return [("failed", None, _reason(o.error, row.line), False) if o.error is not None
                else ("issued", o.award_id, None, o.created)
                for row, o in zip(rows, outcomes, strict=True)]

    return issue


def _row_issuer(award_fn: AwardFn, config: Any, org_id: str, digest: str) -> IssueFn:
    """Line by line through ``award_fn``, stopping early after COMMIT_EVERY_S."""
    from openler.issuer.awards_batch import existing_awards

    def issue(db: Session, rows: list[CohortRow], clock: Callable[[], datetime]) -> list[RowResult]:
        known = set(existing_awards(db, org_id=org_id, keys=[
            idempotency_key(org_id=org_id, digest=digest, row=row) for row in rows]).values())
        started, out = time.monotonic(), []
        for row in rows:
            outcome, award_id, message = _award_row(db, award_fn, row, config=config,
                                                    org_id=org_id, digest=digest, now=clock())
            out.append((outcome, award_id, message, award_id is not None and award_id not in known))
            if time.monotonic() - started > COMMIT_EVERY_S:
                break
        return out

    return issue


def _reason(exc: IssuerError, line: int) -> str:
    """The message code shown for a line the award use case refused."""
    if isinstance(exc, CatalogInputError):
        codes = [code for code in exc.errors.values() if code in AWARD_REASONS]
        return codes[0] if codes else "other"
    if isinstance(exc, IssuerNotFound):
        return "not_found"
    log.info("cohort line %d refused: %s", line, exc)  # refused for this line only
    return "other"


def _award_row(db: Session, award_fn: AwardFn, row: CohortRow, *, config: Any, org_id: str,
               digest: str, now: datetime) -> tuple[str, str | None, str | None]:
    key = idempotency_key(org_id=org_id, digest=digest, row=row)
    try:
        made = award_fn(db, config=config, org_id=org_id, achievement_id=row.achievement_id,
                        recipient_email=row.email, recipient_did=row.did,
                        results=[ResultInput(result_description=name, value=value)
                                 for name, value in row.results],
                        evidence=[EvidenceInput(url=url) for url in row.evidence],
                        valid_from=row.valid_from, valid_until=row.valid_until, now=now,
                        idempotency_key=key)
    except IssuerError as exc:  # refused for this line only; the job goes on
        return "failed", None, _reason(exc, row.line)
    return "issued", str(getattr(made, "id", "")) or None, None


def _fail(db: Session, job_id: str, error: str, now: datetime, *, worker: str) -> None:
    db.execute(update(CohortJob).where(CohortJob.id == job_id, CohortJob.worker == worker)
               .values(status="failed", error=error[:2000], finished_at=now, heartbeat_at=now)
               .execution_options(synchronize_session=False))
    db.commit()
