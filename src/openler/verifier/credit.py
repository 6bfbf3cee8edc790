"""Credit for prior learning: an organization's rules that map external achievements to its
own courses, and advice on which courses a received record could count for.

Spec: 1EdTech Open Badges 3.0, sections 4.3 (Achievement ``id``, Alignment) and 4.4
(Result, ResultDescription); CLR 2.0, section 8 (read by
``openler.verifier.credit_records``). A rule names one of the organization's own
courses (an achievement of its catalog) and either an issuer DID and achievement id
(compared exactly) or a set of skills (merged with the rules of
``openler.wallet.skills_identity``: the same URL, framework and code, or name once case
and accents are folded), every one of which must be shown by records that count.
Conditions: a minimum value for a result of a named ResultDescription (checked when the
record has such a result; a record without one is said to have none), and "verified
records only". The outcome is advice for a person to decide, never a decision: every
match says which rule, which records, whether each was verified, and its results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.issuer.catalog import list_achievements
from openler.storage.tables import Achievement
from openler.storage.tables_credit import CreditMapping
from openler.verifier import matching
from openler.verifier.credit_records import Record, ResultValue
from openler.verifier.registry_file import is_did
from openler.verifier.requests import VerifierError
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold, identifiers

Kind = Literal["achievement", "skills"]
KINDS: tuple[Kind, ...] = ("achievement", "skills")
MAX_NOTE = 500
MAX_ID = 2000
MAX_RESULT_NAME = 200
MAX_MAPPINGS = 500
ResultState = Literal["not_asked", "met", "below", "not_a_number", "none_shown"]


class CreditInputError(VerifierError):
    """A rule could not be saved: ``errors`` maps each field to a problem code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class MappingNotFound(VerifierError):
    """No such rule for this organization (another organization's is unknown too)."""


@dataclass(frozen=True, slots=True)
class Course:
    """One of the organization's own courses (an achievement of its catalog)."""

    id: str
    name: str
    code: str
    credits: str
    retired: bool = False


@dataclass(frozen=True, slots=True)
class Mapping:
    """One rule: what external achievement may count for which own course, and why."""

    id: str
    course: Course
    kind: Kind
    issuer_did: str
    achievement_id: str
    skills: tuple[Skill, ...]
    note: str
    result_name: str
    min_result: float | None
    verified_only: bool
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Use:
    """A record a rule recognised, and whether it meets the rule's conditions."""

    record: Record
    result: ResultValue | None
    result_state: ResultState
    verified_ok: bool  # False when the rule wants verified records and this one is not
    skills: tuple[Skill, ...] = ()  # for a skills rule: which of its skills this record shows

    @property
    def counts(self) -> bool:
        """It meets every condition of the rule."""
        return self.verified_ok and self.result_state not in ("below", "not_a_number")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """How one rule applied to what was shown."""

    mapping: Mapping
    uses: tuple[Use, ...]
    missing: tuple[Skill, ...] = ()  # a skills rule: skills no counting record shows

    @property
    def met(self) -> bool:
        """The rule is satisfied by records that meet its conditions."""
        counting = [u for u in self.uses if u.counts]
        if self.mapping.kind == "skills":
            return bool(counting) and not self.missing
        return bool(counting)

    @property
    def verified(self) -> bool:
        """Met, and every record it rests on was verified."""
        return self.met and all(u.record.verified for u in self.uses if u.counts)


@dataclass(frozen=True, slots=True)
class CourseAdvice:
    """One own course, with each rule that recognised something shown."""

    course: Course
    rules: tuple[RuleMatch, ...]

    @property
    def could_count(self) -> bool:
        """At least one rule is met (for a person to decide)."""
        return any(r.met for r in self.rules)


@dataclass(frozen=True, slots=True)
class Advice:
    """Courses the records could count for first, then near misses, then unmatched records."""

    courses: tuple[CourseAdvice, ...]
    unmatched: tuple[Record, ...]
    records: tuple[Record, ...]


