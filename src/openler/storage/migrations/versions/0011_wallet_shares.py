"""Wallet sharing: presentations (sealed), their records, shares (sealed by the link) and views.

Revision ID: 0011_wallet_shares
Revises: 0010_mail_queue
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_wallet_shares"
down_revision = "0010_mail_queue"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column:
    return sa.Column("id", sa.String(32), primary_key=True)


def _ref(name: str, target: str) -> sa.Column:
    return sa.Column(name, sa.String(32), sa.ForeignKey(target, ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "wallet_presentations", _id(), _ref("wallet_id", "wallets.id"),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        _when("created_at"))
    op.create_index("ix_wallet_presentations_wallet_id", "wallet_presentations", ["wallet_id"])
    op.create_table(
        "wallet_presentation_items", _id(),
        _ref("presentation_id", "wallet_presentations.id"),
        _ref("record_id", "wallet_records.id"),
        sa.Column("position", sa.Integer, nullable=False))
    op.create_index("ix_wallet_presentation_items_presentation_id",
                    "wallet_presentation_items", ["presentation_id"])
    op.create_index("ix_wallet_presentation_items_record_id",
                    "wallet_presentation_items", ["record_id"])
    op.create_table(
        "wallet_shares", _id(), _ref("wallet_id", "wallets.id"),
        _ref("presentation_id", "wallet_presentations.id"),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("learner_nonce", sa.LargeBinary, nullable=False),
        sa.Column("learner_ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("link_nonce", sa.LargeBinary, nullable=True),
        sa.Column("link_ciphertext", sa.LargeBinary, nullable=True),
        _when("created_at"), _when("expires_at", True), _when("stopped_at", True),
        sa.Column("stop_reason", sa.String(16), nullable=True))
    op.create_index("ix_wallet_shares_token_hash", "wallet_shares", ["token_hash"], unique=True)
    op.create_index("ix_wallet_shares_wallet_id", "wallet_shares", ["wallet_id"])
    op.create_index("ix_wallet_shares_presentation_id", "wallet_shares", ["presentation_id"])
    op.create_table(
        "wallet_share_views", _id(), _ref("share_id", "wallet_shares.id"), _when("viewed_at"))
    op.create_index("ix_wallet_share_views_share_id", "wallet_share_views", ["share_id"])


def downgrade() -> None:
    op.drop_index("ix_wallet_share_views_share_id", table_name="wallet_share_views")
    op.drop_table("wallet_share_views")
    for name in ("presentation_id", "wallet_id", "token_hash"):
        op.drop_index(f"ix_wallet_shares_{name}", table_name="wallet_shares")
    op.drop_table("wallet_shares")
    for name in ("record_id", "presentation_id"):
        op.drop_index(f"ix_wallet_presentation_items_{name}",
                      table_name="wallet_presentation_items")
    op.drop_table("wallet_presentation_items")
    op.drop_index("ix_wallet_presentations_wallet_id", table_name="wallet_presentations")
    op.drop_table("wallet_presentations")
