"""The learner's skills profile: every skill and occupation their kept records are aligned to.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment: targetName, targetUrl,
targetFramework, targetCode, targetType; AlignmentTargetType vocabulary).
Every kept record's ``summary.skills`` is one piece of evidence for a skill.
The same skill reached through several records is merged when two alignments
share a target URL (http/https, host case and a final slash ignored), or the
same framework and code, or the same name once case and accents are folded;
merging is transitive (union-find), so a chain of such links is one skill. A stored
crosswalk's exact or close match (``openler.skills_service.crosswalks``) links two
addresses the same way, and the entry names the crosswalk.
Given a label matcher (``profile`` passes ``openler.skills.similarity``'s when the
model loads), skills from different frameworks are merged too when their names
mean the same: cosine of the names' embeddings at least ``SEMANTIC_THRESHOLD``
(0.85, calibrated there), strongest pair first. Two skills that share a framework
(its name or its address's host) are never merged by meaning, since a framework's
own entries are distinct by its design; names with no framework (self-reported or
free text) may join either. Each such merge is kept as a ``SameMeaning`` so the
page can say which names were taken as one and how alike they are.
A merged skill is an occupation when any of its alignments is one by the rule
of ``kind_of`` (targetType ending in "Occupation"; an O*NET-SOC, SOC, ISCO,
ANZSCO, NOC or ROME framework; an ESCO ``/occupation/`` or ``/isco/`` URI or
an O*NET page); everything else is a skill. Evidence counts as verified only
when the record's arrival check said "verified" and it is not self-reported.
Each piece of evidence has a kind, strongest first (``skills_evidence``):
assessed result, verified completion, endorsement (OB 3.0 section 4.5, only
when the endorsement's own check passed), self-reported; records whose check
failed or could not run fully come last and never count as strength. A
skill's ``strength`` is its strongest counted evidence, and ``last_on`` the
date of its most recent evidence (the credential's date, else its arrival).
The learner may hide a skill: hidden skills are never in ``entries`` (what a
presentation may later show) and the choice is kept, sealed, in the wallet's
preferences under ``hidden_skills``; featured skills (``featured_skills``)
come first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from openler.core.errors import CoreError
from openler.skills import similarity
from openler.skills_service import crosswalks
from openler.wallet import preferences, service, verification
from openler.wallet.errors import WalletNotFound
from openler.wallet.keys import open_wallet
from openler.wallet.models import Record, Skill
from openler.wallet.skills_evidence import (
    COUNTED,
    NO_STRENGTH,
    Endorsement,
    EndorsementCheck,
    embedded_endorsements,
    kept_endorsements,
    rank,
    record_strength,
    targets,
)
from openler.wallet.skills_identity import (
    Kind,
    credential_ref,
    fold,
    identifiers,
    kind_of,
    target_types,
)

__all__ = ["Alike", "Evidence", "Kind", "SameMeaning", "SkillEntry", "SkillsProfile", "build",
           "credential_ref", "crosswalk_links", "endorsement_checker", "fold", "hide",
           "identifiers", "kind_of", "meaning_matcher", "profile", "show", "stored_keys"]
HIDDEN_SETTING = "hidden_skills"
FEATURED_SETTING = "featured_skills"
# Per query label, the candidate labels alike enough to be one skill: (index, cosine).
Alike = Callable[[Sequence[str], Sequence[str]], list[list[tuple[int, float]]]]


@dataclass(frozen=True, slots=True)
class SameMeaning:
    """Two names taken as one skill because their meanings are alike enough."""

    name: str
    framework: str
    other: str
    other_framework: str
    score: float  # cosine of the two names' embeddings


@dataclass(frozen=True, slots=True)
class Evidence:
    """One kept record that backs a skill, and how far it can be trusted."""

    record_id: str
    record_name: str
    issuer_name: str
    verified: bool  # the arrival check found it genuine and it is not self-reported
    self_reported: bool
    issued_on: str
    credential_ref: str  # the credential's own id, or a SHA-256 of it (stable across restores)
    kind: str = ""  # a skills_evidence.STRENGTHS value; "" = derived from the flags above
    dated_on: str = ""  # issued_on, else the day the record arrived (for recency)
    valid_until: str = ""  # the record's validUntil (the page says when it has passed)
    endorses: str = ""  # for an endorsement: "credential", "achievement" or "issuer"
    endorsement_comment: str = ""
    embedded: bool = False  # an endorsement carried inside the record ``record_id``

    @property
    def strength(self) -> str:
        """How strong this evidence is (see ``skills_evidence``)."""
        if self.kind:
            return self.kind
        if self.self_reported:
            return "self_reported"
        return "completion" if self.verified else "failed"

    @property
    def counts(self) -> bool:
        """Whether it can make the skill stronger (failed or unchecked records cannot)."""
        return self.strength in COUNTED


@dataclass(frozen=True, slots=True)
class SkillEntry:
    """One skill or occupation with the records behind it, strongest evidence first."""

    key: str
    name: str
    kind: Kind
    framework: str
    code: str
    url: str
    evidence: tuple[Evidence, ...]
    hidden: bool = False
    identifiers: frozenset[str] = frozenset()  # every url/code/name key that points here
    featured: bool = False  # the learner put it first
    description: str = ""  # targetDescription, from the strongest record that has one
    target_type: str = ""  # targetType as an issuer wrote it, if any
    same_meaning: tuple[SameMeaning, ...] = ()  # names merged in by meaning, not identifier
    crosswalks: tuple[str, ...] = ()  # names of the crosswalks that joined its frameworks

    @property
    def strength(self) -> str:
        """Its strongest evidence that counts (``NO_STRENGTH`` when none does)."""
        kinds = [e.strength for e in self.evidence if e.counts]
        return min(kinds, key=rank) if kinds else NO_STRENGTH

    @property
    def last_on(self) -> str:
        """The date of its most recent evidence that counts (else of any evidence)."""
        dates = [e.dated_on or e.issued_on for e in self.evidence if e.counts]
        dates = [d for d in dates if d] or [e.dated_on or e.issued_on for e in self.evidence
                                            if e.dated_on or e.issued_on]
        return max(dates, default="")

    @property
    def verified_count(self) -> int:
        """Records behind it that checked out as genuine."""
        return sum(1 for e in self.evidence if e.verified)

    @property
    def self_reported_count(self) -> int:
        """Records behind it that the learner stated about themselves."""
        return sum(1 for e in self.evidence if e.self_reported)

    @property
    def unverified_count(self) -> int:
        """Records from an issuer whose check did not pass (or could not run fully)."""
        return len(self.evidence) - self.verified_count - self.self_reported_count


@dataclass(frozen=True, slots=True)
class SkillsProfile:
    """What the learner can show (``entries``) and what they chose to keep out (``hidden``)."""

    entries: tuple[SkillEntry, ...]
    hidden: tuple[SkillEntry, ...] = ()

    def comparable(self) -> list[tuple[Any, ...]]:
        """Equal for two wallets with the same records and choices, whatever their row ids."""
        rows = []
        for entry in (*self.entries, *self.hidden):
            backing = tuple(sorted((e.credential_ref, e.verified, e.self_reported)
                                   for e in entry.evidence))
            rows.append((entry.key, entry.name, entry.kind, entry.hidden, backing))
        return sorted(rows)


def _evidence(record: Record) -> Evidence:
    self_reported = record.self_reported
    summary = record.summary
    return Evidence(record_id=record.id, record_name=summary.achievement_name,
                    issuer_name=summary.issuer_name or summary.issuer_id,
                    verified=record.arrival.outcome == "verified" and not self_reported,
                    self_reported=self_reported, issued_on=summary.issued_on,
                    credential_ref=credential_ref(record.credential),
                    kind=record_strength(record),
                    dated_on=summary.issued_on or record.received_at.date().isoformat(),
                    valid_until=summary.valid_until)


def _endorsement(record: Record, found: Endorsement, what: str) -> Evidence:
    return Evidence(record_id=found.record_id or record.id,
                    record_name=record.summary.achievement_name,
                    issuer_name=found.endorser_name, verified=found.kind == "endorsement",
                    self_reported=found.kind == "self_reported", issued_on=found.issued_on,
                    credential_ref=credential_ref(found.document), kind=found.kind,
                    dated_on=found.issued_on, valid_until=found.valid_until, endorses=what,
                    endorsement_comment=found.comment, embedded=not found.record_id)


def _backing(record: Record, kept: Mapping[str, list[Endorsement]],
             check: EndorsementCheck | None) -> tuple[Evidence, ...]:
    """The record itself, then every endorsement of its credential, achievement or issuer."""
    named = targets(record)
    found = [(e, named[e.endorsed_id]) for e in embedded_endorsements(record, check)]
    found += [(e, what) for ident, what in named.items() for e in kept.get(ident, ())]
    return (_evidence(record), *(_endorsement(record, e, what) for e, what in found))


def _strength(e: Evidence) -> tuple[Any, ...]:
    # Newer first: negate the date's characters so one ascending sort does everything.
    newer = tuple(-ord(c) for c in e.issued_on)
    return (rank(e.strength), not e.issued_on, newer, fold(e.record_name), e.credential_ref,
            e.record_id)


class _Groups:
    """Union-find over alignment occurrences, joined by any shared identifier."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.owner: dict[str, int] = {}

    def add(self, keys: Iterable[str]) -> int:
        index = len(self.parent)
        self.parent.append(index)
        for key in keys:
            if key in self.owner:
                self.union(self.owner[key], index)
            else:
                self.owner[key] = index
        return index

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


