"""Table of an admissions office's credit-for-prior-learning mappings.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Achievement ``id``, Alignment,
ResultDescription) and CLR 2.0, section 8 (the achievements a learner record
bundles). What is stored, and why:

- ``credit_mappings``: one row per rule of an organization that says an
  EXTERNAL achievement may count for one of its OWN courses (``course_id``, an
  achievement of its catalog; removing the course removes its rules). ``kind``
  is ``achievement`` (``issuer_did`` and ``achievement_id`` compared exactly) or
  ``skills`` (``skills``: a JSON list of {name, framework, code, url}, every one
  of which must be evidenced). ``note`` is the office's own words ("counts as
  ENG-101, 3 credits"). Conditions: ``result_name`` with ``min_result`` (the
  lowest value accepted for a result of that ResultDescription, by its name or
  id) and ``verified_only``. Who added it and when.

Created by migration 0016_credit_mappings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class CreditMapping(Base):
    __tablename__ = "credit_mappings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    issuer_did: Mapped[str] = mapped_column(String(500), default="")
    achievement_id: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    result_name: Mapped[str] = mapped_column(String(200), default="")
    min_result: Mapped[float | None] = mapped_column(Float, nullable=True)
    verified_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
