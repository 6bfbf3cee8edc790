"""Skill frameworks: ESCO, O*NET and organizations' own (CASE, RSD), their items
(skills and occupations, labels per language) and occupation-skill relations.

Revision ID: 0018_skill_frameworks
Revises: 0017_skill_rejections
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_skill_frameworks"
down_revision = "0017_skill_rejections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skill_frameworks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=True),
        sa.Column("org_key", sa.String(32), nullable=False, server_default=""),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("uri", sa.String(1000), nullable=False),
        sa.Column("version", sa.String(100), nullable=False, server_default=""),
        sa.Column("attribution", sa.Text, nullable=False, server_default=""),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("item_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org_key", "uri", name="uq_skill_frameworks_org_key_uri"))
    op.create_index("ix_skill_frameworks_org_id", "skill_frameworks", ["org_id"])
    op.create_table(
        "skill_framework_items",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("framework_id", sa.String(32),
                  sa.ForeignKey("skill_frameworks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("code", sa.String(200), nullable=False, server_default=""),
        sa.Column("uri", sa.String(1000), nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("alt_labels", sa.JSON, nullable=False),
        sa.Column("description", sa.JSON, nullable=False),
        sa.Column("parent_uri", sa.String(1000), nullable=False, server_default=""),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("framework_id", "uri", name="uq_skill_framework_items_framework_uri"))
    op.create_index("ix_skill_framework_items_framework_id", "skill_framework_items",
                    ["framework_id"])
    op.create_table(
        "skill_framework_relations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("framework_id", sa.String(32),
                  sa.ForeignKey("skill_frameworks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("occupation_uri", sa.String(1000), nullable=False),
        sa.Column("skill_uri", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("weight", sa.Float, nullable=True),
        sa.UniqueConstraint("framework_id", "occupation_uri", "skill_uri", "kind",
                            name="uq_skill_framework_relations"))
    op.create_index("ix_skill_framework_relations_framework_id", "skill_framework_relations",
                    ["framework_id"])
    op.create_index("ix_skill_framework_relations_occupation_uri",
                    "skill_framework_relations", ["occupation_uri"])


def downgrade() -> None:
    op.drop_table("skill_framework_relations")
    op.drop_table("skill_framework_items")
    op.drop_index("ix_skill_frameworks_org_id", table_name="skill_frameworks")
    op.drop_table("skill_frameworks")
