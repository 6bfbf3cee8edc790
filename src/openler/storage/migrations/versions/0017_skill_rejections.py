"""Skill suggestions a person marked "not relevant", remembered per organization.

Revision ID: 0017_skill_rejections
Revises: 0016_credit_mappings
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_skill_rejections"
down_revision = "0016_credit_mappings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skill_rejections",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("skill_uri", sa.String(500), nullable=False),
        sa.Column("label", sa.String(300), nullable=False, server_default=""),
        sa.Column("context", sa.String(16), nullable=False),
        sa.Column("achievement_id", sa.String(32),
                  sa.ForeignKey("achievements.id", ondelete="CASCADE"), nullable=True),
        sa.Column("role_id", sa.String(32),
                  sa.ForeignKey("verifier_roles.id", ondelete="CASCADE"), nullable=True),
        sa.Column("rejected_by", sa.String(32),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_skill_rejections_org_id", "skill_rejections", ["org_id", "context"])
    op.create_index("ix_skill_rejections_achievement_id", "skill_rejections",
                    ["achievement_id"])
    op.create_index("ix_skill_rejections_role_id", "skill_rejections", ["role_id"])


def downgrade() -> None:
    op.drop_index("ix_skill_rejections_role_id", table_name="skill_rejections")
    op.drop_index("ix_skill_rejections_achievement_id", table_name="skill_rejections")
    op.drop_index("ix_skill_rejections_org_id", table_name="skill_rejections")
    op.drop_table("skill_rejections")
