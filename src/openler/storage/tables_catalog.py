"""Tables for the issuer's achievement catalog versions and the awards made from them.

Spec: 1EdTech Open Badges 3.0, section 8 (Achievement, AchievementCredential);
each awarded credential keeps pointing at the Achievement version it was built
from, so a version's OB 3.0 JSON is stored once and never changed after issue.
Created by migration 0004_catalog_awards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openler.storage.tables import Achievement, Base, UtcDateTime, new_id


class AchievementVersion(Base):
    __tablename__ = "achievement_versions"
    __table_args__ = (UniqueConstraint("achievement_id", "number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    achievement_id: Mapped[str] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    achievement: Mapped[Achievement] = relationship()


class Award(Base):
    __tablename__ = "awards"
    __table_args__ = (UniqueConstraint("organization_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    achievement_id: Mapped[str] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[str] = mapped_column(
        ForeignKey("achievement_versions.id", ondelete="CASCADE"), index=True
    )
    recipient_email: Mapped[str | None] = mapped_column(String(320), index=True, nullable=True)
    recipient_did: Mapped[str | None] = mapped_column(String(500), index=True, nullable=True)
    credential_id: Mapped[str] = mapped_column(String(500))
    issued_credential_id: Mapped[str] = mapped_column(
        ForeignKey("issued_credentials.id", ondelete="CASCADE")
    )
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="active")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    awarded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    version: Mapped[AchievementVersion] = relationship()
    achievement: Mapped[Achievement] = relationship()
    evidence: Mapped[list[AwardEvidence]] = relationship(
        back_populates="award", order_by="AwardEvidence.position", cascade="all, delete-orphan"
    )


class AwardEvidence(Base):
    __tablename__ = "award_evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    award_id: Mapped[str] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    award: Mapped[Award] = relationship(back_populates="evidence")


CATALOG_TABLES_CHILD_FIRST = ("award_evidence", "awards", "achievement_versions")
