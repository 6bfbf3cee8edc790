"""A profile index: ranking one role against many shared profiles by set lookups.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment), with the merge rules of
``openler.wallet.skills_identity`` as ``openler.verifier.matching`` applies them: a
requirement is met by a record when the two share an identifier (target URL, framework
and code, or folded name). Issue 7, item 6: ranking a role against 10,000 shared
profiles in under one second, every result able to explain itself.

How. Building the index computes every skill's identifiers once (memoised per distinct
skill) and keeps an inverted index ``identifier -> profiles`` for verified and for
self-reported records. Ranking a role is then, per requirement, a union of a few
posting sets, and counting: no pairwise comparison of skills. Records whose check
failed do not count in a ranking (as in ``matching``), so they are not posted; they
still appear in explanations.

Order (the same as ``matching.rank``): required requirements met by verified records,
then required met at all (verified or self-reported), then the same for preferred,
more first. Ties keep the order in which profiles were given to ``build_index``
(their arrival), so a page that builds the index from shares oldest first shows the
oldest share first among equals.

Explanations are lazy: a ``RankedProfile`` carries its counts at once, and its
``explanation`` (a ``matching.Explanation``, identical to what ``matching.rank``
gives) is computed on first access from that profile's records only. A page that shows
the top 20 of 10,000 pays for 20 explanations.

What it reads: the ``matching.Evidence`` of each profile (skills, record label,
standing) and an opaque profile id. Names, schools, dates of birth and addresses are
not inputs at all. Semantic similarity is not applied here (only codes, URLs and
names); see ``SEMANTIC_THRESHOLD``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from openler.verifier.matching import Evidence, Explanation, Finding, Requirement
from openler.wallet.models import Skill
from openler.wallet.skills_identity import identifiers

# Semantic similarity is not used by this index: a requirement matches a record only by
# shared identifier. ``None`` states that on the page ("exact skill equivalence only").
SEMANTIC_THRESHOLD: float | None = None

Counts = tuple[int, int, int, int]
_Role = tuple[tuple[Requirement, frozenset[str]], ...]


@runtime_checkable
class HasRequirements(Protocol):
    """A role as ``openler.verifier.roles.Role`` stores it."""

    @property
    def requirements(self) -> Sequence[Requirement]: ...


@dataclass(frozen=True, slots=True)
class SharedProfile:
    """One learner's shared profile as the organization sees it: an opaque id and records."""

    profile_id: str
    evidence: tuple[Evidence, ...]


class ProfileIndex:
    """Profiles in arrival order with posting sets per skill identifier; immutable."""

    __slots__ = ("profiles", "ids", "record_keys", "_verified", "_self_reported")

    def __init__(self, profiles: tuple[SharedProfile, ...],
                 record_keys: tuple[tuple[frozenset[str], ...], ...],
                 verified: dict[str, frozenset[int]],
                 self_reported: dict[str, frozenset[int]]) -> None:
        self.profiles = profiles
        self.ids = tuple(profile.profile_id for profile in profiles)
        self.record_keys = record_keys  # per profile, per record: Evidence.keys, precomputed
        self._verified = verified
        self._self_reported = self_reported

    def __len__(self) -> int:
        return len(self.profiles)

    def holders(self, keys: Iterable[str]) -> tuple[frozenset[int], frozenset[int]]:
        """Positions of profiles with a verified, and with a verified or self-reported,
        record under any of ``keys``."""
        verified: set[int] = set()
        self_reported: set[int] = set()
        for key in keys:
            verified.update(self._verified.get(key, ()))
            self_reported.update(self._self_reported.get(key, ()))
        return frozenset(verified), frozenset(verified | self_reported)

    def keys(self) -> frozenset[str]:
        """Every identifier that occurs in a counted (verified or self-reported) record."""
        return frozenset(self._verified) | frozenset(self._self_reported)


