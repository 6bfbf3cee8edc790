"""Employer side: shares addressed to an organization, their openings by its members,
re-checks of received OpenID4VP answers, and roles described by skills.

Revision ID: 0015_org_shares
Revises: 0014_trust_registry
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_org_shares"
down_revision = "0014_trust_registry"
branch_labels = None
depends_on = None


def _org() -> sa.Column:
    return sa.Column("org_id", sa.String(32),
                     sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "org_shares",
        sa.Column("share_id", sa.String(32),
                  sa.ForeignKey("wallet_shares.id", ondelete="CASCADE"), primary_key=True),
        _org(),
        sa.Column("token_nonce", sa.LargeBinary, nullable=False),
        sa.Column("token_ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_org_shares_org_id", "org_shares", ["org_id"])
    op.create_table(
        "org_share_views",
        sa.Column("view_id", sa.String(32),
                  sa.ForeignKey("wallet_share_views.id", ondelete="CASCADE"), primary_key=True),
        _org())
    op.create_index("ix_org_share_views_org_id", "org_share_views", ["org_id"])
    op.create_table(
        "verifier_response_checks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("response_id", sa.String(32),
                  sa.ForeignKey("verifier_responses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("report", sa.JSON, nullable=False))
    op.create_index("ix_verifier_response_checks_response_id", "verifier_response_checks",
                    ["response_id"])
    op.create_table(
        "verifier_roles",
        sa.Column("id", sa.String(32), primary_key=True),
        _org(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("required", sa.JSON, nullable=False),
        sa.Column("preferred", sa.JSON, nullable=False),
        sa.Column("request_id", sa.String(32),
                  sa.ForeignKey("verifier_requests.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_verifier_roles_org_id", "verifier_roles", ["org_id"])
    op.create_index("ix_verifier_roles_request_id", "verifier_roles", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_verifier_roles_request_id", table_name="verifier_roles")
    op.drop_index("ix_verifier_roles_org_id", table_name="verifier_roles")
    op.drop_table("verifier_roles")
    op.drop_index("ix_verifier_response_checks_response_id",
                  table_name="verifier_response_checks")
    op.drop_table("verifier_response_checks")
    op.drop_index("ix_org_share_views_org_id", table_name="org_share_views")
    op.drop_table("org_share_views")
    op.drop_index("ix_org_shares_org_id", table_name="org_shares")
    op.drop_table("org_shares")
