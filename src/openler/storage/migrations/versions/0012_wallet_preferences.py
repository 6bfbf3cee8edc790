"""Wallet preferences: one sealed settings object per wallet (hidden skills and the like).

Revision ID: 0012_wallet_preferences
Revises: 0011_wallet_shares
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_wallet_preferences"
down_revision = "0011_wallet_shares"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wallet_preferences",
        sa.Column("wallet_id", sa.String(32), sa.ForeignKey("wallets.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))


def downgrade() -> None:
    op.drop_table("wallet_preferences")
