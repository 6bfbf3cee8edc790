"""Delivery to the learner: claim offers, OpenID4VCI grants, tokens, nonces, mail outbox.

Revision ID: 0006_delivery
Revises: 0005_cohort_jobs
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_delivery"
down_revision = "0005_cohort_jobs"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "claim_offers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organization_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("award_id", sa.String(32), sa.ForeignKey("awards.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("tx_code_hash", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False, server_default="en"),
        _when("created_at"), _when("expires_at"), _when("claimed_at", True),
        sa.Column("claimed_by", sa.String(16), nullable=True),
        _when("replaced_at", True),
    )
    op.create_index("ix_claim_offers_organization_id", "claim_offers", ["organization_id"])
    op.create_index("ix_claim_offers_award_id", "claim_offers", ["award_id"])
    op.create_table(
        "oid4vci_grants",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("offer_id", sa.String(32),
                  sa.ForeignKey("claim_offers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ref_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        _when("created_at"), _when("expires_at"), _when("used_at", True),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_oid4vci_grants_offer_id", "oid4vci_grants", ["offer_id"])
    op.create_table(
        "oid4vci_access_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("grant_id", sa.String(32),
                  sa.ForeignKey("oid4vci_grants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _when("expires_at"), _when("used_at", True),
    )
    op.create_index("ix_oid4vci_access_tokens_grant_id", "oid4vci_access_tokens", ["grant_id"])
    op.create_table(
        "oid4vci_nonces",
        sa.Column("nonce", sa.String(64), primary_key=True),
        _when("expires_at"), _when("used_at", True),
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organization_id", sa.String(32),
                  sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=True),
        sa.Column("offer_id", sa.String(32),
                  sa.ForeignKey("claim_offers.id", ondelete="SET NULL"), nullable=True),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(1000), nullable=True),
        _when("created_at"),
    )
    op.create_index("ix_mail_outbox_organization_id", "mail_outbox", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_organization_id", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_table("oid4vci_nonces")
    op.drop_index("ix_oid4vci_access_tokens_grant_id", table_name="oid4vci_access_tokens")
    op.drop_table("oid4vci_access_tokens")
    op.drop_index("ix_oid4vci_grants_offer_id", table_name="oid4vci_grants")
    op.drop_table("oid4vci_grants")
    op.drop_index("ix_claim_offers_award_id", table_name="claim_offers")
    op.drop_index("ix_claim_offers_organization_id", table_name="claim_offers")
    op.drop_table("claim_offers")
