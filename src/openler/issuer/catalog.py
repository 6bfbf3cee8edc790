"""The issuer's achievement catalog: create, edit, version and retire OB 3.0 Achievements.

Spec: 1EdTech Open Badges 3.0, section 8 (Achievement, Criteria, Alignment,
ResultDescription, RubricCriterionLevel; AchievementType and
AlignmentTargetType vocabularies). Each version's Achievement JSON is built
with the typed models in ``openler.core.models`` and stored with a stable id
``{public_url}/orgs/{org}/achievements/{id}/v/{n}``. Editing a version that was
awarded makes a new version; awarded credentials keep theirs. Retiring hides an
achievement from awarding; its versions stay resolvable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from openler.core.models import (
    Achievement as AchievementModel,
)
from openler.core.models import (
    Alignment as AlignmentModel,
)
from openler.core.models import (
    Criteria,
    Image,
    Profile,
    ResultDescription,
    RubricCriterionLevel,
)
from openler.issuer import audit
from openler.issuer.catalog_input import AchievementInput, CatalogInputError, checked
from openler.issuer.errors import IssuerNotFound
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage.tables import Achievement, Alignment, Organization
from openler.storage.tables_catalog import AchievementVersion, Award

__all__ = [
    "AchievementInput",
    "CatalogInputError",
    "create_achievement",
    "current_version",
    "get_achievement",
    "list_achievements",
    "retire_achievement",
    "update_achievement",
    "version_document",
    "version_url",
    "versions",
]


def version_url(base: PublicBase, *, org_id: str, achievement_id: str, number: int) -> str:
    """The stable, public id of one achievement version."""
    return f"{base.url}/orgs/{org_id}/achievements/{achievement_id}/v/{number}"


def get_achievement(db: Session, *, org_id: str, achievement_id: str) -> Achievement:
    """One achievement of the organization; IssuerNotFound for any other organization's."""
    stmt = (select(Achievement)
            .where(Achievement.id == achievement_id, Achievement.organization_id == org_id)
            .options(selectinload(Achievement.alignments)))
    found = db.scalars(stmt).one_or_none()
    if found is None:
        raise IssuerNotFound("achievement")
    return found


def list_achievements(db: Session, *, org_id: str, include_retired: bool = True
                      ) -> list[Achievement]:
    """The organization's catalog by name; retired ones only when asked."""
    stmt = select(Achievement).where(Achievement.organization_id == org_id)
    if not include_retired:
        stmt = stmt.where(Achievement.retired_at.is_(None))
    return list(db.scalars(stmt.order_by(Achievement.name)))


def versions(db: Session, *, org_id: str, achievement_id: str) -> list[AchievementVersion]:
    """Every stored version, newest first."""
    get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    stmt = (select(AchievementVersion)
            .where(AchievementVersion.achievement_id == achievement_id,
                   AchievementVersion.organization_id == org_id)
            .order_by(AchievementVersion.number.desc()))
    return list(db.scalars(stmt))


def _apply(db: Session, row: Achievement, data: AchievementInput, *, org_id: str) -> None:
    clean = checked(data)
    if clean.parent_id:
        with db.no_autoflush:
            parent = db.scalars(select(Achievement).where(
                Achievement.id == clean.parent_id, Achievement.organization_id == org_id)).first()
            if parent is None or parent.id == row.id or _descends_from(db, parent, row.id):
                raise CatalogInputError({"parent_id": "unknown_choice"})
    row.name, row.description, row.criteria = clean.name, clean.description, clean.criteria
    row.achievement_type, row.image = clean.achievement_type, clean.image
    row.credits_available = clean.credits_available
    row.field_of_study, row.specialization = clean.field_of_study, clean.specialization
    row.human_code, row.tags = clean.human_code, list(clean.tags)
    row.result_descriptions = [dict(r) for r in clean.result_descriptions]
    row.parent_id = clean.parent_id
    row.alignments.clear()
    for position, a in enumerate(clean.alignments):
        row.alignments.append(Alignment(
            position=position, target_name=a["target_name"], target_url=a["target_url"],
            target_framework=a["target_framework"], target_code=a["target_code"],
            target_type=a["target_type"]))


def _descends_from(db: Session, start: Achievement, ancestor_id: str) -> bool:
    seen: set[str] = set()
    node: Achievement | None = start
    while node is not None and node.parent_id and node.id not in seen:
        if node.parent_id == ancestor_id:
            return True
        seen.add(node.id)
        node = db.get(Achievement, node.parent_id)
    return False


def create_achievement(db: Session, *, config: IssuerConfig, org_id: str,
                       data: AchievementInput, now: datetime) -> Achievement:
    """Add an achievement to the catalog with its first version."""
    if db.get(Organization, org_id) is None:
        raise IssuerNotFound("organization")
    row = Achievement(organization_id=org_id, created_at=now, current_version=0)
    _apply(db, row, data, org_id=org_id)
    db.add(row)
    db.flush()
    _snapshot(db, config=config, row=row, now=now)
    audit.record(db, org_id=org_id, action="achievement_created", target_type="achievement",
                 target_id=row.id, target_label=row.name, now=now)
    return row


