"""Pathways: from the learner's skills profile to an occupation they pick, and where to learn
the rest.

Issue 7, item 5. Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment), ESCO
occupation-skill relations (essential / optional) and O*NET's Skills importance scale
(``IM``, 1 to 5, where 3 is "Important"). An occupation's skills are the
``skill_framework_relations`` rows that name it. A skill counts as shown when a skill of
the learner's profile (with evidence that counts: ``Evidence.counts``) shares an identifier
with it (``skills_identity.identifiers``:
address, framework and code, or folded name), or else when a stored crosswalk calls them
the same (exact or close match, ``openler.skills_service.crosswalks``), or else when
their labels are alike by
meaning (cosine at least ``SEMANTIC_THRESHOLD``, ``openler.skills.similarity``); the same
two rules find, for each missing skill, the achievements of this instance's catalogs
aligned to it. When the embedding model is not installed, only identifiers count and the
pathway says so (``semantic`` is False). Nothing here imports the web layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from openler.skills.encoder import ModelUnavailableError
from openler.skills.similarity import SEMANTIC_THRESHOLD
from openler.skills_service import crosswalks
from openler.skills_service.frameworks import occupation_skills
from openler.storage.tables import Achievement, Organization
from openler.storage.tables_frameworks import FrameworkItem, FrameworkRelation, SkillFramework
from openler.wallet import service, skills_profile
from openler.wallet.errors import WalletNotFound
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold, identifiers

__all__ = ["SEMANTIC_THRESHOLD", "CatalogAlignment", "Evidenced", "Occupation", "Pathway",
           "Requirement", "Similar", "Step", "Teaching", "assess", "catalog_alignments",
           "count_occupations", "find_occupation", "pathway", "requirements", "search_occupations",
           "suggestions"]

Similar = Callable[[Sequence[str], Sequence[str]], list[list[tuple[int, float]]]]
How = Literal["exact", "crosswalk", "semantic"]
IMPORTANT = 3.0  # O*NET importance: 3 of 5 is labelled "Important"
MAX_TEACHING = 5
SEARCH_CAP = 500  # occupations read per search before ranking


@dataclass(frozen=True, slots=True)
class Occupation:
    """An occupation of a framework, labelled in the asked language when it has one."""

    id: str  # the framework item's id, which names the pathway page
    uri: str
    code: str
    label: str
    language: str
    framework: str
    framework_name: str
    description: str = ""
    attribution: str = ""
    skills: int = 0  # how many skills its framework links to it (0: nothing to compare)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One skill an occupation asks for, and how much it matters there."""

    uri: str
    code: str
    label: str
    framework: str
    relation: str  # "essential", "optional", "importance" (O*NET 1-5), "technology", ...
    weight: float | None
    important: bool  # essential (ESCO) or importance of at least 3 of 5 (O*NET)
    match_label: str  # the label compared by meaning (English when there is one)
    keys: frozenset[str]
    same_as: tuple[tuple[str, str], ...] = ()  # (identifier, crosswalk) of the same skill


@dataclass(frozen=True, slots=True)
class Evidenced:
    """A skill of the learner's profile that meets a requirement, and by which rule."""

    entry: skills_profile.SkillEntry
    how: How
    score: float | None = None  # cosine similarity, for a match by meaning
    crosswalk: str = ""  # the crosswalk's name, for a match through one


@dataclass(frozen=True, slots=True)
class CatalogAlignment:
    """One skill alignment of an achievement in a catalog on this instance."""

    achievement_id: str
    achievement_name: str
    org_id: str
    org_name: str
    public_url: str  # the achievement's public page (path), "" before its first version
    skill: Skill


@dataclass(frozen=True, slots=True)
class Teaching:
    """An achievement that teaches a missing skill."""

    alignment: CatalogAlignment
    how: How
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One requirement with what the learner shows for it, or where to learn it."""

    requirement: Requirement
    evidence: tuple[Evidenced, ...]
    teaching: tuple[Teaching, ...] = ()

    @property
    def met(self) -> bool:
        return bool(self.evidence)


@dataclass(frozen=True, slots=True)
class Pathway:
    """The occupation, its skills (shown and missing) and how the matching was done."""

    occupation: Occupation
    steps: tuple[Step, ...]
    semantic: bool  # matching by meaning ran (the model is installed)
    threshold: float

    @property
    def shown(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.met)

    @property
    def missing(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if not s.met)

    @property
    def percent(self) -> int:
        """Share of the occupation's skills shown, rounded down (0 without skills)."""
        return len(self.shown) * 100 // len(self.steps) if self.steps else 0


