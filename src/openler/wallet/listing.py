"""The wallet's list page: kept records grouped by issuer, by type or by year, and searched.

Spec: 1EdTech Open Badges 3.0, sections 4.3 (Achievement.achievementType,
Alignment) and 4.1 (the credential's ``type``), W3C VC Data Model 2.0 section
4.9 (``validFrom``). Self-reported learning is always its own type group, so
it never mixes with what an organization issued. Search matches every word
the learner typed, in any order, ignoring case and accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from openler.wallet.models import Record
from openler.wallet.summary import credential_type

Grouping = Literal["issuer", "type", "date"]
GROUPINGS: tuple[Grouping, ...] = ("issuer", "type", "date")
DEFAULT_GROUPING: Grouping = "issuer"
MAX_QUERY = 200
GroupKind = Literal["issuer", "type", "self", "year", "undated"]


@dataclass(slots=True)
class RecordGroup:
    """One heading of the list page and its records, newest first."""

    kind: GroupKind
    label: str  # the issuer's name, the type's readable name, or the year ("" for undated)
    key: str
    records: list[Record] = field(default_factory=list)
    unnamed: bool = False  # an issuer known only by its identifier: listed after named ones


def grouping(value: str | None) -> Grouping:
    """The grouping the learner asked for, or the default for anything else."""
    for known in GROUPINGS:
        if value == known:
            return known
    return DEFAULT_GROUPING


def fold(text: str) -> str:
    """Text for comparing: case and accents removed ("Électricité" matches "electricite")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _haystack(record: Record) -> str:
    s = record.summary
    parts = [s.achievement_name, s.issuer_name, s.description,
             *(skill.name for skill in s.skills)]
    return fold(" ".join(p for p in parts if p))


def matches(record: Record, query: str) -> bool:
    """Does every word of the query appear in the record's name, issuer, skills or description?"""
    words = fold(query[:MAX_QUERY]).split()
    if not words:
        return True
    haystack = _haystack(record)
    return all(word in haystack for word in words)


def search(records: Iterable[Record], query: str) -> list[Record]:
    """The records that match the query (all of them for an empty query)."""
    return [r for r in records if matches(r, query)]


def readable_type(name: str) -> str:
    """A type name for people: "BachelorDegree" -> "Bachelor Degree", a URL -> its last part."""
    tail = re.split(r"[/#:]", name.rstrip("/#"))[-1] if name else ""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", tail).strip()
    return spaced[:1].upper() + spaced[1:]


def type_of(record: Record) -> str:
    """The achievement type, else the credential's most specific type."""
    return record.summary.achievement_type or credential_type(record.credential, record.format)


def _newest_first(record: Record) -> tuple[str, object]:
    return (record.summary.issued_on, record.received_at)


def year_of(record: Record) -> str:
    """The year it was issued (empty when the record gives no date)."""
    issued = record.summary.issued_on
    return issued[:4] if len(issued) >= 4 and issued[:4].isdigit() else ""


def _key(record: Record, by: Grouping) -> tuple[GroupKind, str, str]:
    if by == "issuer":
        s = record.summary
        return "issuer", s.issuer_name or s.issuer_id, s.issuer_id or s.issuer_name
    if by == "type":
        if record.self_reported:
            return "self", "", "self"
        name = type_of(record)
        return "type", readable_type(name), fold(readable_type(name))
    year = year_of(record)
    return ("year", year, year) if year else ("undated", "", "")


def _order(group: RecordGroup, by: Grouping) -> tuple[object, ...]:
    if by == "date":
        return (group.kind == "undated", -int(group.key or 0))
    return (group.kind == "self", group.unnamed or not group.label, fold(group.label), group.key)


def group(records: Iterable[Record], by: Grouping = DEFAULT_GROUPING) -> list[RecordGroup]:
    """Kept records in groups: issuers and types A-Z (self-reported last), years newest first."""
    groups: dict[tuple[GroupKind, str], RecordGroup] = {}
    for record in records:
        if record.state != "kept":
            continue
        kind, label, key = _key(record, by)
        unnamed = by == "issuer" and not record.summary.issuer_name
        groups.setdefault((kind, key), RecordGroup(kind, label, key, unnamed=unnamed)
                          ).records.append(record)
    for item in groups.values():
        item.records.sort(key=_newest_first, reverse=True)
    return sorted(groups.values(), key=lambda g: _order(g, by))