Occurrence = tuple[Skill, Kind, tuple[Evidence, ...], str]


def _schemes(skill: Skill) -> frozenset[str]:
    """The frameworks an alignment belongs to: its framework's name and its address's host."""
    found = set()
    if name := fold(skill.framework).replace(" ", ""):
        found.add(f"framework:{name}")
    if host := urlsplit(skill.url.strip()).netloc.lower():
        found.add(f"host:{host.removeprefix('www.')}")
    return frozenset(found)


def _merge_by_meaning(groups: _Groups, occurrences: list[Occurrence], alike: Alike
                      ) -> dict[int, list[SameMeaning]]:
    """Join skill groups of different frameworks whose names mean the same, best pair first."""
    roots = {groups.find(i) for i in range(len(occurrences))}
    schemes: dict[int, frozenset[str]] = dict.fromkeys(roots, frozenset())
    labels: dict[str, tuple[int, Skill]] = {}
    occupations = set()
    for index, (skill, kind, _, _) in enumerate(occurrences):
        root = groups.find(index)
        schemes[root] |= _schemes(skill)
        if kind == "occupation":
            occupations.add(root)
        seen = labels.get(fold(skill.name))
        if seen is None or (skill.name.strip(), skill.framework) < (seen[1].name.strip(),
                                                                    seen[1].framework):
            labels[fold(skill.name)] = (root, skill)  # the same one whatever the order
    names = sorted(n for n, (root, _) in labels.items() if n and root not in occupations)
    if len(names) < 2:
        return {}
    pairs = sorted((-score, i, j) for i, row in enumerate(alike(names, names))
                   for j, score in row if j > i)
    links: dict[int, list[SameMeaning]] = {}
    for negative, i, j in pairs:
        (first, a), (second, b) = labels[names[i]], labels[names[j]]
        ra, rb = groups.find(first), groups.find(second)
        if ra == rb or schemes[ra] & schemes[rb]:
            continue
        groups.union(ra, rb)
        root = groups.find(ra)
        schemes[root] = schemes[ra] | schemes[rb]
        joined = links.pop(ra, []) + links.pop(rb, [])
        links[root] = [*joined, SameMeaning(name=a.name.strip(), framework=a.framework,
                                            other=b.name.strip(), other_framework=b.framework,
                                            score=round(-negative, 4))]
    return links


