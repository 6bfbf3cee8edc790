"""Table of skill suggestions an organization rejected ("not relevant").

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment: the skill a suggestion
would have become); ESCO skill URIs (https://data.europa.eu/esco/skill/...).
What is stored, and why:

- ``skill_rejections``: one row per "Not relevant" click of a member of an
  organization. ``context`` says which side of the platform it happened on
  (``achievement``: the issuer catalog; ``role``: the employer's roles), and
  ``achievement_id`` or ``role_id`` the item it was rejected for, or neither when
  the item did not exist yet (a new achievement or role) — then the rejection
  holds for the whole organization in that context. Removing the item removes its
  rejections; removing the person keeps the rejection without the name.
  ``label`` keeps the skill's words so a list of rejections can be read.

Created by migration 0017_skill_rejections.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

import openler.storage.tables_org_shares  # noqa: F401  (registers verifier_roles for the key)
from openler.storage.tables import Base, UtcDateTime, new_id

CONTEXT_ACHIEVEMENT = "achievement"
CONTEXT_ROLE = "role"


class SkillRejection(Base):
    __tablename__ = "skill_rejections"
    __table_args__ = (Index("ix_skill_rejections_org_id", "org_id", "context"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    skill_uri: Mapped[str] = mapped_column(String(500))
    label: Mapped[str] = mapped_column(String(300), default="")
    context: Mapped[str] = mapped_column(String(16))
    achievement_id: Mapped[str | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), nullable=True, index=True)
    role_id: Mapped[str | None] = mapped_column(
        ForeignKey("verifier_roles.id", ondelete="CASCADE"), nullable=True, index=True)
    rejected_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    rejected_at: Mapped[datetime] = mapped_column(UtcDateTime())
