"""Learner wallet: wallets (wrapped data key, sealed key pair) and sealed records.

Revision ID: 0008_wallet
Revises: 0007_lifecycle_audit
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_wallet"
down_revision = "0007_lifecycle_audit"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "wallets",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("master_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("data_key_nonce", sa.LargeBinary, nullable=False),
        sa.Column("data_key_wrapped", sa.LargeBinary, nullable=False),
        sa.Column("key_nonce", sa.LargeBinary, nullable=False),
        sa.Column("key_ciphertext", sa.LargeBinary, nullable=False),
        _when("created_at"),
    )
    op.create_index("ix_wallets_user_id", "wallets", ["user_id"], unique=True)
    op.create_table(
        "wallet_records",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("wallet_id", sa.String(32), sa.ForeignKey("wallets.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        _when("received_at"),
        _when("accepted_at", True),
    )
    op.create_index("ix_wallet_records_wallet_id", "wallet_records", ["wallet_id"])


def downgrade() -> None:
    op.drop_index("ix_wallet_records_wallet_id", table_name="wallet_records")
    op.drop_table("wallet_records")
    op.drop_index("ix_wallets_user_id", table_name="wallets")
    op.drop_table("wallets")
