"""Role matching: which of a role's skills a learner's answer shows, and how well backed.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment: ``targetName``,
``targetUrl``, ``targetFramework``, ``targetCode``), with the merge rules of
``openler.wallet.skills_identity``: two skills are the same when they share a
target URL (scheme, host case and a final slash ignored), a framework and
code, or a name once case and accents are folded. A free-text requirement is
first mapped to a catalog skill by those same rules. Failing that, a requirement is met
*semantically* when a record's skill name and the requirement's name are alike enough:
cosine similarity of their sentence embeddings at least
``openler.skills.similarity.SEMANTIC_THRESHOLD`` (calibrated there, stated on the page).
The similar names are computed once per role (``similar_names``) and passed in, so this
module stays deterministic and the model is optional: without it, matching is exact only.
Each finding lists every record behind it and how that record met the requirement
(``Match.how``: same URL, same framework code, same name, listed as the same by a
crosswalk, or similar name and its similarity). A crosswalk (``Requirement.same_as``,
filled from the stored crosswalks' exact and close matches) adds the addresses another
framework uses for the same skill; a match through it is exact, not semantic.

What it reads and what it never reads. Evidence is built from the skill
alignments of each record, the record's achievement name (as a label) and
the outcome of its check; nothing else. Names, photos, issuers' names (and so
schools' prestige), dates of birth and addresses are never read, so changing
them cannot change an explanation or a ranking (a property test holds this).
The result is an explanation per requirement, not a score: each is met by
verified records, only by self-reported ones, only by records whose check
failed, or missing. Ranking compares those counts and then keeps the order of arrival.

Ranking order (``Explanation.sort_key``), more first, in this priority:
1. required requirements met by verified records (exactly or by similar name);
2. required requirements met at all (verified or self-reported);
3. required requirements met *exactly* by verified records;
4. required requirements met exactly at all;
5.-8. the same four for preferred requirements.
So standing decides first, and among candidates of the same standing an exact match
ranks above a match by similar name only (exact beats semantic); then arrival order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from openler.skills.similarity import SEMANTIC_THRESHOLD, similar_labels
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold, identifiers, url_identifier
from openler.wallet.summary import summarize_any

Standing = Literal["verified", "self_reported", "unverified"]
State = Literal["verified", "self_reported", "unverified", "missing"]
How = Literal["url", "code", "name", "crosswalk", "similar"]
STATE_ORDER: tuple[State, ...] = ("verified", "self_reported", "unverified", "missing")
HOW_ORDER: tuple[How, ...] = ("url", "code", "name", "crosswalk", "similar")  # strongest first
MET: tuple[State, ...] = ("verified", "self_reported")
# fold(requirement name) -> {fold(record skill name): cosine}, names alike enough only.
Similar = Mapping[str, Mapping[str, float]]
MAX_SKILLS = 30
TEXT_MAX = 200


@dataclass(frozen=True, slots=True)
class SameAs:
    """An address a crosswalk gives the same skill in another framework."""

    url: str
    crosswalk: str  # the crosswalk's name, said on the page
    relation: str  # SKOS: exactMatch or closeMatch

    @property
    def key(self) -> str:
        """The address's comparison key (as ``identifiers`` writes it)."""
        return url_identifier(self.url)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One skill a role asks for, required or preferred."""

    skill: Skill
    required: bool = True
    same_as: tuple[SameAs, ...] = ()  # the same skill in other frameworks, by crosswalk

    @property
    def own_keys(self) -> frozenset[str]:
        """The identifiers of the skill as the role names it."""
        return frozenset(identifiers(self.skill))

    @property
    def keys(self) -> frozenset[str]:
        """Every identifier under which an alignment counts as this skill (crosswalks too)."""
        return self.own_keys | {k for s in self.same_as if (k := s.key)}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record shown to the organization: its skills and how far it can be trusted."""

    label: str
    skills: tuple[Skill, ...]
    standing: Standing

    @property
    def keys(self) -> frozenset[str]:
        """The identifiers of every skill the record is aligned to."""
        return frozenset(k for s in self.skills for k in identifiers(s))