def _label(labels: dict[str, str], language: str) -> tuple[str, str]:
    for lang in (language, "en", *labels):
        if labels.get(lang, "").strip():
            return labels[lang].strip(), lang
    return "", language


def _occupation(item: FrameworkItem, framework: SkillFramework, language: str) -> Occupation:
    label, lang = _label(item.labels, language)
    return Occupation(id=item.id, uri=item.uri, code=item.code, label=label or item.uri,
                      language=lang, framework=framework.key, framework_name=framework.name,
                      description=item.description.get(lang, ""),
                      attribution=framework.attribution)


def _occupation_rows() -> Select[FrameworkItem, SkillFramework]:
    return (select(FrameworkItem, SkillFramework)
            .join(SkillFramework, FrameworkItem.framework_id == SkillFramework.id)
            .where(FrameworkItem.kind == "occupation", SkillFramework.org_id.is_(None)))


def _tier(query: str, label: str) -> int:
    text = fold(label)
    if text == query:
        return 0
    if text.startswith(query):
        return 1
    words = text.split()
    if any(w.startswith(query.split()[0]) for w in words):
        return 2
    return 3 if query in text else 4


def _match(query: str, item: FrameworkItem, language: str) -> float:
    """How well the best label matches (a label in the page language wins a tie)."""
    return min((_tier(query, label) + (0 if lang == language else 0.5)
                for lang, label in item.labels.items() if label), default=5.0)


