"""Crosswalks: published mappings that say which item of one framework is which of another.

Spec: W3C SKOS mapping properties (``skos:exactMatch``, ``closeMatch``, ``broadMatch``,
``narrowMatch``, ``relatedMatch``), as the European Commission's ESCO-O*NET crosswalk
and CASE associations use them. A crosswalk file is CSV with a header; columns are
found by name, case, spaces and punctuation aside:

- the source: ``source``, ``source uri``, ``from``, ``subject``, ``O*NET Id``,
  ``O*NET-SOC Code`` or ``O*NET code``;
- the target: ``target``, ``target uri``, ``to``, ``object``, ``ESCO or ISCO URI``,
  ``ESCO URI``;
- the relation: ``relation``, ``match``, ``type of match``, ``match type`` or
  ``predicate``: a SKOS term with or without ``skos:`` (``exactMatch``) or the bare
  word (``exact``, ``close``, ``broad``, ``narrow``, ``related``).

A source or target is a web address, or an O*NET code written as O*NET writes it
(``15-1252.00`` an occupation, ``2.A.1.b`` a skill element), which becomes the address
OpenLER's O*NET importer gives that item. Every problem names its line and field, and
nothing is written when there is any; importing a crosswalk again under the same name
replaces it.

Only ``exactMatch`` and ``closeMatch`` make two items the same skill for matching
(both are symmetric in SKOS; a close match is "similar enough to be used
interchangeably in some applications"); broader, narrower and related links are kept
but never count as the same skill.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from openler.skills_service.frameworks_onet import ELEMENT_URI, OCCUPATION_URI
from openler.storage.tables import new_id
from openler.storage.tables_frameworks import SkillCrosswalk
from openler.wallet.skills_identity import url_identifier

RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
SAME = frozenset({"exactMatch", "closeMatch"})  # what counts as the same skill
COLUMNS = {
    "source": ("source", "source uri", "from", "subject", "O*NET Id", "O*NET-SOC Code",
               "O*NET code"),
    "target": ("target", "targeturi", "to", "object", "ESCO or ISCO URI", "ESCO URI"),
    "relation": ("relation", "match", "type of match", "match type", "predicate"),
}
SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
ELEMENT_CODE = re.compile(r"^\d(\.[A-Za-z0-9]+)+$")
WEB = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)
NAME_MAX = 300
MAX_ROWS = 200_000


class CrosswalkError(ValueError):
    """A crosswalk file that cannot be imported; ``problems`` name each line and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Link:
    """One row of a crosswalk: source and target address and their SKOS relation."""

    source: str
    target: str
    relation: str


@dataclass(frozen=True, slots=True)
class Equivalent:
    """An item another framework calls the same, and which crosswalk says so."""

    uri: str
    crosswalk: str
    relation: str


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _columns(header: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    names = {_compact(h): h for h in header if h}
    for role, options in COLUMNS.items():
        for option in options:
            if _compact(option) in names:
                found[role] = names[_compact(option)]
                break
    return found


def relation_of(text: str) -> str | None:
    """The SKOS mapping property a cell names, or None."""
    word = _compact(text.strip().removeprefix("skos:").removeprefix("SKOS:"))
    for relation in RELATIONS:
        if word in (relation.casefold(), relation.casefold().removesuffix("match")):
            return relation
    return None


def address_of(text: str) -> str | None:
    """The web address a cell names (an O*NET code becomes its O*NET OnLine page)."""
    value = text.strip()
    if WEB.match(value):
        return value
    if SOC_CODE.match(value):
        return OCCUPATION_URI.format(code=value)
    if ELEMENT_CODE.match(value):
        return ELEMENT_URI.format(code=value)
    return None


key_of = url_identifier  # the comparison key of an address, as profile and matching use it


def parse(text: str) -> list[Link]:
    """Every row of a crosswalk CSV; CrosswalkError naming each bad line and field."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    columns = _columns(reader.fieldnames or [])
    missing = [role for role in COLUMNS if role not in columns]
    if missing:
        raise CrosswalkError([f"line 1: no {role} column (the header names "
                              + ", ".join(f"“{h}”" for h in reader.fieldnames or []) + ")"
                              for role in missing])
    links: list[Link] = []
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        if len(links) >= MAX_ROWS:
            problems.append(f"line {line}: more than {MAX_ROWS} rows")
            break
        cells = {role: (row.get(column) or "").strip() for role, column in columns.items()}
        if not any(cells.values()):
            continue
        source, target = address_of(cells["source"]), address_of(cells["target"])
        relation = relation_of(cells["relation"])
        for role, value, parsed in (("source", cells["source"], source),
                                    ("target", cells["target"], target)):
            if parsed is None:
                problems.append(f"line {line}, field {columns[role]}: “{value[:80]}” is not a "
                                "web address or an O*NET code" if value else
                                f"line {line}, field {columns[role]} is empty")
        if relation is None:
            problems.append(f"line {line}, field {columns['relation']}: “{cells['relation'][:40]}"
                            "” is not one of " + ", ".join(RELATIONS))
        if source and target and relation:
            links.append(Link(source[:1000], target[:1000], relation))
    if problems:
        raise CrosswalkError(problems)
    return links


def import_crosswalk(db: Session, *, name: str, links: Iterable[Link], now: datetime) -> int:
    """Store a crosswalk under its name, replacing an earlier one of that name; the caller
    commits. Returns the number of distinct pairs kept."""
    name = " ".join(name.split())[:NAME_MAX]
    if not name:
        raise CrosswalkError(["the crosswalk needs a name, for example “ESCO-O*NET 2022”"])
    pairs: dict[tuple[str, str], Link] = {}
    for link in links:
        source, target = key_of(link.source), key_of(link.target)
        if source and target and source != target:
            pairs[(source, target)] = link
    db.execute(delete(SkillCrosswalk).where(SkillCrosswalk.name == name))
    rows = [{"name": name, "source_uri": link.source, "source_key": source,
             "target_uri": link.target, "target_key": target, "relation": link.relation,
             "imported_at": now} for (source, target), link in pairs.items()]
    for start in range(0, len(rows), 5000):
        db.execute(insert(SkillCrosswalk), [{"id": new_id(), **r}
                                            for r in rows[start:start + 5000]])
    db.flush()
    return len(rows)


def equivalents(db: Session, uris: Iterable[str]) -> dict[str, tuple[Equivalent, ...]]:
    """For each address, the items crosswalks call the same (exact or close match, either
    direction), keyed by the address's comparison key."""
    keys = sorted({k for uri in uris if uri and (k := key_of(uri))})
    found: dict[str, dict[str, Equivalent]] = {k: {} for k in keys}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows = db.scalars(select(SkillCrosswalk).where(
            SkillCrosswalk.relation.in_(SAME),
            or_(SkillCrosswalk.source_key.in_(chunk), SkillCrosswalk.target_key.in_(chunk))))
        for row in rows:
            for here, there, uri in ((row.source_key, row.target_key, row.target_uri),
                                     (row.target_key, row.source_key, row.source_uri)):
                if here in found and there not in found[here]:
                    found[here][there] = Equivalent(uri, row.name, row.relation)
    return {k: tuple(sorted(v.values(), key=lambda e: (e.crosswalk, e.uri)))
            for k, v in found.items() if v}

