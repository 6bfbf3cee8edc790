"""Cohort issuing jobs: the job (status, counters, cursor, heartbeat) and its issued lines.

Revision ID: 0005_cohort_jobs
Revises: 0004_catalog_awards
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_cohort_jobs"
down_revision = "0004_catalog_awards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohort_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organization_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("users.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("public_base", sa.String(500), nullable=True),
        sa.Column("total_rows", sa.Integer, nullable=False, server_default="0"),
        sa.Column("invalid_rows", sa.Integer, nullable=False, server_default="0"),
        sa.Column("to_issue", sa.Integer, nullable=False, server_default="0"),
        sa.Column("issued_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cursor", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_cohort_jobs_organization_id", "cohort_jobs", ["organization_id"])
    op.create_index("ix_cohort_jobs_status", "cohort_jobs", ["status"])
    op.create_table(
        "cohort_job_items",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("job_id", sa.String(32), sa.ForeignKey("cohort_jobs.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("recipient", sa.String(500), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("award_id", sa.String(64), nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.UniqueConstraint("job_id", "line"),
    )
    op.create_index("ix_cohort_job_items_job_id", "cohort_job_items", ["job_id"])


def downgrade() -> None:
    op.drop_index("ix_cohort_job_items_job_id", table_name="cohort_job_items")
    op.drop_table("cohort_job_items")
    op.drop_index("ix_cohort_jobs_status", table_name="cohort_jobs")
    op.drop_index("ix_cohort_jobs_organization_id", table_name="cohort_jobs")
    op.drop_table("cohort_jobs")
