"""Skill suggestions people confirm or reject, with rejections remembered per organization.

Spec: 1EdTech Open Badges 3.0, section 4.3 / B.1.4 (Alignment: targetName,
targetUrl, targetFramework, targetCode, targetType "ceasn:Competency"); ESCO skill
URIs. The engine (``openler.skills``) proposes; this module filters what the
organization said was not relevant and turns an accepted skill into an alignment.

Which rejections hide a skill (context ``achievement`` or ``role``, same
organization only):
- a rejection for this very item (achievement or role);
- a rejection made while the item was new (no item yet): it holds for the whole
  organization in that context, since there is nothing else to attach it to;
- rejections for two or more different items of the organization: a pattern, so
  it is hidden organization-wide.
With no organization (a learner's own entry) nothing is stored or filtered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.issuer import catalog
from openler.issuer.catalog_input import (
    AchievementInput,
    AlignmentInput,
    ResultDescriptionInput,
)
from openler.issuer.service import IssuerConfig
from openler.skills import Suggestion
from openler.skills.catalog import Skill
from openler.skills_service.holder import EngineHolder
from openler.storage.tables import Achievement, User
from openler.storage.tables_frameworks import FrameworkItem, SkillFramework
from openler.storage.tables_org_shares import VerifierRole
from openler.storage.tables_skills import CONTEXT_ACHIEVEMENT, CONTEXT_ROLE, SkillRejection

CONTEXTS = (CONTEXT_ACHIEVEMENT, CONTEXT_ROLE)
TARGET_TYPE = "ceasn:Competency"
ORG_WIDE_AFTER = 2  # distinct items a skill was rejected for before it is hidden everywhere
MAX_TEXT = 20_000  # longer texts are cut: BM25 and the encoder read far less anyway
MAX_TOP = 20


class UnknownContext(ValueError):
    """A rejection was given a context other than ``achievement`` or ``role``."""


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What to show: the suggestions, and whether the full engine made them."""

    items: tuple[Suggestion, ...]
    complete: bool  # False: lexical matching only
    loading: bool = False  # the embeddings are being built: more will come shortly


def _item_column(context: str):  # noqa: ANN202 - a SQLAlchemy column
    if context not in CONTEXTS:
        raise UnknownContext(context)
    return SkillRejection.achievement_id if context == CONTEXT_ACHIEVEMENT \
        else SkillRejection.role_id


def rejected_uris(db: Session, *, org_id: str, context: str,
                  item_id: str | None = None) -> set[str]:
    """The skill URIs this organization does not want suggested for this item."""
    column = _item_column(context)
    rows = db.execute(select(SkillRejection.skill_uri, column).where(
        SkillRejection.org_id == org_id, SkillRejection.context == context)).all()
    hidden: set[str] = set()
    items: dict[str, set[str]] = {}
    for uri, item in rows:
        if item is None or (item_id is not None and item == item_id):
            hidden.add(uri)
        else:
            items.setdefault(uri, set()).add(item)
    hidden.update(uri for uri, found in items.items() if len(found) >= ORG_WIDE_AFTER)
    return hidden


def suggest_for(db: Session, *, org_id: str | None, text: str, top: int = 5,
                engine: EngineHolder, context: str = CONTEXT_ACHIEVEMENT,
                item_id: str | None = None, exclude: set[str] | frozenset[str] = frozenset(),
                ) -> Suggestions:
    """Suggest skills for a text, minus the organization's rejections and ``exclude``d URIs;
    never waits for the embeddings (lexical only until they are ready)."""
    text = (text or "")[:MAX_TEXT]
    top = max(0, min(top, MAX_TOP))
    hidden = set(exclude)
    if org_id is not None:
        hidden |= rejected_uris(db, org_id=org_id, context=context, item_id=item_id)
    full = engine.engine()
    suggester = full if full is not None else engine.lexical()
    wanted = top + len(hidden) + 4  # room for skills without a URI, which cannot be aligned
    found = suggester.suggest(text, top=wanted) if top else []
    kept = tuple(s for s in found if s.uri and s.uri not in hidden)[:top]
    return Suggestions(kept, complete=full is not None,
                       loading=full is None and not engine.failed)


def reject(db: Session, *, org_id: str, skill_uri: str, label: str = "",
           context: str = CONTEXT_ACHIEVEMENT, item_id: str | None = None,
           user_id: str | None = None, now: datetime) -> SkillRejection:
    """Remember that a person of this organization found the skill not relevant."""
    column = _item_column(context)
    existing = db.scalars(select(SkillRejection).where(
        SkillRejection.org_id == org_id, SkillRejection.context == context,
        SkillRejection.skill_uri == skill_uri,
        column.is_(None) if item_id is None else column == item_id)).first()
    if existing is not None:
        return existing
    row = SkillRejection(org_id=org_id, skill_uri=skill_uri[:500], label=label[:300],
                         context=context, rejected_by=user_id, rejected_at=now,
                         achievement_id=item_id if context == CONTEXT_ACHIEVEMENT else None,
                         role_id=item_id if context == CONTEXT_ROLE else None)
    db.add(row)
    db.flush()
    return row


