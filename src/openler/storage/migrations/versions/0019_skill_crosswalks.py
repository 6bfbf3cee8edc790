"""Crosswalks between skill frameworks (which item of one is which of another).

Revision ID: 0019_skill_crosswalks
Revises: 0018_skill_frameworks
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_skill_crosswalks"
down_revision = "0018_skill_frameworks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skill_crosswalks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("source_uri", sa.String(1000), nullable=False),
        sa.Column("source_key", sa.String(1000), nullable=False),
        sa.Column("target_uri", sa.String(1000), nullable=False),
        sa.Column("target_key", sa.String(1000), nullable=False),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", "source_key", "target_key",
                            name="uq_skill_crosswalks_pair"))
    op.create_index("ix_skill_crosswalks_source_key", "skill_crosswalks", ["source_key"])
    op.create_index("ix_skill_crosswalks_target_key", "skill_crosswalks", ["target_key"])


def downgrade() -> None:
    op.drop_index("ix_skill_crosswalks_target_key", table_name="skill_crosswalks")
    op.drop_index("ix_skill_crosswalks_source_key", table_name="skill_crosswalks")
    op.drop_table("skill_crosswalks")
