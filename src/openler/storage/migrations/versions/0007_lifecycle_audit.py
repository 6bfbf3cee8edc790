"""Life of a credential and the audit log: award notes, credential events, audit entries.

The audit table is append-only: triggers reject every UPDATE, and every DELETE while
the entry's organization still exists (entries of an erased organization may go).

Revision ID: 0007_lifecycle_audit
Revises: 0006_delivery
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_lifecycle_audit"
down_revision = "0006_delivery"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION openler_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit entries are append-only';
  END IF;
  IF EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id) THEN
    RAISE EXCEPTION 'audit entries are append-only';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql
"""
_PG_TRIGGER = """
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION openler_audit_append_only()
"""
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
    WHEN EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id)
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "award_notes",
        sa.Column("award_id", sa.String(32), sa.ForeignKey("awards.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("organization_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("revocation_reason", sa.Text, nullable=True),
        sa.Column("replaced_by_id", sa.String(32), nullable=True),
        sa.Column("replaces_id", sa.String(32), nullable=True),
        sa.Column("recipient_name", sa.String(200), nullable=True),
    )
    op.create_index("ix_award_notes_organization_id", "award_notes", ["organization_id"])
    op.create_table(
        "credential_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organization_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("award_id", sa.String(32), sa.ForeignKey("awards.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("achievement_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _when("at"),
    )
    for column in ("organization_id", "award_id", "achievement_id", "at"):
        op.create_index(f"ix_credential_events_{column}", "credential_events", [column])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organization_id", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(32), nullable=True),
        sa.Column("actor_label", sa.String(320), nullable=False, server_default=""),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target_type", sa.String(40), nullable=False),
        sa.Column("target_id", sa.String(500), nullable=False),
        sa.Column("target_label", sa.String(500), nullable=False, server_default=""),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("private_reason", sa.Text, nullable=True),
        _when("at"),
    )
    for column in ("organization_id", "action", "at"):
        op.create_index(f"ix_audit_entries_{column}", "audit_entries", [column])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS openler_audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    for column in ("organization_id", "action", "at"):
        op.drop_index(f"ix_audit_entries_{column}", table_name="audit_entries")
    op.drop_table("audit_entries")
    for column in ("organization_id", "award_id", "achievement_id", "at"):
        op.drop_index(f"ix_credential_events_{column}", table_name="credential_events")
    op.drop_table("credential_events")
    op.drop_index("ix_award_notes_organization_id", table_name="award_notes")
    op.drop_table("award_notes")
