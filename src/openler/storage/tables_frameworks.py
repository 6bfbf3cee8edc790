"""Tables of skill frameworks: ESCO, O*NET and an organization's own (CASE, RSD).

Spec: 1EdTech CASE 1.0 (CFDocument, CFItem, CFAssociation ``isChildOf``), the Rich
Skill Descriptor 1.0 of the Open Skills Network, O*NET-SOC and ESCO. What is stored:

- ``skill_frameworks``: one row per framework. ``org_id`` is null for the global
  ones every organization sees (ESCO, O*NET) and set for an organization's own.
  ``source`` says which importer made it (``esco``, ``onet``, ``case``, ``rsd``);
  ``uri`` identifies it so a re-import updates it; ``attribution`` is the licence
  notice shown next to its items.
- ``skill_framework_items``: skills and occupations (``kind``) with their ``code``,
  ``uri`` (unique inside a framework: re-imports update by it), ``labels`` and
  ``alt_labels`` per language ({"en": ..., "es": ...}), ``description`` per language,
  ``parent_uri`` (CASE ``isChildOf``) and ``search_text``, every label folded to
  lower case without accents, one per line, so the search can pre-filter in SQL.
- ``skill_framework_relations``: occupation-to-skill links where the source has them
  (O*NET importance, O*NET technology skills, RSD occupations), by URI.
- ``skill_crosswalks``: published mappings between frameworks (e.g. the European
  Commission's ESCO-O*NET crosswalk), one row per pair with its SKOS relation
  (``exactMatch``, ``closeMatch``, ``broadMatch``, ``narrowMatch``, ``relatedMatch``)
  and both URIs as given and as comparison keys; ``name`` says which crosswalk.

Created by migrations 0018_skill_frameworks and 0019_skill_crosswalks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class SkillFramework(Base):
    __tablename__ = "skill_frameworks"
    __table_args__ = (UniqueConstraint("org_key", "uri"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=True, index=True)
    # "" for global frameworks, else the org id: a unique key that treats "global" as a value.
    org_key: Mapped[str] = mapped_column(String(32), default="")
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16))
    uri: Mapped[str] = mapped_column(String(1000))
    version: Mapped[str] = mapped_column(String(100), default="")
    attribution: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    item_count: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FrameworkItem(Base):
    __tablename__ = "skill_framework_items"
    __table_args__ = (UniqueConstraint("framework_id", "uri"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    framework_id: Mapped[str] = mapped_column(
        ForeignKey("skill_frameworks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(200), default="")
    uri: Mapped[str] = mapped_column(String(1000))
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    alt_labels: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    parent_uri: Mapped[str] = mapped_column(String(1000), default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")


class FrameworkRelation(Base):
    __tablename__ = "skill_framework_relations"
    __table_args__ = (UniqueConstraint("framework_id", "occupation_uri", "skill_uri", "kind"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    framework_id: Mapped[str] = mapped_column(
        ForeignKey("skill_frameworks.id", ondelete="CASCADE"), index=True)
    occupation_uri: Mapped[str] = mapped_column(String(1000), index=True)
    skill_uri: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(16))
    weight: Mapped[float | None] = mapped_column(Float, nullable=True)


class SkillCrosswalk(Base):
    __tablename__ = "skill_crosswalks"
    __table_args__ = (UniqueConstraint("name", "source_key", "target_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))
    source_uri: Mapped[str] = mapped_column(String(1000))
    source_key: Mapped[str] = mapped_column(String(1000), index=True)
    target_uri: Mapped[str] = mapped_column(String(1000))
    target_key: Mapped[str] = mapped_column(String(1000), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
