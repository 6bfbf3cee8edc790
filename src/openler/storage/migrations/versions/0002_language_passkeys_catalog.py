"""Preferred language on users; passkeys; the achievement catalog with skill alignments.

Revision ID: 0002_language_passkeys_catalog
Revises: 0001_accounts
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_language_passkeys_catalog"
down_revision = "0001_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="en"))
    op.create_table(
        "passkeys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("credential_id", sa.LargeBinary, nullable=False, unique=True),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("sign_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_passkeys_user_id", "passkeys", ["user_id"])
    op.create_table(
        "achievements",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "organization_id",
            sa.String(32),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_achievements_organization_id", "achievements", ["organization_id"])
    op.create_table(
        "alignments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "achievement_id",
            sa.String(32),
            sa.ForeignKey("achievements.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("target_name", sa.String(200), nullable=False),
        sa.Column("target_url", sa.String(500), nullable=False),
        sa.Column("target_framework", sa.String(200), nullable=False),
        sa.Column("target_code", sa.String(100), nullable=False),
    )
    op.create_index("ix_alignments_achievement_id", "alignments", ["achievement_id"])


def downgrade() -> None:
    op.drop_table("alignments")
    op.drop_table("achievements")
    op.drop_table("passkeys")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
