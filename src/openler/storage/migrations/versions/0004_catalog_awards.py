"""Achievement catalog (OB 3.0 fields, versions, part-of links) and awards.

Existing 0002 achievements are kept: they get achievementType "Achievement",
current_version 0 (their first version is written on first use) and no
other new values.

Revision ID: 0004_catalog_awards
Revises: 0003_issuer_keys_status
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_catalog_awards"
down_revision = "0003_issuer_keys_status"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _org_fk() -> sa.Column:
    return sa.Column(
        "organization_id",
        sa.String(32),
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): on SQLite, rebuilding "achievements" would drop
    # it, and with foreign keys on that deletes its alignments by cascade.
    op.add_column("achievements", sa.Column("achievement_type", sa.String(64), nullable=False,
                                            server_default="Achievement"))
    for column in (sa.Column("image", sa.Text, nullable=True),
                   sa.Column("credits_available", sa.Float, nullable=True),
                   sa.Column("field_of_study", sa.String(200), nullable=True),
                   sa.Column("specialization", sa.String(200), nullable=True),
                   sa.Column("human_code", sa.String(100), nullable=True),
                   sa.Column("tags", sa.JSON, nullable=True),
                   sa.Column("result_descriptions", sa.JSON, nullable=True),
                   sa.Column("current_version", sa.Integer, nullable=False, server_default="0"),
                   sa.Column("updated_at", _WHEN, nullable=True),
                   sa.Column("retired_at", _WHEN, nullable=True)):
        op.add_column("achievements", column)
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only inline
        op.execute("ALTER TABLE achievements ADD COLUMN parent_id VARCHAR(32) "
                   "REFERENCES achievements (id) ON DELETE SET NULL")
    else:
        op.add_column("achievements", sa.Column("parent_id", sa.String(32), nullable=True))
        op.create_foreign_key("fk_achievements_parent_id", "achievements", "achievements",
                              ["parent_id"], ["id"], ondelete="SET NULL")
    op.add_column("alignments", sa.Column("target_type", sa.String(64), nullable=True))
    op.create_table(
        "achievement_versions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("achievement_id", sa.String(32),
                  sa.ForeignKey("achievements.id", ondelete="CASCADE"), nullable=False),
        _org_fk(),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.UniqueConstraint("achievement_id", "number"),
    )
    op.create_index("ix_achievement_versions_achievement_id", "achievement_versions",
                    ["achievement_id"])
    op.create_index("ix_achievement_versions_organization_id", "achievement_versions",
                    ["organization_id"])
    op.create_table(
        "awards",
        sa.Column("id", sa.String(32), primary_key=True),
        _org_fk(),
        sa.Column("achievement_id", sa.String(32),
                  sa.ForeignKey("achievements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version_id", sa.String(32),
                  sa.ForeignKey("achievement_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("recipient_email", sa.String(320), nullable=True),
        sa.Column("recipient_did", sa.String(500), nullable=True),
        sa.Column("credential_id", sa.String(500), nullable=False),
        sa.Column("issued_credential_id", sa.String(32),
                  sa.ForeignKey("issued_credentials.id", ondelete="CASCADE"), nullable=False),
        sa.Column("credential", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("awarded_at", _WHEN, nullable=False),
        sa.Column("status_changed_at", _WHEN, nullable=True),
        sa.UniqueConstraint("organization_id", "idempotency_key"),
    )
    for indexed in ("organization_id", "achievement_id", "version_id", "recipient_email",
                    "recipient_did"):
        op.create_index(f"ix_awards_{indexed}", "awards", [indexed])
    op.create_table(
        "award_evidence",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("award_id", sa.String(32), sa.ForeignKey("awards.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("size", sa.Integer, nullable=True),
        sa.Column("content", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_award_evidence_award_id", "award_evidence", ["award_id"])


def downgrade() -> None:
    op.drop_table("award_evidence")
    op.drop_table("awards")
    op.drop_table("achievement_versions")
    op.drop_column("alignments", "target_type")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_achievements_parent_id", "achievements", type_="foreignkey")
    for column in ("retired_at", "updated_at", "current_version", "parent_id",
                   "result_descriptions", "tags", "human_code", "specialization",
                   "field_of_study", "credits_available", "image", "achievement_type"):
        op.drop_column("achievements", column)