def _entry(items: list[Occurrence], hidden_keys: set[str], featured_keys: set[str],
           same_meaning: Iterable[SameMeaning] = (), crosswalks: tuple[str, ...] = ()
           ) -> SkillEntry:
    by_record: dict[tuple[str, str], Evidence] = {}
    for _, _, backing, _ in items:
        for ev in backing:
            by_record.setdefault((ev.record_id, ev.credential_ref), ev)
    evidence = tuple(sorted(by_record.values(), key=_strength))
    ordered = sorted(items, key=lambda item: _strength(item[2][0]))
    # The name most records use (case and accents aside), as the strongest record writes it.
    names = Counter(fold(skill.name) for skill, _, _, _ in items)
    common = min(names, key=lambda n: (-names[n], n))
    name = next(s.name.strip() for s, _, _, _ in ordered if fold(s.name) == common)
    ids = frozenset(k for skill, _, _, _ in items for k in identifiers(skill))
    key = min(ids, key=lambda k: (("url:", "code:", "name:").index(k.split(":")[0] + ":"), k))

    def first(attr: str) -> str:
        return next((getattr(s, attr) for s, _, _, _ in ordered if getattr(s, attr)), "")

    # Framework, code and address come from one alignment (the one that names most of
    # them, strongest record first), so a row joining two frameworks never shows one
    # framework's name with the other's code.
    source = max((s for s, _, _, _ in ordered),
                 key=lambda s: bool(s.framework) + bool(s.code) + bool(s.url))
    kind: Kind = "occupation" if any(k == "occupation" for _, k, _, _ in items) else "skill"
    target_type = next((t for _, _, _, t in ordered if t), "")
    return SkillEntry(key=key, name=name, kind=kind, framework=source.framework,
                      code=source.code, url=source.url, evidence=evidence,
                      hidden=bool(ids & hidden_keys), identifiers=ids,
                      featured=bool(ids & featured_keys), description=first("description"),
                      target_type=target_type, same_meaning=tuple(same_meaning),
                      crosswalks=crosswalks)


