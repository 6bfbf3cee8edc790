"""A profile index: ranking one role against many shared profiles by set lookups.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment), with the merge rules of
``openler.wallet.skills_identity`` as ``openler.verifier.matching`` applies them: a
requirement is met by a record when the two share an identifier (target URL, framework
and code, or folded name), or, failing that, when a skill name of the record is alike
enough to the requirement's name (``openler.skills.similarity.SEMANTIC_THRESHOLD``).
Issue 7, item 6: ranking a role against 10,000 shared profiles in under one second,
every result able to explain itself.

How. Building the index computes every skill's identifiers once (memoised per distinct
skill) and keeps an inverted index ``identifier -> profiles`` for verified and for
self-reported records. Ranking a role is then, per requirement, a union of a few
posting sets, and counting: no pairwise comparison of skills. Records whose check
failed do not count in a ranking (as in ``matching``), so they are not posted; they
still appear in explanations.

Similar names at query time. The index keeps its distinct folded skill names
(``labels``: far fewer than profiles x skills). For a role, ``similar_for`` compares the
role's few requirement names with those labels once (the labels' vectors are embedded
on first use and kept by the index, ``label_vectors``; the result equals
``matching.similar_names`` over the same names), and ``rank`` then adds, per
requirement, the posting sets of ``name:<label>`` for every similar label: still set
lookups, no pairwise comparison per profile.

Order (the same as ``matching.rank``, see its docstring): for required then preferred
requirements, met by verified records, met at all, met exactly by verified records,
met exactly at all, more first; so a match by similar name only ranks below an exact
one of the same standing. Ties keep the order in which profiles were given to
``build_index`` (their arrival), so a page that builds the index from shares oldest
first shows the oldest share first among equals.

Explanations are lazy: a ``RankedProfile`` carries its counts at once, and its
``explanation`` (a ``matching.Explanation``, identical to what ``matching.rank``
gives) is computed on first access from that profile's records only. A page that shows
the top 20 of 10,000 pays for 20 explanations.

What it reads: the ``matching.Evidence`` of each profile (skills, record label,
standing) and an opaque profile id. Names, schools, dates of birth and addresses are
not inputs at all; similar names compare skill names only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from openler.skills import similarity
from openler.skills.similarity import SEMANTIC_THRESHOLD
from openler.verifier import matching
from openler.verifier.matching import Evidence, Explanation, Requirement, Similar
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold, identifiers

__all__ = ["SEMANTIC_THRESHOLD", "ProfileIndex", "RankedProfile", "SharedProfile",
           "build_index", "rank", "similar_for"]

Counts = tuple[int, int, int, int]


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

    __slots__ = ("profiles", "ids", "labels", "_verified", "_self_reported", "_vectors")

    def __init__(self, profiles: tuple[SharedProfile, ...], labels: tuple[str, ...],
                 verified: dict[str, frozenset[int]],
                 self_reported: dict[str, frozenset[int]]) -> None:
        self.profiles = profiles
        self.ids = tuple(profile.profile_id for profile in profiles)
        self.labels = labels  # distinct folded skill names of every record, sorted
        self._verified = verified
        self._self_reported = self_reported
        self._vectors: np.ndarray | None = None

    def label_vectors(self) -> np.ndarray:
        """The embeddings of ``labels`` (one row each), computed on first use and kept, so
        each query embeds only the role's names (ModelUnavailableError without the model)."""
        if self._vectors is None:
            self._vectors = similarity.embed(self.labels)
        return self._vectors

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

    __slots__ = ("profile_id", "position", "counts", "exact", "_index", "_role", "_similar",
                 "_explanation")

    def __init__(self, profile_id: str, position: int, counts: Counts, exact: Counts,
                 index: ProfileIndex, role: tuple[Requirement, ...],
                 similar: Similar | None) -> None:
        self.profile_id = profile_id
        self.position = position  # arrival order in the index
        self.counts = counts  # required verified, required met, preferred verified, met
        self.exact = exact  # the same four, counting exact matches only
        self._index = index
        self._role = role
        self._similar = similar
        self._explanation: Explanation | None = None

    @property
    def sort_key(self) -> tuple[int, ...]:
        """``matching.Explanation.sort_key`` of this profile, from the counts alone."""
        c, e = self.counts, self.exact
        return (-c[0], -c[1], -e[0], -e[1], -c[2], -c[3], -e[2], -e[3])

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The records behind this profile, so a page can show them."""
        return self._index.profiles[self.position].evidence

    @property
    def explanation(self) -> Explanation:
        """Every requirement and the records that meet it (computed once, when asked);
        equal to ``matching.explain`` on the same records."""
        if self._explanation is None:
            self._explanation = matching.explain(self._role, self.evidence,
                                                 similar=self._similar)
        return self._explanation

    def __repr__(self) -> str:
        return f"RankedProfile({self.profile_id!r}, position={self.position}, " \
               f"counts={self.counts}, exact={self.exact})"


def build_index(profiles: Iterable[SharedProfile | tuple[str, Sequence[Evidence]]]
                ) -> ProfileIndex:
    """Precompute each profile's skill identifiers once so ranking is set lookups."""
    memo: dict[Skill, tuple[str, ...]] = {}
    verified: dict[str, set[int]] = {}
    self_reported: dict[str, set[int]] = {}
    postings = {"verified": verified, "self_reported": self_reported}
    kept: list[SharedProfile] = []
    labels: set[str] = set()
    for position, item in enumerate(profiles):
        profile = item if isinstance(item, SharedProfile) else \
            SharedProfile(str(item[0]), tuple(item[1]))
        kept.append(profile)
        for record in profile.evidence:
            keys: set[str] = set()
            for skill in record.skills:
                found = memo.get(skill)
                if found is None:
                    found = memo[skill] = identifiers(skill)
                    if label := fold(skill.name):
                        labels.add(label)
                keys.update(found)
            posted = postings.get(record.standing)  # a failed check never counts: not posted
            if posted is not None:
                for key in keys:
                    posted.setdefault(key, set()).add(position)
    return ProfileIndex(tuple(kept), tuple(sorted(labels)),
                        {k: frozenset(v) for k, v in verified.items()},
                        {k: frozenset(v) for k, v in self_reported.items()})


