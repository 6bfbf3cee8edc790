"""Issuer tables: organization signing keys, API tokens, status lists, issued credentials.

Same declarative Base as `openler.storage.tables`; created by migration
0003_issuer_keys_status. Secret keys are stored only encrypted (see
`openler.issuer.keys`); API tokens only as a SHA-256 hash; an issued credential
is remembered by its id, subject id and status indexes, never its content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class SigningKey(Base):
    __tablename__ = "signing_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    algorithm: Mapped[str] = mapped_column(String(16))
    public_multibase: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    secret_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class StatusListRow(Base):
    __tablename__ = "status_lists"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    allocated: Mapped[bytes] = mapped_column(LargeBinary)
    allocated_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IssuedCredential(Base):
    __tablename__ = "issued_credentials"
    __table_args__ = (UniqueConstraint("organization_id", "credential_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[str] = mapped_column(String(500))
    subject_id: Mapped[str | None] = mapped_column(String(500), nullable=True)
    signing_key_id: Mapped[str] = mapped_column(ForeignKey("signing_keys.id"))
    revocation_list_id: Mapped[str] = mapped_column(ForeignKey("status_lists.id"))
    revocation_index: Mapped[int] = mapped_column(Integer)
    suspension_list_id: Mapped[str | None] = mapped_column(
        ForeignKey("status_lists.id"), nullable=True
    )
    suspension_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())


ISSUER_TABLES_CHILD_FIRST = ("issued_credentials", "status_lists", "api_tokens", "signing_keys")
