"""Tables for delivering issued credentials to learners: claim offers, OpenID4VCI
pre-authorized grants, access tokens and nonces, and the mail outbox.

Spec: OpenID for Verifiable Credential Issuance 1.0, sections 4.1 (Credential
Offer), 6 (Token Endpoint, pre-authorized code and tx_code), 7 (Nonce Endpoint).
Secrets (claim tokens, pre-authorized codes, access tokens, tx codes) are kept
only as SHA-256 hashes. Created by migration 0006_delivery; the outbox's delivery
state (kept, queued, sent, failed) and retry columns by 0010_mail_queue.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openler.storage.tables import Base, UtcDateTime, new_id
from openler.storage.tables_catalog import Award


class ClaimOffer(Base):
    __tablename__ = "claim_offers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    award_id: Mapped[str] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tx_code_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    replaced_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    award: Mapped[Award] = relationship()


class PreAuthorizedGrant(Base):
    __tablename__ = "oid4vci_grants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    offer_id: Mapped[str] = mapped_column(
        ForeignKey("claim_offers.id", ondelete="CASCADE"), index=True)
    ref_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)

    offer: Mapped[ClaimOffer] = relationship()


class AccessToken(Base):
    __tablename__ = "oid4vci_access_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    grant_id: Mapped[str] = mapped_column(
        ForeignKey("oid4vci_grants.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    grant: Mapped[PreAuthorizedGrant] = relationship()


class IssuanceNonce(Base):
    __tablename__ = "oid4vci_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class OutboxMessage(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_state_next", "state", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=True)
    offer_id: Mapped[str | None] = mapped_column(
        ForeignKey("claim_offers.id", ondelete="SET NULL"), nullable=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(16), default="kept", server_default="kept")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    lease: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


DELIVERY_TABLES_CHILD_FIRST = ("mail_outbox", "oid4vci_nonces", "oid4vci_access_tokens",
                               "oid4vci_grants", "claim_offers")