def _requirements(role: Sequence[Requirement] | HasRequirements) -> tuple[Requirement, ...]:
    return tuple(role.requirements if isinstance(role, HasRequirements) else role)


def similar_for(role: Sequence[Requirement] | HasRequirements, index: ProfileIndex, *,
                threshold: float = SEMANTIC_THRESHOLD) -> dict[str, dict[str, float]]:
    """The index's skill names alike enough to each requirement's name (query-time work for
    one role, equal to ``matching.similar_names`` over the same names; raises
    ``ModelUnavailableError`` without the model)."""
    wanted = list(dict.fromkeys(f for r in _requirements(role) if (f := fold(r.skill.name))))
    if not wanted or not index.labels:
        return {}
    labels = index.labels
    found = similarity.similar_to(wanted, index.label_vectors(), threshold=threshold)
    return {w: {labels[i]: score for i, score in hits if labels[i] != w}
            for w, hits in zip(wanted, found, strict=True)}


def rank(role: Sequence[Requirement] | HasRequirements, index: ProfileIndex, *,
         limit: int | None = None, similar: Similar | None = None) -> list[RankedProfile]:
    """Profiles strongest first (``matching.rank``'s order, ties by arrival), at most
    ``limit`` of them; explanations are computed lazily. ``role`` is a ``roles.Role`` or
    its requirements; ``similar`` (from ``similar_for``) adds matches by similar name."""
    requirements = _requirements(role)
    ordered = tuple(r for r in requirements if r.required) + tuple(
        r for r in requirements if not r.required)
    base = len(requirements) + 1
    score: dict[int, int] = {}
    for requirement in ordered:
        exact_verified, exact_met = index.holders(requirement.keys)
        near = (similar or {}).get(fold(requirement.skill.name))
        verified, met = exact_verified, exact_met
        if near:
            near_verified, near_met = index.holders(f"name:{label}" for label in near)
            verified, met = verified | near_verified, met | near_met
        shift = 4 if requirement.required else 0
        for group, power in ((verified, 3), (met, 2), (exact_verified, 1), (exact_met, 0)):
            weight = base ** (power + shift)
            for position in group:
                score[position] = score.get(position, 0) + weight
    size = len(index.profiles)
    top = sorted(score, key=lambda p: p - score[p] * size)  # score desc, then arrival; no tuples
    count = size if limit is None else max(0, min(limit, size))
    chosen = top[:count]
    if len(chosen) < count:
        scored = set(score)
        chosen.extend(p for p in range(size) if p not in scored)
        del chosen[count:]
    ids = index.ids
    decoded: dict[int, tuple[Counts, Counts]] = {0: ((0, 0, 0, 0), (0, 0, 0, 0))}
    for value in set(score.values()):
        decoded[value] = _counts(value, base)
    return [RankedProfile(ids[p], p, *decoded[score.get(p, 0)], index, ordered, similar)
            for p in chosen]


def _counts(score: int, base: int) -> tuple[Counts, Counts]:
    digits = []
    for _ in range(8):
        score, digit = divmod(score, base)
        digits.append(digit)
    d = digits  # least significant first: preferred (met exact, verified exact, met, verified)
    return (d[7], d[6], d[3], d[2]), (d[5], d[4], d[1], d[0])