def build(records: Iterable[Record], *, hidden_keys: Iterable[str] = (),
          featured_keys: Iterable[str] = (),
          endorsement_check: EndorsementCheck | None = None,
          alike: Alike | None = None,
          same_as: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> SkillsProfile:
    """The profile of these records (kept ones only), merged and ordered, hidden set apart.

    ``endorsement_check`` verifies an endorsement embedded in a record; without it such
    endorsements are listed as not checked and do not count. ``alike`` also merges
    skills of different frameworks by meaning; without it only identifiers merge.
    ``same_as`` maps an identifier to those crosswalks call the same skill, each with
    the crosswalk's name: such skills merge too, and the entry names the crosswalk.
    """
    records = [r for r in records if r.state == "kept"]
    kept = kept_endorsements(records)
    groups = _Groups()
    occurrences: list[Occurrence] = []
    crosswalked: list[list[tuple[str, str]]] = []  # per occurrence: (other key, crosswalk)
    for record in records:
        if not record.summary.skills:
            continue
        backing = _backing(record, kept, endorsement_check)
        types = target_types(record.credential)
        for skill in record.summary.skills:
            keys = identifiers(skill)
            if not keys:
                continue
            elsewhere = [pair for key in keys for pair in (same_as or {}).get(key, ())]
            groups.add((*keys, *(other for other, _ in elsewhere)))
            crosswalked.append(elsewhere)
            target_type = types.get((skill.name, skill.url), "")
            occurrences.append((skill, kind_of(skill, target_type), backing, target_type))
    links = _merge_by_meaning(groups, occurrences, alike) if alike is not None else {}
    merged: dict[int, list[int]] = {}
    for index in range(len(occurrences)):
        merged.setdefault(groups.find(index), []).append(index)
    hidden, featured = set(hidden_keys), set(featured_keys)

    def crosswalks_used(indices: list[int]) -> tuple[str, ...]:
        own = {k for i in indices for k in identifiers(occurrences[i][0])}
        return tuple(sorted({name for i in indices for other, name in crosswalked[i]
                             if other in own}))

    entries = sorted((_entry([occurrences[i] for i in indices], hidden, featured,
                             links.get(root, ()), crosswalks_used(indices))
                      for root, indices in merged.items()),
                     key=lambda e: (not e.featured, -len(e.evidence), -e.verified_count,
                                    fold(e.name), e.key))
    return SkillsProfile(entries=tuple(e for e in entries if not e.hidden),
                         hidden=tuple(e for e in entries if e.hidden))


def _keys(settings: Mapping[str, Any], setting: str) -> set[str]:
    stored = settings.get(setting, [])
    return {str(k) for k in stored} if isinstance(stored, list) else set()


def stored_keys(db: Session, config: service.WalletConfig, user_id: str,
                setting: str = HIDDEN_SETTING) -> set[str]:
    """The identifiers kept under one preference (hidden or featured skills)."""
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        return set()
    return _keys(preferences.load(db, wallet=wallet), setting)


def _hidden_keys(db: Session, config: service.WalletConfig, user_id: str) -> set[str]:
    return stored_keys(db, config, user_id)


def endorsement_checker(db: Session, config: service.WalletConfig,
                        now: datetime) -> EndorsementCheck:
    """Verify an embedded endorsement as the wallet verifies records (never fetching out)."""
    def check(document: Mapping[str, Any] | str) -> str:
        try:
            return verification.check(db, credential=dict(document) if isinstance(
                document, Mapping) else document, config=config.issuer, now=now,
                fetcher=config.fetcher, allow_private=config.allow_private).outcome
        except CoreError:
            return "incomplete"
    return check


def crosswalk_links(db: Session, records: Iterable[Record]
                    ) -> dict[str, list[tuple[str, str]]]:
    """For each skill address in these records, the addresses stored crosswalks call the
    same skill, with the crosswalk's name (what ``build`` takes as ``same_as``)."""
    urls = {skill.url for record in records for skill in record.summary.skills if skill.url}
    return {key: [(crosswalks.key_of(e.uri), e.crosswalk) for e in found]
            for key, found in crosswalks.equivalents(db, urls).items()}


def meaning_matcher() -> Alike | None:
    """The label matcher for merging by meaning, or None where the model does not load."""
    return similarity.similar_labels if similarity.available() else None


def profile(db: Session, *, config: service.WalletConfig, user_id: str,
            include_hidden: bool = False, now: datetime | None = None) -> SkillsProfile:
    """What the learner's records say they can do; ``hidden`` is filled only on request."""
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    settings = preferences.load(db, wallet=wallet) if wallet is not None else {}
    records = [r for r in service.records(db, config=config, user_id=user_id)
               if r.state == "kept"]
    made = build(records, hidden_keys=_keys(settings, HIDDEN_SETTING),
                 featured_keys=_keys(settings, FEATURED_SETTING),
                 endorsement_check=endorsement_checker(db, config, now or datetime.now(UTC)),
                 alike=meaning_matcher(), same_as=crosswalk_links(db, records))
    return made if include_hidden else SkillsProfile(entries=made.entries)


def _find(db: Session, config: service.WalletConfig, user_id: str, key: str) -> SkillEntry:
    made = profile(db, config=config, user_id=user_id, include_hidden=True)
    for entry in (*made.entries, *made.hidden):
        if entry.key == key:
            return entry
    raise WalletNotFound("skill")


def _store(db: Session, config: service.WalletConfig, user_id: str, keys: set[str],
           now: datetime, setting: str = HIDDEN_SETTING) -> None:
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        raise WalletNotFound("skill")
    preferences.update(db, wallet=wallet, now=now, **{setting: sorted(keys)})


def hide(db: Session, *, config: service.WalletConfig, user_id: str, key: str,
         now: datetime) -> SkillEntry:
    """Keep a skill out of the profile (every identifier, so a later merge stays hidden)."""
    entry = _find(db, config, user_id, key)
    _store(db, config, user_id, _hidden_keys(db, config, user_id) | entry.identifiers, now)
    return replace(entry, hidden=True)


def show(db: Session, *, config: service.WalletConfig, user_id: str, key: str,
         now: datetime) -> SkillEntry:
    """Put a hidden skill back into the profile."""
    entry = _find(db, config, user_id, key)
    _store(db, config, user_id, _hidden_keys(db, config, user_id) - entry.identifiers, now)
    return replace(entry, hidden=False)
