"""Issuer identity: signing keys, API tokens, status lists, issued-credential records.

Revision ID: 0003_issuer_keys_status
Revises: 0002_language_passkeys_catalog
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_issuer_keys_status"
down_revision = "0002_language_passkeys_catalog"
branch_labels = None
depends_on = None


def _org_fk() -> sa.Column:
    return sa.Column(
        "organization_id",
        sa.String(32),
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        _org_fk(),
        sa.Column("algorithm", sa.String(16), nullable=False),
        sa.Column("public_multibase", sa.String(128), nullable=False),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("secret_ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_signing_keys_organization_id", "signing_keys", ["organization_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        _org_fk(),
        sa.Column(
            "created_by",
            sa.String(32),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_api_tokens_organization_id", "api_tokens", ["organization_id"])
    op.create_table(
        "status_lists",
        sa.Column("id", sa.String(32), primary_key=True),
        _org_fk(),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("bits", sa.LargeBinary, nullable=False),
        sa.Column("allocated", sa.LargeBinary, nullable=False),
        sa.Column("allocated_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_status_lists_organization_id", "status_lists", ["organization_id"])
    op.create_table(
        "issued_credentials",
        sa.Column("id", sa.String(32), primary_key=True),
        _org_fk(),
        sa.Column("credential_id", sa.String(500), nullable=False),
        sa.Column("subject_id", sa.String(500), nullable=True),
        sa.Column(
            "signing_key_id", sa.String(32), sa.ForeignKey("signing_keys.id"), nullable=False
        ),
        sa.Column(
            "revocation_list_id", sa.String(32), sa.ForeignKey("status_lists.id"), nullable=False
        ),
        sa.Column("revocation_index", sa.Integer, nullable=False),
        sa.Column(
            "suspension_list_id", sa.String(32), sa.ForeignKey("status_lists.id"), nullable=True
        ),
        sa.Column("suspension_index", sa.Integer, nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organization_id", "credential_id"),
    )
    op.create_index(
        "ix_issued_credentials_organization_id", "issued_credentials", ["organization_id"]
    )


def downgrade() -> None:
    op.drop_table("issued_credentials")
    op.drop_table("status_lists")
    op.drop_table("api_tokens")
    op.drop_table("signing_keys")
