"""Cohort issuing tables: one row per uploaded CSV job, one row per issued (or failed) line.

Same declarative Base as `openler.storage.tables`; created by migration
0005_cohort_jobs (the `worker` column by 0009_cohort_worker). The job row is the whole queue state (status, counters, cursor,
heartbeat), so a job survives a crash and is resumed by the same code on SQLite
and PostgreSQL. The uploaded file is kept (it is the job's input) until the job ends.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class CohortJob(Base):
    __tablename__ = "cohort_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    file_digest: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # validated -> queued -> running -> done | cancelled | failed
    status: Mapped[str] = mapped_column(String(16), index=True)
    public_base: Mapped[str | None] = mapped_column(String(500), nullable=True)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    invalid_rows: Mapped[int] = mapped_column(Integer, default=0)
    to_issue: Mapped[int] = mapped_column(Integer, default=0)
    issued_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(Integer, default=0)  # last spreadsheet line handled
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # "<host>:<pid>:<nonce>" of the worker that claimed it (0009_cohort_worker; see liveness)
    worker: Mapped[str | None] = mapped_column(String(300), nullable=True)


class CohortJobItem(Base):
    __tablename__ = "cohort_job_items"
    __table_args__ = (UniqueConstraint("job_id", "line"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("cohort_jobs.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(500))
    outcome: Mapped[str] = mapped_column(String(16))  # issued | failed
    award_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)


COHORT_TABLES_CHILD_FIRST = ("cohort_job_items", "cohort_jobs")