def update_achievement(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
                       data: AchievementInput, now: datetime) -> Achievement:
    """Change an achievement; a version already awarded is kept and a new one is made."""
    row = get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    _apply(db, row, data, org_id=org_id)
    row.updated_at = now
    db.flush()
    _snapshot(db, config=config, row=row, now=now)
    audit.record(db, org_id=org_id, action="achievement_edited", target_type="achievement",
                 target_id=row.id, target_label=row.name, now=now)
    return row


def retire_achievement(db: Session, *, org_id: str, achievement_id: str, now: datetime,
                       retire: bool = True) -> Achievement:
    """Stop (or resume) awarding it; issued credentials and versions stay resolvable."""
    row = get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    row.retired_at = now if retire else None
    db.flush()
    audit.record(db, org_id=org_id, target_type="achievement", target_id=row.id,
                 action="achievement_retired" if retire else "achievement_restored",
                 target_label=row.name, now=now)
    return row


def _latest(db: Session, row: Achievement) -> AchievementVersion | None:
    return db.scalars(select(AchievementVersion).where(
        AchievementVersion.achievement_id == row.id,
        AchievementVersion.number == row.current_version)).first()


def _awarded(db: Session, version: AchievementVersion) -> bool:
    count = db.scalar(select(func.count()).select_from(Award)
                      .where(Award.version_id == version.id))
    return bool(count)


def _snapshot(db: Session, *, config: IssuerConfig, row: Achievement,
              now: datetime) -> AchievementVersion:
    latest = _latest(db, row)
    if latest is not None and not _awarded(db, latest):
        latest.document = build_document(db, config=config, row=row, number=latest.number)
        db.flush()
        return latest
    number = row.current_version + 1
    version = AchievementVersion(
        achievement_id=row.id, organization_id=row.organization_id, number=number,
        document=build_document(db, config=config, row=row, number=number), created_at=now)
    db.add(version)
    row.current_version = number
    db.flush()
    return version


def current_version(db: Session, *, config: IssuerConfig, org_id: str, achievement_id: str,
                    now: datetime) -> AchievementVersion:
    """The version an award made now points to (written first for catalog rows from 0002)."""
    row = get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    latest = _latest(db, row)
    return latest if latest is not None else _snapshot(db, config=config, row=row, now=now)


def version_document(db: Session, *, org_id: str, achievement_id: str,
                     number: int) -> dict[str, Any]:
    """A version's OB 3.0 Achievement JSON, also for retired achievements."""
    found = db.scalars(select(AchievementVersion).where(
        AchievementVersion.organization_id == org_id,
        AchievementVersion.achievement_id == achievement_id,
        AchievementVersion.number == number)).first()
    if found is None:
        raise IssuerNotFound("achievement version")
    return dict(found.document)


def build_document(db: Session, *, config: IssuerConfig, row: Achievement,
                   number: int) -> dict[str, Any]:
    """The OB 3.0 Achievement for one version, from the typed models."""
    org = db.get(Organization, row.organization_id)
    vid = version_url(config.base, org_id=row.organization_id, achievement_id=row.id,
                      number=number)
    results = []
    for index, rd in enumerate(row.result_descriptions or ()):
        rd_id = f"{vid}#result-{index + 1}"
        levels = tuple(
            RubricCriterionLevel(id=f"{rd_id}-level-{n + 1}", name=name)
            for n, name in enumerate(rd.get("levels") or ()))
        results.append(ResultDescription(
            id=rd_id, name=rd["name"], result_type=rd["result_type"],
            allowed_value=tuple(rd.get("allowed_values") or ()) or None,
            value_min=rd.get("value_min"), value_max=rd.get("value_max"),
            rubric_criterion_level=levels or None))
    credits = row.credits_available
    model = AchievementModel(
        id=vid, name=row.name, description=row.description,
        criteria=Criteria(narrative=row.criteria),
        achievement_type=row.achievement_type or "Achievement",
        image=Image(id=row.image, caption=row.name) if row.image else None,
        creator=Profile(id=config.base.org_did(row.organization_id),
                        name=org.name if org else None),
        credits_available=(int(credits) if credits is not None and credits.is_integer()
                           else credits),
        field_of_study=row.field_of_study, specialization=row.specialization,
        human_code=row.human_code, tag=tuple(row.tags or ()) or None,
        alignment=tuple(
            AlignmentModel(target_name=a.target_name, target_url=a.target_url,
                           target_code=a.target_code or None,
                           target_framework=a.target_framework or None,
                           target_type=a.target_type or None)
            for a in row.alignments) or None,
        result_description=tuple(results) or None,
        version=str(number))
    return model.to_json()


def version_of(db: Session, *, org_id: str, version_id: str) -> AchievementVersion:
    """A stored version by its row id, within the organization."""
    found = db.get(AchievementVersion, version_id)
    if found is None or found.organization_id != org_id:
        raise IssuerNotFound("achievement version")
    return found


def parent_of(db: Session, row: Achievement) -> Achievement | None:
    """The achievement this one is part of, within the same organization."""
    if not row.parent_id:
        return None
    parent = db.get(Achievement, row.parent_id)
    return parent if parent is not None and parent.organization_id == row.organization_id else None