def rejections(db: Session, *, org_id: str, context: str) -> list[SkillRejection]:
    """The organization's rejections in a context, newest first (to review or undo)."""
    _item_column(context)
    return list(db.scalars(select(SkillRejection).where(
        SkillRejection.org_id == org_id, SkillRejection.context == context)
        .order_by(SkillRejection.rejected_at.desc())))


def forget(db: Session, *, org_id: str, rejection_id: str) -> bool:
    """Undo one rejection of the organization (False when there is no such rejection)."""
    row = db.get(SkillRejection, rejection_id)
    if row is None or row.org_id != org_id:
        return False
    db.delete(row)
    db.flush()
    return True


@dataclass(frozen=True, slots=True)
class RejectionView:
    """One "Not relevant" answer as the review page shows it."""

    id: str
    skill_uri: str
    label: str
    framework: str  # "" when no loaded framework or catalogue knows the URI
    context: str  # CONTEXT_ACHIEVEMENT or CONTEXT_ROLE: which kind of form
    item_name: str  # the achievement or role it was for; "" when organization-wide
    rejected_by: str  # the person's name; "" when their account is gone
    rejected_at: datetime


def _frameworks_of(db: Session, uris: set[str]) -> dict[str, str]:
    if not uris:
        return {}
    rows = db.execute(select(FrameworkItem.uri, SkillFramework.key)
                      .join(SkillFramework, FrameworkItem.framework_id == SkillFramework.id)
                      .where(FrameworkItem.uri.in_(uris)))
    return {uri: key for uri, key in rows}


def review(db: Session, *, org_id: str,
           framework_of: Callable[[str], str] = lambda uri: "") -> list[RejectionView]:
    """Every rejection of the organization, newest first, with who made it, for which item
    and the skill's framework (a loaded framework's, else ``framework_of``), to undo them."""
    rows = db.execute(
        select(SkillRejection, User.name, Achievement.name, VerifierRole.name)
        .outerjoin(User, User.id == SkillRejection.rejected_by)
        .outerjoin(Achievement, Achievement.id == SkillRejection.achievement_id)
        .outerjoin(VerifierRole, VerifierRole.id == SkillRejection.role_id)
        .where(SkillRejection.org_id == org_id)
        .order_by(SkillRejection.rejected_at.desc(), SkillRejection.label)).all()
    known = _frameworks_of(db, {r.skill_uri for r, *_ in rows})
    return [RejectionView(id=r.id, skill_uri=r.skill_uri, label=r.label or r.skill_uri,
                          framework=known.get(r.skill_uri) or framework_of(r.skill_uri),
                          context=r.context, item_name=achievement or role or "",
                          rejected_by=who or "", rejected_at=r.rejected_at)
            for r, who, achievement, role in rows]


def alignment_fields(skill: Suggestion | Skill) -> dict[str, str]:
    """The OB 3.0 Alignment of an accepted skill, as the catalog form's row fields."""
    return {"name": skill.label[:200], "url": skill.uri or "", "framework": skill.framework,
            "code": getattr(skill, "code", "") or "", "type": TARGET_TYPE}


def _input_of(row: Achievement, extra: AlignmentInput) -> AchievementInput:
    aligned = [AlignmentInput(a.target_name, a.target_url, a.target_framework,
                              a.target_code, a.target_type or "") for a in row.alignments]
    results = [ResultDescriptionInput(r["name"], r["result_type"],
                                      list(r.get("allowed_values") or ()),
                                      str(r.get("value_min") or ""),
                                      str(r.get("value_max") or ""),
                                      list(r.get("levels") or ()))
               for r in row.result_descriptions or ()]
    credits = row.credits_available
    return AchievementInput(
        name=row.name, description=row.description, criteria=row.criteria,
        achievement_type=row.achievement_type or "Achievement", image=row.image or "",
        credits_available="" if credits is None else f"{credits:g}",
        field_of_study=row.field_of_study or "", specialization=row.specialization or "",
        human_code=row.human_code or "", tags=", ".join(row.tags or ()),
        parent_id=row.parent_id or "", alignments=[*aligned, extra],
        result_descriptions=results)


def accept(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
           skill: Suggestion | Skill, now: datetime) -> Achievement:
    """Align a saved achievement to the accepted skill, through the catalog so that an
    awarded version is kept and a new one made (no-op if already aligned to that URI)."""
    row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    if skill.uri and any(a.target_url == skill.uri for a in row.alignments):
        return row
    fields = alignment_fields(skill)
    extra = AlignmentInput(fields["name"], fields["url"], fields["framework"],
                           fields["code"], fields["type"])
    return catalog.update_achievement(db, config=config, org_id=org_id,
                                      achievement_id=achievement_id,
                                      data=_input_of(row, extra), now=now)