def courses(db: Session, *, org_id: str, include_retired: bool = False) -> list[Course]:
    """The organization's own courses, by name."""
    return [_course(a) for a in list_achievements(db, org_id=org_id,
                                                   include_retired=include_retired)]


def _course(row: Achievement) -> Course:
    credits = row.credits_available
    return Course(row.id, row.name, row.human_code or "",
                  f"{credits:g}" if credits is not None else "", row.retired_at is not None)


def _view(row: CreditMapping, course: Course) -> Mapping:
    kind: Kind = "skills" if row.kind == "skills" else "achievement"
    return Mapping(row.id, course, kind, row.issuer_did or "", row.achievement_id or "",
                   tuple(matching.skill_from(s) for s in row.skills or ()
                         if isinstance(s, dict)),
                   row.note or "", row.result_name or "", row.min_result,
                   bool(row.verified_only), row.created_at)


def mappings(db: Session, *, org_id: str) -> list[Mapping]:
    """Every rule of the organization, by course name, oldest rule first."""
    rows = db.execute(select(CreditMapping, Achievement)
                      .join(Achievement, Achievement.id == CreditMapping.course_id)
                      .where(CreditMapping.org_id == org_id,
                             Achievement.organization_id == org_id)
                      .order_by(Achievement.name, CreditMapping.created_at, CreditMapping.id))
    return [_view(m, _course(a)) for m, a in rows]


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", ".")) if text.strip() else None
    except ValueError:
        return None
    return value if value is None or math.isfinite(value) else None


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def add_mapping(db: Session, *, org_id: str, user_id: str | None, course_id: str, kind: str,
                issuer_did: str = "", achievement_id: str = "",
                skills: Sequence[Skill] = (), note: str = "", result_name: str = "",
                min_result: str = "", verified_only: bool = False,
                now: datetime) -> Mapping:
    """Save one rule; CreditInputError (field -> code) saves nothing."""
    errors: dict[str, str] = {}
    course = db.get(Achievement, course_id[:32]) if course_id else None
    if not course_id:
        errors["course_id"] = "required"
    elif course is None or course.organization_id != org_id or course.retired_at is not None:
        errors["course_id"] = "unknown_course"
    issuer_did, achievement_id = issuer_did.strip(), achievement_id.strip()
    note, result_name = _clean(note), _clean(result_name)
    picked = tuple(s for s in skills if s.name)[:matching.MAX_SKILLS]
    if kind not in KINDS:
        errors["kind"] = "bad_kind"
    elif kind == "achievement":
        picked = ()
        if not issuer_did:
            errors["issuer_did"] = "required"
        elif not is_did(issuer_did) or len(issuer_did) > 500:
            errors["issuer_did"] = "bad_did"
        if not achievement_id:
            errors["achievement_id"] = "required"
        elif len(achievement_id) > MAX_ID or ":" not in achievement_id \
                or any(c.isspace() for c in achievement_id):
            errors["achievement_id"] = "bad_id"
    else:
        issuer_did = achievement_id = ""
        if not picked:
            errors["skills"] = "no_skills"
    if not note:
        errors["note"] = "required"
    elif len(note) > MAX_NOTE:
        errors["note"] = "too_long"
    minimum = _number(min_result)
    if min_result.strip() and minimum is None:
        errors["min_result"] = "not_a_number"
    elif minimum is not None and not result_name:
        errors["result_name"] = "result_name_missing"
    elif result_name and minimum is None:
        errors["min_result"] = "min_missing"
    if len(result_name) > MAX_RESULT_NAME:
        errors["result_name"] = "too_long"
    if not errors and _duplicate(db, org_id, course_id, kind, issuer_did, achievement_id,
                                 picked):
        errors["achievement_id" if kind == "achievement" else "skills"] = "already_mapped"
    if not errors and len(mappings(db, org_id=org_id)) >= MAX_MAPPINGS:
        errors["course_id"] = "too_many"
    if errors or course is None:
        raise CreditInputError(errors or {"course_id": "unknown_course"})
    row = CreditMapping(org_id=org_id, course_id=course.id, kind=kind, issuer_did=issuer_did,
                        achievement_id=achievement_id,
                        skills=[matching.skill_json(s) for s in picked], note=note,
                        result_name=result_name, min_result=minimum,
                        verified_only=verified_only, created_at=now, created_by=user_id)
    db.add(row)
    db.flush()
    return _view(row, _course(course))