def _skill_counts(db: Session, uris: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for start in range(0, len(uris), 500):
        for uri, count in db.execute(
                select(FrameworkRelation.occupation_uri, func.count())
                .join(SkillFramework, FrameworkRelation.framework_id == SkillFramework.id)
                .where(FrameworkRelation.occupation_uri.in_(uris[start:start + 500]),
                       SkillFramework.org_id.is_(None))
                .group_by(FrameworkRelation.occupation_uri)):
            counts[uri] = int(count)
    return counts


def _counted(db: Session, found: list[Occupation]) -> list[Occupation]:
    counts = _skill_counts(db, sorted({o.uri for o in found}))
    return [replace(o, skills=counts.get(o.uri, 0)) for o in found]


def _matching(folded: str) -> Select[FrameworkItem, SkillFramework]:
    statement = _occupation_rows()
    for word in folded.split():
        statement = statement.where(FrameworkItem.search_text.contains(word, autoescape=True))
    return statement


def count_occupations(db: Session, *, query: str) -> int:
    """How many occupations a search finds, counted up to ``SEARCH_CAP`` + 1 (so a page can
    say "more than 500" without counting a whole framework)."""
    folded = fold(query)
    if not folded:
        return 0
    found = _matching(folded).limit(SEARCH_CAP + 1).subquery()
    return int(db.scalar(select(func.count()).select_from(found)) or 0)


def search_occupations(db: Session, *, query: str, language: str,
                       limit: int = 20) -> list[Occupation]:
    """Occupations whose labels hold every word of the query, accents and case aside: those
    with skills to compare first, then by how well a label matches; each labelled in the
    page language when it has that label."""
    folded = fold(query)
    if not folded:
        return []
    rows = db.execute(_matching(folded).limit(SEARCH_CAP)).all()
    found = _counted(db, [_occupation(item, fw, language) for item, fw in rows])
    tiers = {item.id: _match(folded, item, language) for item, _ in rows}
    found.sort(key=lambda o: (o.skills == 0, tiers[o.id], len(o.label), fold(o.label), o.uri))
    return found[:limit]


def find_occupation(db: Session, *, item_id: str, language: str) -> Occupation:
    """The occupation a pathway page names; WalletNotFound for anything else."""
    row = db.execute(_occupation_rows().where(FrameworkItem.id == item_id)).first()
    if row is None:
        raise WalletNotFound("occupation")
    return _occupation(row[0], row[1], language)


def _keys(item: FrameworkItem, framework: SkillFramework) -> frozenset[str]:
    # O*NET technology skills share a commodity code, so their code is no identity.
    code = "" if item.extra.get("onet") == "technology" else item.code
    keys = set(identifiers(Skill(name="", url=item.uri, framework=framework.key, code=code)))
    keys.update(identifiers(Skill(name="", framework=framework.name, code=code)))
    for label in item.labels.values():
        keys.update(k for k in identifiers(Skill(name=label)) if k.startswith("name:"))
    return frozenset(keys)


def _rank(relation: str, weight: float | None) -> tuple[str, bool]:
    kind = relation.casefold()
    if kind.startswith("essential"):
        return "essential", True
    if kind.startswith("optional"):
        return "optional", False
    if kind == "importance":
        return "importance", weight is not None and weight >= IMPORTANT
    return kind, False


def requirements(db: Session, *, occupation: Occupation, language: str) -> list[Requirement]:
    """The occupation's skills (``frameworks.occupation_skills``): essential or important
    first, then other skills, then technologies, each by weight and label."""
    links = occupation_skills(db, occupation.uri, language=language)
    items: dict[tuple[str, str], tuple[FrameworkItem, SkillFramework]] = {}
    uris = sorted({link.skill_uri for link in links})
    for start in range(0, len(uris), 500):
        for item, framework in db.execute(
                select(FrameworkItem, SkillFramework)
                .join(SkillFramework, FrameworkItem.framework_id == SkillFramework.id)
                .where(FrameworkItem.uri.in_(uris[start:start + 500]),
                       SkillFramework.org_id.is_(None))):
            items[(framework.id, item.uri)] = (item, framework)
    found: dict[str, Requirement] = {}
    for link in links:
        if (link.framework_id, link.skill_uri) not in items or link.skill_uri in found:
            continue
        item, framework = items[(link.framework_id, link.skill_uri)]
        kind, important = _rank(link.kind, link.weight)
        found[item.uri] = Requirement(
            uri=item.uri, code=item.code, label=link.label or item.uri, framework=framework.key,
            relation=kind, weight=link.weight, important=important,
            match_label=_label(item.labels, "en")[0] or link.label,
            keys=_keys(item, framework))
    return sorted(found.values(), key=lambda r: (not r.important, r.relation == "technology",
                                                 -(r.weight or 0.0), fold(r.label), r.uri))


def catalog_alignments(db: Session) -> list[CatalogAlignment]:
    """Every skill alignment of every achievement still offered on this instance."""
    rows = db.execute(select(Achievement, Organization)
                      .join(Organization, Achievement.organization_id == Organization.id)
                      .where(Achievement.retired_at.is_(None))
                      .options(selectinload(Achievement.alignments))
                      .order_by(Organization.name, Achievement.name, Achievement.id))
    found = []
    for achievement, org in rows:
        url = (f"/orgs/{org.id}/achievements/{achievement.id}/v/{achievement.current_version}"
               if achievement.current_version >= 1 else "")
        for a in achievement.alignments:
            found.append(CatalogAlignment(
                achievement_id=achievement.id, achievement_name=achievement.name,
                org_id=org.id, org_name=org.name, public_url=url,
                skill=Skill(name=a.target_name, framework=a.target_framework,
                            code=a.target_code, url=a.target_url)))
    return found


def _semantic(similar: Similar, queries: list[str],
              candidates: list[str]) -> list[list[tuple[int, float]]] | None:
    if not queries or not candidates:
        return [[] for _ in queries]
    try:
        return similar(queries, candidates)
    except ModelUnavailableError:
        return None


def _default_similar(queries: Sequence[str],
                     candidates: Sequence[str]) -> list[list[tuple[int, float]]]:
    from openler.skills.similarity import similar_labels

    return similar_labels(queries, candidates, threshold=SEMANTIC_THRESHOLD)


def assess(reqs: Sequence[Requirement], entries: Iterable[skills_profile.SkillEntry],
           alignments: Sequence[CatalogAlignment], *,
           similar: Similar | None = None) -> tuple[tuple[Step, ...], bool]:
    """Each requirement met by the profile (same identifier, else alike by meaning) or, when
    missing, the achievements that teach it; also whether matching by meaning ran."""
    # Only skills with evidence that counts (a failed or unchecked record never does).
    skills = [e for e in entries if e.kind == "skill" and any(ev.counts for ev in e.evidence)]
    labels = list(dict.fromkeys([*(e.name for e in skills),
                                 *(a.skill.name for a in alignments)]))
    scores = _semantic(similar or _default_similar, [r.match_label for r in reqs], labels)
    semantic = scores is not None
    alike = [dict(row) for row in scores] if scores is not None else [{} for _ in reqs]
    where = {label: n for n, label in enumerate(labels)}
    steps = []
    for req, near in zip(reqs, alike, strict=True):
        evidence = [Evidenced(e, "exact") for e in skills if req.keys & e.identifiers]
        if not evidence:
            evidence = [Evidenced(e, "crosswalk", crosswalk=name) for e in skills
                        for name in sorted({n for k, n in req.same_as if k in e.identifiers})[:1]]
        if not evidence:
            evidence = sorted((Evidenced(e, "semantic", near[where[e.name]]) for e in skills
                               if where[e.name] in near), key=lambda x: -(x.score or 0.0))
        teaching: list[Teaching] = []
        if not evidence:
            seen: set[str] = set()
            crosswalked = {k for k, _ in req.same_as}
            exact = [Teaching(a, "exact") for a in alignments
                     if (req.keys | crosswalked) & set(identifiers(a.skill))]
            similar_ones = sorted((Teaching(a, "semantic", near[where[a.skill.name]])
                                   for a in alignments if where[a.skill.name] in near),
                                  key=lambda t: -(t.score or 0.0))
            for option in (*exact, *similar_ones):
                if option.alignment.achievement_id not in seen:
                    seen.add(option.alignment.achievement_id)
                    teaching.append(option)
        steps.append(Step(req, tuple(evidence), tuple(teaching[:MAX_TEACHING])))
    return tuple(steps), semantic


def with_crosswalks(db: Session, reqs: Sequence[Requirement]) -> list[Requirement]:
    """The requirements with what stored crosswalks call the same skill in other frameworks."""
    same = crosswalks.equivalents(db, [r.uri for r in reqs])
    return [replace(r, same_as=tuple((crosswalks.key_of(e.uri), e.crosswalk)
                                     for e in same.get(crosswalks.key_of(r.uri), ())))
            for r in reqs]


def pathway(db: Session, *, config: service.WalletConfig, user_id: str, item_id: str,
            language: str, similar: Similar | None = None) -> Pathway:
    """The learner's pathway to one occupation: skills shown, missing, and where to learn."""
    occupation = find_occupation(db, item_id=item_id, language=language)
    reqs = with_crosswalks(db, requirements(db, occupation=occupation, language=language))
    # The pathway is the learner's own page: a skill they hid from others still counts here,
    # and the page says it is hidden.
    made = skills_profile.profile(db, config=config, user_id=user_id, include_hidden=True)
    steps, semantic = assess(reqs, (*made.entries, *made.hidden), catalog_alignments(db),
                             similar=similar)
    return Pathway(occupation=replace(occupation, skills=len(reqs)), steps=steps, semantic=semantic,
                   threshold=SEMANTIC_THRESHOLD)


def suggestions(db: Session, *, config: service.WalletConfig, user_id: str, language: str,
                limit: int = 10) -> list[Occupation]:
    """Occupations the learner's own records name, found in the frameworks here."""
    made = skills_profile.profile(db, config=config, user_id=user_id)
    found: dict[str, Occupation] = {}
    for entry in (e for e in made.entries if e.kind == "occupation"):
        clauses = [FrameworkItem.search_text.contains(fold(entry.name), autoescape=True)]
        if entry.url:
            clauses.append(FrameworkItem.uri == entry.url.strip())
        if entry.code:
            clauses.append(FrameworkItem.code == entry.code.strip())
        for item, framework in db.execute(_occupation_rows().where(or_(*clauses)).limit(50)):
            if _keys(item, framework) & entry.identifiers and item.id not in found:
                found[item.id] = _occupation(item, framework, language)
    return _counted(db, sorted(found.values(), key=lambda o: (fold(o.label), o.uri))[:limit])
