"""Role matching: which of a role's skills a learner's answer shows, and how well backed.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment: ``targetName``,
``targetUrl``, ``targetFramework``, ``targetCode``), with the merge rules of
``openler.wallet.skills_identity``: two skills are the same when they share a
target URL (scheme, host case and a final slash ignored), a framework and
code, or a name once case and accents are folded. A free-text requirement is
first mapped to a catalog skill by those same rules.

What it reads and what it never reads. Evidence is built from the skill
alignments of each record, the record's achievement name (as a label) and
the outcome of its check; nothing else. Names, photos, issuers' names (and so
schools' prestige), dates of birth and addresses are never read, so changing
them cannot change an explanation or a ranking (a property test holds this).
The result is an explanation per requirement, not a score: each is met by
verified records, only by self-reported ones, only by records whose check
failed, or missing. Ranking compares those counts, required first, and then
keeps the order of arrival.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold, identifiers
from openler.wallet.summary import summarize_any

Standing = Literal["verified", "self_reported", "unverified"]
State = Literal["verified", "self_reported", "unverified", "missing"]
STATE_ORDER: tuple[State, ...] = ("verified", "self_reported", "unverified", "missing")
MAX_SKILLS = 30
TEXT_MAX = 200


@dataclass(frozen=True, slots=True)
class Requirement:
    """One skill a role asks for, required or preferred."""

    skill: Skill
    required: bool = True

    @property
    def keys(self) -> frozenset[str]:
        """Every identifier under which an alignment counts as this skill."""
        return frozenset(identifiers(self.skill))


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
class Finding:
    """How one requirement is met: by which records, of which standing."""

    requirement: Requirement
    verified: tuple[str, ...]
    self_reported: tuple[str, ...]
    unverified: tuple[str, ...]

    @property
    def state(self) -> State:
        """The strongest backing found."""
        if self.verified:
            return "verified"
        if self.self_reported:
            return "self_reported"
        return "unverified" if self.unverified else "missing"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every requirement of a role with its finding, required ones first."""

    findings: tuple[Finding, ...]

    def count(self, state: State, *, required: bool) -> int:
        """How many required (or preferred) requirements are in ``state``."""
        return sum(1 for f in self.findings
                   if f.requirement.required == required and f.state == state)

    @property
    def sort_key(self) -> tuple[int, ...]:
        """Stronger explanations sort first: required verified, then required met at all
        (verified or self-reported; a record that failed its check does not count), then the
        same for preferred."""
        def met(required: bool) -> int:
            return sum(1 for f in self.findings
                       if f.requirement.required == required
                       and f.state in ("verified", "self_reported"))
        return (-self.count("verified", required=True), -met(True),
                -self.count("verified", required=False), -met(False))


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


def finding(requirement: Requirement, evidence: Sequence[Evidence]) -> Finding:
    """Which records back one requirement, by standing."""
    hits = {"verified": [], "self_reported": [], "unverified": []}  # type: dict[str, list[str]]
    keys = requirement.keys
    for item in evidence:
        if keys & item.keys and item.label not in hits[item.standing]:
            hits[item.standing].append(item.label)
    return Finding(requirement, tuple(hits["verified"]), tuple(hits["self_reported"]),
                   tuple(hits["unverified"]))


def explain(requirements: Sequence[Requirement], evidence: Sequence[Evidence]) -> Explanation:
    """Each requirement (required ones first, in the role's order) and how it is met."""
    ordered = [r for r in requirements if r.required] + [r for r in requirements
                                                          if not r.required]
    return Explanation(tuple(finding(r, evidence) for r in ordered))


def rank(requirements: Sequence[Requirement],
         candidates: Sequence[tuple[str, Sequence[Evidence]]]) -> list[tuple[str, Explanation]]:
    """Candidates (id, evidence), strongest explanation first; ties keep arrival order."""
    explained = [(cid, explain(requirements, ev)) for cid, ev in candidates]
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