def _same_skills(a: Sequence[Skill], b: Sequence[Skill]) -> bool:
    def keys(items: Sequence[Skill]) -> set[str]:
        return {identifiers(s)[0] for s in items if identifiers(s)}
    return keys(a) == keys(b)


def _duplicate(db: Session, org_id: str, course_id: str, kind: str, issuer_did: str,
               achievement_id: str, skills: Sequence[Skill]) -> bool:
    for rule in mappings(db, org_id=org_id):
        if rule.course.id != course_id or rule.kind != kind:
            continue
        if kind == "achievement" and (rule.issuer_did, rule.achievement_id) == (
                issuer_did, achievement_id):
            return True
        if kind == "skills" and _same_skills(rule.skills, skills):
            return True
    return False


def remove_mapping(db: Session, *, org_id: str, mapping_id: str) -> None:
    """Delete one rule; MappingNotFound for another organization's."""
    row = db.get(CreditMapping, mapping_id[:32]) if mapping_id else None
    if row is None or row.org_id != org_id:
        raise MappingNotFound(mapping_id)
    db.delete(row)
    db.flush()


# ---- evaluation -------------------------------------------------------------------------

def _result_check(rule: Mapping, record: Record) -> tuple[ResultValue | None, ResultState]:
    if rule.min_result is None or not rule.result_name:
        return None, "not_asked"
    wanted = fold(rule.result_name)
    found = next((r for r in record.results if r.description_id == rule.result_name
                  or (r.description_name and fold(r.description_name) == wanted)), None)
    if found is None:
        return None, "none_shown"
    value = _number(found.value)
    if value is None:
        return found, "not_a_number"
    return found, "met" if value >= rule.min_result else "below"


def _use(rule: Mapping, record: Record, skills: tuple[Skill, ...] = ()) -> Use:
    result, state = _result_check(rule, record)
    return Use(record, result, state, record.verified or not rule.verified_only, skills)


def _skills_shown(rule: Mapping, record: Record) -> tuple[Skill, ...]:
    shown = {k for s in record.skills for k in identifiers(s)}
    return tuple(s for s in rule.skills if shown & set(identifiers(s)))


def apply(rule: Mapping, records: Sequence[Record]) -> RuleMatch:
    """What one rule makes of the records shown."""
    if rule.kind == "achievement":
        exact = tuple(_use(rule, r) for r in records
                      if r.issuer_did == rule.issuer_did
                      and r.achievement_id == rule.achievement_id)
        return RuleMatch(rule, exact)
    uses: list[Use] = []
    for record in records:
        shown = _skills_shown(rule, record)
        if shown:
            uses.append(_use(rule, record, shown))
    covered = {k for u in uses if u.counts for s in u.skills for k in identifiers(s)}
    missing = tuple(s for s in rule.skills if not covered & set(identifiers(s)))
    return RuleMatch(rule, tuple(uses), missing)


def evaluate(rules: Sequence[Mapping], records: Sequence[Record]) -> Advice:
    """Which own courses the records could count for, by which rule and records, and which
    records no rule recognised. Advice only: a person decides."""
    by_course: dict[str, list[RuleMatch]] = {}
    course_of: dict[str, Course] = {}
    used: set[str] = set()
    for rule in rules:
        found = apply(rule, records)
        if not found.uses:
            continue
        by_course.setdefault(rule.course.id, []).append(found)
        course_of[rule.course.id] = rule.course
        used.update(u.record.number for u in found.uses)
    advice = [CourseAdvice(course_of[cid], tuple(sorted(
        found, key=lambda m: (not m.met, not m.verified)))) for cid, found in by_course.items()]
    advice.sort(key=lambda c: (not c.could_count,
                               not any(r.verified for r in c.rules), fold(c.course.name)))
    return Advice(tuple(advice), tuple(r for r in records if r.number not in used),
                  tuple(records))
