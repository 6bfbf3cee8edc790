"""Cohort jobs remember which worker runs them, so a crashed worker's job is taken over at once.

`cohort_jobs.worker` holds "<host>:<pid>:<nonce>" of the claiming worker
(`openler.issuer.cohort.liveness`); NULL for jobs never claimed since.

Revision ID: 0009_cohort_worker
Revises: 0008_wallet
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_cohort_worker"
down_revision = "0008_wallet"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cohort_jobs", sa.Column("worker", sa.String(300), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy: copying
    # would drop the old table, and with foreign keys on that deletes the job items.
    op.drop_column("cohort_jobs", "worker")