class RankedProfile:
    """One profile's place in a ranking: counts now, explanation on first access."""

    __slots__ = ("profile_id", "position", "counts", "_index", "_role", "_explanation")

    def __init__(self, profile_id: str, position: int, counts: Counts, index: ProfileIndex,
                 role: _Role) -> None:
        self.profile_id = profile_id
        self.position = position  # arrival order in the index
        self.counts = counts  # required verified, required met, preferred verified, met
        self._index = index
        self._role = role
        self._explanation: Explanation | None = None

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The records behind this profile, so a page can show them."""
        return self._index.profiles[self.position].evidence

    @property
    def explanation(self) -> Explanation:
        """Every requirement and the records that meet it (computed once, when asked);
        equal to ``matching.explain`` on the same records."""
        if self._explanation is None:
            self._explanation = _explain(self._role, self.evidence,
                                         self._index.record_keys[self.position])
        return self._explanation

    def __repr__(self) -> str:
        return f"RankedProfile({self.profile_id!r}, position={self.position}, " \
               f"counts={self.counts})"


def build_index(profiles: Iterable[SharedProfile | tuple[str, Sequence[Evidence]]]
                ) -> ProfileIndex:
    """Precompute each profile's skill identifiers once so ranking is set lookups."""
    memo: dict[Skill, tuple[str, ...]] = {}
    verified: dict[str, set[int]] = {}
    self_reported: dict[str, set[int]] = {}
    unverified: dict[str, set[int]] = {}  # not posted: a failed check never counts
    postings = {"verified": verified, "self_reported": self_reported,
                "unverified": unverified}
    kept: list[SharedProfile] = []
    record_keys: list[tuple[frozenset[str], ...]] = []
    for position, item in enumerate(profiles):
        profile = item if isinstance(item, SharedProfile) else \
            SharedProfile(str(item[0]), tuple(item[1]))
        kept.append(profile)
        own: list[frozenset[str]] = []
        for record in profile.evidence:
            keys: set[str] = set()
            for skill in record.skills:
                found = memo.get(skill)
                if found is None:
                    found = memo[skill] = identifiers(skill)
                keys.update(found)
            own.append(frozenset(keys))
            if record.standing != "unverified":
                posted = postings[record.standing]
                for key in keys:
                    posted.setdefault(key, set()).add(position)
        record_keys.append(tuple(own))
    return ProfileIndex(tuple(kept), tuple(record_keys),
                        {k: frozenset(v) for k, v in verified.items()},
                        {k: frozenset(v) for k, v in self_reported.items()})


def rank(role: Sequence[Requirement] | HasRequirements, index: ProfileIndex, *,
         limit: int | None = None) -> list[RankedProfile]:
    """Profiles strongest first (``matching.rank``'s order, ties by arrival), at most
    ``limit`` of them; explanations are computed lazily. ``role`` is a ``roles.Role`` or
    its requirements."""
    requirements = tuple(role.requirements if isinstance(role, HasRequirements) else role)
    ordered = tuple(r for r in requirements if r.required) + tuple(
        r for r in requirements if not r.required)
    keyed: _Role = tuple((r, r.keys) for r in ordered)
    base = len(requirements) + 1
    weights = {True: (base ** 3, base ** 2), False: (base, 1)}
    score: dict[int, int] = {}
    for requirement, keys in keyed:
        verified, met = index.holders(keys)
        heavy, light = weights[requirement.required]
        for position in verified:
            score[position] = score.get(position, 0) + heavy
        for position in met:
            score[position] = score.get(position, 0) + light
    size = len(index.profiles)
    top = sorted(score, key=lambda p: p - score[p] * size)  # score desc, then arrival; no tuples
    count = size if limit is None else max(0, min(limit, size))
    chosen = top[:count]
    if len(chosen) < count:
        scored = set(score)
        chosen.extend(p for p in range(size) if p not in scored)
        del chosen[count:]
    ids = index.ids
    counts: dict[int, Counts] = {0: (0, 0, 0, 0)}
    for value in set(score.values()):
        counts[value] = _counts(value, base)
    return [RankedProfile(ids[p], p, counts[score.get(p, 0)], index, keyed) for p in chosen]


def _counts(score: int, base: int) -> Counts:
    rest, preferred_met = divmod(score, base)
    rest, preferred_verified = divmod(rest, base)
    required_verified, required_met = divmod(rest, base)
    return (required_verified, required_met, preferred_verified, preferred_met)


def _explain(role: _Role, evidence: tuple[Evidence, ...],
             record_keys: tuple[frozenset[str], ...]) -> Explanation:
    """``matching.explain`` with each record's identifiers taken from the index."""
    findings = []
    for requirement, keys in role:
        hits: dict[str, list[str]] = {"verified": [], "self_reported": [], "unverified": []}
        for record, own in zip(evidence, record_keys, strict=True):
            if keys & own and record.label not in hits[record.standing]:
                hits[record.standing].append(record.label)
        findings.append(Finding(requirement, tuple(hits["verified"]),
                                tuple(hits["self_reported"]), tuple(hits["unverified"])))
    return Explanation(tuple(findings))
