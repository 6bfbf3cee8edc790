"""Roles an organization hires for, described by required and preferred skills, and the
skills the instance's catalogs align to (what an employer picks from).

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment). Skills are stored as
{name, framework, code, url}; free text is mapped to a catalog skill by the
merge rules of ``openler.wallet.skills_identity`` (``matching.resolve``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.skills_service import crosswalks
from openler.storage.tables import Alignment
from openler.storage.tables_org_shares import VerifierRole
from openler.verifier import matching
from openler.verifier.requests import InvalidVerifierRequest, VerifierError
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold, kind_of

NAME_MAX = 200


class RoleNotFound(VerifierError):
    """No such role for this organization."""


@dataclass(frozen=True, slots=True)
class Role:
    """A role and its requirements, required first."""

    id: str
    org_id: str
    name: str
    requirements: tuple[matching.Requirement, ...]
    request_id: str | None
    created_at: datetime

    @property
    def required(self) -> list[Skill]:
        """The required skills."""
        return [r.skill for r in self.requirements if r.required]

    @property
    def preferred(self) -> list[Skill]:
        """The preferred skills."""
        return [r.skill for r in self.requirements if not r.required]


def catalog_skills(db: Session) -> list[Skill]:
    """Every distinct skill (not occupation) the instance's catalogs align to, by name."""
    seen: dict[tuple[str, ...], Skill] = {}
    for row in db.scalars(select(Alignment)):
        skill = Skill(name=row.target_name, framework=row.target_framework or "",
                      code=row.target_code or "", url=row.target_url or "")
        if kind_of(skill, row.target_type or "") == "occupation":
            continue
        seen.setdefault((fold(skill.name), skill.url, skill.framework, skill.code), skill)
    return sorted(seen.values(), key=lambda s: (fold(s.name), s.framework, s.code))


def skill_key(skill: Skill) -> str:
    """A stable form value naming a catalog skill."""
    return matching.skill_key(skill)


def pick(db: Session, *, keys: Sequence[str], free_text: str) -> list[Skill]:
    """The skills picked from the catalog by key, plus free text (one per line or comma),
    each mapped to a catalog skill when the merge rules find one."""
    catalog = catalog_skills(db)
    by_key = {skill_key(s): s for s in catalog}
    chosen = [by_key[k] for k in keys if k in by_key]
    for part in free_text.replace(",", "\n").splitlines():
        skill = matching.resolve(part, catalog)
        if skill.name:
            chosen.append(skill)
    unique: list[Skill] = []
    for skill in chosen:
        if not any(set(matching.Requirement(skill).keys) & set(matching.Requirement(u).keys)
                   for u in unique):
            unique.append(skill)
    return unique[:matching.MAX_SKILLS]


def _views(db: Session, rows: Sequence[VerifierRole]) -> list[Role]:
    """Roles with their requirements, crosswalks looked up once for all of them."""
    made = [tuple(matching.Requirement(matching.skill_from(s), True) for s in row.required)
            + tuple(matching.Requirement(matching.skill_from(s), False) for s in row.preferred)
            for row in rows]
    same = crosswalks.equivalents(db, [r.skill.url for reqs in made for r in reqs])
    return [Role(row.id, row.org_id, row.name, _with_crosswalks(reqs, same), row.request_id,
                 row.created_at) for row, reqs in zip(rows, made, strict=True)]


def _view(db: Session, row: VerifierRole) -> Role:
    return _views(db, [row])[0]


def _with_crosswalks(reqs: Sequence[matching.Requirement],
                     same: Mapping[str, Sequence[crosswalks.Equivalent]]
                     ) -> tuple[matching.Requirement, ...]:
    """The requirements with the addresses stored crosswalks give the same skill elsewhere."""
    return tuple(replace(req, same_as=tuple(
        matching.SameAs(e.uri, e.crosswalk, e.relation)
        for e in same.get(crosswalks.key_of(req.skill.url), ()))) for req in reqs)


def create_role(db: Session, *, org_id: str, name: str, required: Sequence[Skill],
                preferred: Sequence[Skill], now: datetime,
                request_id: str | None = None) -> Role:
    """Describe a role by its skills (InvalidVerifierRequest when a field is missing)."""
    name = " ".join((name or "").split())[:NAME_MAX]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "role_name_missing"
    if not required:
        errors["required"] = "skills_missing"
    if errors:
        raise InvalidVerifierRequest(errors)
    row = VerifierRole(org_id=org_id, name=name, created_at=now, request_id=request_id,
                       required=[matching.skill_json(s) for s in required],
                       preferred=[matching.skill_json(s) for s in preferred])
    db.add(row)
    db.flush()
    return _view(db, row)


def roles_of(db: Session, *, org_id: str) -> list[Role]:
    """The organization's roles, newest first."""
    rows = db.scalars(select(VerifierRole).where(VerifierRole.org_id == org_id)
                      .order_by(VerifierRole.created_at.desc(), VerifierRole.id))
    return _views(db, list(rows))


def get_role(db: Session, *, org_id: str, role_id: str) -> Role:
    """One role of this organization (RoleNotFound otherwise)."""
    row = db.get(VerifierRole, role_id[:32]) if role_id else None
    if row is None or row.org_id != org_id:
        raise RoleNotFound(role_id)
    return _view(db, row)


def role_for_request(db: Session, *, org_id: str, request_id: str) -> Role | None:
    """The role made together with a request, if any."""
    row = db.scalars(select(VerifierRole).where(VerifierRole.org_id == org_id,
                                                VerifierRole.request_id == request_id)).first()
    return _view(db, row) if row else None
