"""Tables for the life of a credential: private revocation notes, reissue links,
counted events for the issuer dashboard, and the append-only audit log.

Spec: W3C Bitstring Status List v1.0 (a revocation reason is never published in a
status list; it stays here) and 1EdTech Open Badges 3.0 section 8 (validUntil).
Created by migration 0007_lifecycle_audit, which also adds the triggers that keep
``audit_entries`` append-only while its organization exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class AwardNote(Base):
    """Private facts about one award: why it was revoked, what replaced it."""

    __tablename__ = "award_notes"

    award_id: Mapped[str] = mapped_column(
        ForeignKey("awards.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    replaced_by_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    replaces_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    recipient_name: Mapped[str | None] = mapped_column(String(200), nullable=True)


class CredentialEvent(Base):
    """One counted moment in a credential's life (issued, claimed, shared, verified, ...)."""

    __tablename__ = "credential_events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    award_id: Mapped[str] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    achievement_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class AuditEntry(Base):
    """Who did what, when, to which object. Never updated, never deleted."""

    __tablename__ = "audit_entries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    actor_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(500))
    target_label: Mapped[str] = mapped_column(String(500), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    private_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


LIFECYCLE_TABLES_CHILD_FIRST = ("credential_events", "award_notes", "audit_entries")
