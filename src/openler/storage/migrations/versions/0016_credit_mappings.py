"""Credit for prior learning: an organization's rules mapping external achievements (by
issuer and achievement id, or by skills) to its own courses.

Revision ID: 0016_credit_mappings
Revises: 0015_org_shares
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_credit_mappings"
down_revision = "0015_org_shares"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_mappings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("course_id", sa.String(32),
                  sa.ForeignKey("achievements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("issuer_did", sa.String(500), nullable=False, server_default=""),
        sa.Column("achievement_id", sa.Text, nullable=False, server_default=""),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("result_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("min_result", sa.Float, nullable=True),
        sa.Column("verified_only", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(32),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True))
    op.create_index("ix_credit_mappings_org_id", "credit_mappings", ["org_id"])
    op.create_index("ix_credit_mappings_course_id", "credit_mappings", ["course_id"])


def downgrade() -> None:
    op.drop_index("ix_credit_mappings_course_id", table_name="credit_mappings")
    op.drop_index("ix_credit_mappings_org_id", table_name="credit_mappings")
    op.drop_table("credit_mappings")
