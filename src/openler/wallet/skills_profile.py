"""The learner's skills profile: every skill and occupation their kept records are aligned to.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment: targetName, targetUrl,
targetFramework, targetCode, targetType; AlignmentTargetType vocabulary).
Every kept record's ``summary.skills`` is one piece of evidence for a skill.
The same skill reached through several records is merged when two alignments
share a target URL (http/https, host case and a final slash ignored), or the
same framework and code, or the same name once case and accents are folded;
merging is transitive (union-find), so a chain of such links is one skill.
A merged skill is an occupation when any of its alignments is one by the rule
of ``kind_of`` (targetType ending in "Occupation"; an O*NET-SOC, SOC, ISCO,
ANZSCO, NOC or ROME framework; an ESCO ``/occupation/`` or ``/isco/`` URI or
an O*NET page); everything else is a skill. Evidence counts as verified only
when the record's arrival check said "verified" and it is not self-reported.
The learner may hide a skill: hidden skills are never in ``entries`` (what a
presentation may later show) and the choice is kept, sealed, in the wallet's
preferences under ``hidden_skills``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.wallet import preferences, service
from openler.wallet.errors import WalletNotFound
from openler.wallet.keys import open_wallet
from openler.wallet.models import Record, Skill
from openler.wallet.skills_identity import (
    Kind,
    credential_ref,
    fold,
    identifiers,
    kind_of,
    target_types,
)

__all__ = ["Evidence", "Kind", "SkillEntry", "SkillsProfile", "build", "credential_ref",
           "fold", "hide", "identifiers", "kind_of", "profile", "show"]
HIDDEN_SETTING = "hidden_skills"


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
    return Evidence(record_id=record.id, record_name=record.summary.achievement_name,
                    issuer_name=record.summary.issuer_name or record.summary.issuer_id,
                    verified=record.arrival.outcome == "verified" and not self_reported,
                    self_reported=self_reported, issued_on=record.summary.issued_on,
                    credential_ref=credential_ref(record.credential))


def _strength(e: Evidence) -> tuple[Any, ...]:
    rank = 0 if e.verified else (2 if e.self_reported else 1)
    # Newer first: negate the date's characters so one ascending sort does everything.
    newer = tuple(-ord(c) for c in e.issued_on)
    return (rank, not e.issued_on, newer, fold(e.record_name), e.credential_ref, e.record_id)


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


def _entry(items: list[tuple[Skill, Kind, Evidence]], hidden_keys: set[str]) -> SkillEntry:
    by_record: dict[str, Evidence] = {}
    for _, _, ev in items:
        by_record.setdefault(ev.record_id, ev)
    evidence = tuple(sorted(by_record.values(), key=_strength))
    ordered = sorted(items, key=lambda item: _strength(item[2]))
    # The name most records use (case and accents aside), as the strongest record writes it.
    names = Counter(fold(skill.name) for skill, _, _ in items)
    common = min(names, key=lambda n: (-names[n], n))
    name = next(s.name.strip() for s, _, _ in ordered if fold(s.name) == common)
    ids = frozenset(k for skill, _, _ in items for k in identifiers(skill))
    key = min(ids, key=lambda k: (("url:", "code:", "name:").index(k.split(":")[0] + ":"), k))

    def first(attr: str) -> str:
        return next((getattr(s, attr) for s, _, _ in ordered if getattr(s, attr)), "")

    kind: Kind = "occupation" if any(k == "occupation" for _, k, _ in items) else "skill"
    return SkillEntry(key=key, name=name, kind=kind, framework=first("framework"),
                      code=first("code"), url=first("url"), evidence=evidence,
                      hidden=bool(ids & hidden_keys), identifiers=ids)


def build(records: Iterable[Record], *, hidden_keys: Iterable[str] = ()) -> SkillsProfile:
    """The profile of these records (kept ones only), merged and ordered, hidden set apart."""
    groups = _Groups()
    occurrences: list[tuple[Skill, Kind, Evidence]] = []
    for record in records:
        if record.state != "kept":
            continue
        ev = _evidence(record)
        types = target_types(record.credential)
        for skill in record.summary.skills:
            keys = identifiers(skill)
            if not keys:
                continue
            groups.add(keys)
            occurrences.append((skill, kind_of(skill, types.get((skill.name, skill.url), "")),
                                ev))
    merged: dict[int, list[tuple[Skill, Kind, Evidence]]] = {}
    for index, item in enumerate(occurrences):
        merged.setdefault(groups.find(index), []).append(item)
    hidden = set(hidden_keys)
    entries = sorted((_entry(items, hidden) for items in merged.values()),
                     key=lambda e: (-len(e.evidence), -e.verified_count, fold(e.name), e.key))
    return SkillsProfile(entries=tuple(e for e in entries if not e.hidden),
                         hidden=tuple(e for e in entries if e.hidden))


def _hidden_keys(db: Session, config: service.WalletConfig, user_id: str) -> set[str]:
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        return set()
    stored = preferences.load(db, wallet=wallet).get(HIDDEN_SETTING, [])
    return {str(k) for k in stored} if isinstance(stored, list) else set()


def profile(db: Session, *, config: service.WalletConfig, user_id: str,
            include_hidden: bool = False) -> SkillsProfile:
    """What the learner's records say they can do; ``hidden`` is filled only on request."""
    made = build(service.records(db, config=config, user_id=user_id),
                 hidden_keys=_hidden_keys(db, config, user_id))
    return made if include_hidden else SkillsProfile(entries=made.entries)


def _find(db: Session, config: service.WalletConfig, user_id: str, key: str) -> SkillEntry:
    made = profile(db, config=config, user_id=user_id, include_hidden=True)
    for entry in (*made.entries, *made.hidden):
        if entry.key == key:
            return entry
    raise WalletNotFound("skill")


def _store(db: Session, config: service.WalletConfig, user_id: str, keys: set[str],
           now: datetime) -> None:
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        raise WalletNotFound("skill")
    preferences.update(db, wallet=wallet, now=now, **{HIDDEN_SETTING: sorted(keys)})


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
