"""Verifier: presentation requests of an organization (OpenID4VP) and the responses received.

Revision ID: 0013_verifier_requests
Revises: 0012_wallet_preferences
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_verifier_requests"
down_revision = "0012_wallet_preferences"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "verifier_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(32), sa.ForeignKey("organizations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("dcql_query", sa.JSON, nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        _when("created_at"), _when("expires_at"), _when("answered_at", True))
    op.create_index("ix_verifier_requests_org_id", "verifier_requests", ["org_id"])
    op.create_index("ix_verifier_requests_state", "verifier_requests", ["state"], unique=True)
    op.create_table(
        "verifier_responses",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("request_id", sa.String(32),
                  sa.ForeignKey("verifier_requests.id", ondelete="CASCADE"), nullable=False),
        _when("received_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.String(64), nullable=True),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("vp_token", sa.JSON, nullable=True))
    op.create_index("ix_verifier_responses_request_id", "verifier_responses", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_verifier_responses_request_id", table_name="verifier_responses")
    op.drop_table("verifier_responses")
    op.drop_index("ix_verifier_requests_state", table_name="verifier_requests")
    op.drop_index("ix_verifier_requests_org_id", table_name="verifier_requests")
    op.drop_table("verifier_requests")