@dataclass(frozen=True, slots=True)
class Match:
    """One record behind a finding: which of its skills met the requirement, and how."""

    record: str
    standing: Standing
    skill: Skill
    how: How
    similarity: float | None = None
    crosswalk: str = ""  # the crosswalk's name, for a match through one

    @property
    def exact(self) -> bool:
        """Met by a shared identifier (URL, code, name or crosswalk), not a similar name."""
        return self.how != "similar"


def _state(standings: Iterable[str]) -> State:
    found = set(standings)
    return next((s for s in STATE_ORDER if s in found), "missing")


@dataclass(frozen=True, slots=True)
class Finding:
    """How one requirement is met: by which records, of which standing, and how."""

    requirement: Requirement
    verified: tuple[str, ...]
    self_reported: tuple[str, ...]
    unverified: tuple[str, ...]
    matches: tuple[Match, ...] = ()

    @property
    def state(self) -> State:
        """The strongest backing found."""
        if self.verified:
            return "verified"
        if self.self_reported:
            return "self_reported"
        return "unverified" if self.unverified else "missing"

    @property
    def exact_state(self) -> State:
        """The strongest backing by exact matches only (what a similar name cannot give)."""
        return _state(m.standing for m in self.matches if m.exact)

    @property
    def similar_only(self) -> bool:
        """Met at its standing only through similar names (shown as such on the page)."""
        return self.state != "missing" and self.exact_state != self.state


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every requirement of a role with its finding, required ones first."""

    findings: tuple[Finding, ...]

    def count(self, state: State, *, required: bool, exact: bool = False) -> int:
        """How many required (or preferred) requirements are in ``state`` (by exact
        matches only, when ``exact``)."""
        return sum(1 for f in self.findings if f.requirement.required == required
                   and (f.exact_state if exact else f.state) == state)

    @property
    def sort_key(self) -> tuple[int, ...]:
        """Stronger explanations sort first (the order in the module docstring): for required
        then preferred requirements, verified, met at all (a failed check does not count),
        verified exactly, met exactly."""
        key: list[int] = []
        for required in (True, False):
            mine = [f for f in self.findings if f.requirement.required == required]
            key += [-sum(f.state == "verified" for f in mine),
                    -sum(f.state in MET for f in mine),
                    -sum(f.exact_state == "verified" for f in mine),
                    -sum(f.exact_state in MET for f in mine)]
        return tuple(key)


def skill_from(data: Mapping[str, Any]) -> Skill:
    """A skill from stored JSON ({name, framework, code, url})."""
    def text(key: str) -> str:
        value = data.get(key, "")
        return " ".join(value.split())[:TEXT_MAX] if isinstance(value, str) else ""
    return Skill(name=text("name"), framework=text("framework"), code=text("code"),
                 url=text("url"))


def skill_json(skill: Skill) -> dict[str, str]:
    """The stored form of a skill."""
    return {"name": skill.name, "framework": skill.framework, "code": skill.code,
            "url": skill.url}


def resolve(text: str, catalog: Iterable[Skill]) -> Skill:
    """Free text mapped to a catalog skill by the merge rules (name, code or URL), else
    kept as a free-text skill."""
    text = " ".join((text or "").split())[:TEXT_MAX]
    wanted = fold(text)
    if not wanted:
        return Skill(name="")
    own = set(identifiers(Skill(name=text, url=text if "://" in text else "")))
    for skill in catalog:
        if own & set(identifiers(skill)) or (skill.code and fold(skill.code) == wanted):
            return skill
    return Skill(name=text)


def similar_names(requirements: Sequence[Requirement], names: Iterable[str], *,
                  threshold: float = SEMANTIC_THRESHOLD) -> dict[str, dict[str, float]]:
    """For each requirement's name, the record skill names alike enough to count as the same
    skill (raises ``ModelUnavailableError`` without the model)."""
    wanted = list(dict.fromkeys(f for r in requirements if (f := fold(r.skill.name))))
    pool = sorted({f for n in names if (f := fold(n))})
    if not wanted or not pool:
        return {}
    found = similar_labels(wanted, pool, threshold=threshold)
    return {w: {pool[i]: score for i, score in hits if pool[i] != w}
            for w, hits in zip(wanted, found, strict=True)}


def names_of(evidence: Iterable[Evidence]) -> set[str]:
    """Every skill name in some records (what ``similar_names`` compares with)."""
    return {skill.name for item in evidence for skill in item.skills if skill.name}


def _how(own: frozenset[str], crosswalks: Sequence[tuple[str, str]], skill: Skill,
         near: Mapping[str, float]) -> tuple[How, float | None, str] | None:
    keys = identifiers(skill)
    shared = [k.split(":", 1)[0] for k in keys if k in own]
    if shared:
        how = cast(How, min(shared, key=HOW_ORDER.index))
        return how, None, ""
    crosswalked = sorted(name for key, name in crosswalks if key in keys)
    if crosswalked:
        return "crosswalk", None, crosswalked[0]
    score = near.get(fold(skill.name)) if near else None
    return ("similar", score, "") if score is not None else None


def finding(requirement: Requirement, evidence: Sequence[Evidence], *,
            similar: Similar | None = None) -> Finding:
    """Which records back one requirement, by standing, and how each one meets it."""
    hits = {"verified": [], "self_reported": [], "unverified": []}  # type: dict[str, list[str]]
    near = (similar or {}).get(fold(requirement.skill.name), {})
    own = requirement.own_keys
    crosswalks = [(key, same.crosswalk) for same in requirement.same_as if (key := same.key)]
    matches: list[Match] = []
    for item in evidence:
        best: Match | None = None
        for skill in item.skills:
            found = _how(own, crosswalks, skill, near)
            if found is None:
                continue
            candidate = Match(item.label, item.standing, skill, *found)
            if best is None or _stronger(candidate, best):
                best = candidate
        if best is None:
            continue
        if best not in matches:
            matches.append(best)
        if item.label not in hits[item.standing]:
            hits[item.standing].append(item.label)
    return Finding(requirement, tuple(hits["verified"]), tuple(hits["self_reported"]),
                   tuple(hits["unverified"]), tuple(matches))


def _stronger(a: Match, b: Match) -> bool:
    return (HOW_ORDER.index(a.how), -(a.similarity or 0.0)) < \
        (HOW_ORDER.index(b.how), -(b.similarity or 0.0))


def explain(requirements: Sequence[Requirement], evidence: Sequence[Evidence], *,
            similar: Similar | None = None) -> Explanation:
    """Each requirement (required ones first, in the role's order) and how it is met."""
    ordered = [r for r in requirements if r.required] + [r for r in requirements
                                                          if not r.required]
    return Explanation(tuple(finding(r, evidence, similar=similar) for r in ordered))


def rank(requirements: Sequence[Requirement],
         candidates: Sequence[tuple[str, Sequence[Evidence]]], *,
         similar: Similar | None = None) -> list[tuple[str, Explanation]]:
    """Candidates (id, evidence), strongest explanation first; ties keep arrival order.
    ``similar`` (from ``similar_names``) adds matches by similar name; None: exact only."""
    explained = [(cid, explain(requirements, ev, similar=similar)) for cid, ev in candidates]
    order = sorted(range(len(explained)), key=lambda i: (explained[i][1].sort_key, i))
    return [explained[i] for i in order]


def standing(outcome: str, self_reported: bool) -> Standing:
    """Verified only when the check said so and the record is not the learner's own."""
    if self_reported:
        return "self_reported"
    return "verified" if outcome == "verified" else "unverified"


def evidence_from(credential: Mapping[str, Any] | str, record_format: str, *, outcome: str,
                  self_reported: bool = False) -> Evidence:
    """A record's evidence: its aligned skills and achievement name, nothing about the
    person or the issuer."""
    summary = summarize_any(credential, record_format)
    own = self_reported or summary.self_reported
    return Evidence(summary.achievement_name, tuple(summary.skills[:MAX_SKILLS]),
                    standing(outcome, own))


def skill_key(skill: Skill) -> str:
    """A short stable name of a skill for forms (its strongest identifier, hashed)."""
    ident = (identifiers(skill) or ("",))[0]
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]
