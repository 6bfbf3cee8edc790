"""Trust registry: the issuers each organization recognises, and the registry files it imported.

Revision ID: 0014_trust_registry
Revises: 0013_verifier_requests
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_trust_registry"
down_revision = "0013_verifier_requests"
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _org() -> sa.Column:
    return sa.Column("org_id", sa.String(32),
                     sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False)


def _by(name: str) -> sa.Column:
    return sa.Column(name, sa.String(32), sa.ForeignKey("users.id", ondelete="SET NULL"),
                     nullable=True)


def upgrade() -> None:
    op.create_table(
        "trust_registries",
        sa.Column("id", sa.String(32), primary_key=True),
        _org(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("updated", sa.String(64), nullable=False, server_default=""),
        _when("imported_at"),
        _by("imported_by"),
        sa.Column("entry_count", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_trust_registries_org_id", "trust_registries", ["org_id"])
    op.create_table(
        "trust_issuers",
        sa.Column("id", sa.String(32), primary_key=True),
        _org(),
        sa.Column("did", sa.String(500), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("accreditation", sa.Text, nullable=False, server_default=""),
        sa.Column("url", sa.Text, nullable=False, server_default=""),
        sa.Column("location", sa.String(200), nullable=False, server_default=""),
        sa.Column("registry_id", sa.String(32),
                  sa.ForeignKey("trust_registries.id", ondelete="CASCADE"), nullable=True),
        sa.Column("registry_name", sa.String(200), nullable=False, server_default=""),
        _when("added_at"),
        _by("added_by"),
        sa.UniqueConstraint("org_id", "did", name="uq_trust_issuers_org_did"))
    op.create_index("ix_trust_issuers_org_id", "trust_issuers", ["org_id"])
    op.create_index("ix_trust_issuers_registry_id", "trust_issuers", ["registry_id"])


def downgrade() -> None:
    op.drop_index("ix_trust_issuers_registry_id", table_name="trust_issuers")
    op.drop_index("ix_trust_issuers_org_id", table_name="trust_issuers")
    op.drop_table("trust_issuers")
    op.drop_index("ix_trust_registries_org_id", table_name="trust_registries")
    op.drop_table("trust_registries")
