"""Skill frameworks in the database: the shared model every importer writes through.

A framework (ESCO, O*NET-SOC, or an organization's own from 1EdTech CASE 1.0 or a
Rich Skill Descriptor collection) holds items, skills and occupations, each with its
code, URI, labels and alternative labels per language and description. Importers
parse and validate a whole source first and write nothing if any problem is fatal;
writing updates items by URI, so importing the same source twice changes nothing.
A merging write (ESCO, one language at a time) adds a language's labels to an item and
keeps the others.

Others read the occupation-to-skill links through ``occupation_skills`` (an
occupation's skills, labelled, strongest link first) and ``kind_counts`` (skills and
occupations per framework).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from openler.storage.tables import new_id
from openler.storage.tables_frameworks import FrameworkItem, FrameworkRelation, SkillFramework

KINDS = ("skill", "occupation")
MAX_LABEL = 1000
HIDDEN_LABELS = "hidden_labels"  # key in an item's extra: {language: [label, ...]}


class FrameworkImportError(ValueError):
    """A source that cannot be imported at all; ``problems`` name each bad line or item."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a source: where (a line number or an item id) and what.

    ``where`` and ``message`` are English for the command line; ``code``, ``section``,
    ``position``, ``ident`` and ``value`` let a page say the same in its own language.
    """

    where: str
    message: str
    fatal: bool = True
    code: str = ""
    section: str = ""
    position: int = 0
    ident: str = ""
    value: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where an item sits in its source: a section, its position there and its id."""

    section: str
    position: int = 0
    ident: str = ""

    @property
    def where(self) -> str:
        noun = "" if self.section == "skill" else " item"  # "skill 2", "CFItems item 2"
        text = f"{self.section}{noun} {self.position}" if self.position else self.section
        return f"{text} ({self.ident})" if self.ident else text

    def problem(self, message: str, code: str, *, value: str = "",
                fatal: bool = True) -> Problem:
        """A problem located here."""
        return Problem(self.where, message, fatal, code, self.section, self.position,
                       self.ident, value)


@dataclass(slots=True)
class ItemInput:
    """One parsed skill or occupation, before it is written."""

    uri: str
    kind: str
    labels: dict[str, str]
    code: str = ""
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    parent_uri: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelationInput:
    """An occupation-to-skill link as the source states it."""

    occupation_uri: str
    skill_uri: str
    kind: str
    weight: float | None = None


@dataclass(frozen=True, slots=True)
class FrameworkInput:
    """The framework's own description, as read from the source."""

    key: str
    name: str
    source: str
    uri: str
    version: str = ""
    attribution: str = ""


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts, and the items left out with their reason."""

    framework_id: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    relations: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def fold(text: str) -> str:
    """Lower-case, accent-free form of a label so "Gestión" and "gestion" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def hidden_labels(extra: dict[str, Any] | None) -> dict[str, list[str]]:
    """An item's search-only labels per language (ESCO's ``hiddenLabels``: misspellings and
    old terms that should find the skill but are never shown)."""
    found = (extra or {}).get(HIDDEN_LABELS)
    if not isinstance(found, dict):
        return {}
    return {str(language): [str(label) for label in labels]
            for language, labels in found.items() if isinstance(labels, list)}


def search_text(item: ItemInput) -> str:
    """Every label of an item in every language (hidden ones too), folded, one per line."""
    texts = list(item.labels.values())
    for alternatives in item.alt_labels.values():
        texts.extend(alternatives)
    for hidden in hidden_labels(item.extra).values():
        texts.extend(hidden)
    texts.append(item.code)
    return "\n".join(dict.fromkeys(fold(t) for t in texts if t.strip()))


def frameworks(db: Session, *, org_id: str | None = None) -> list[SkillFramework]:
    """The frameworks an organization sees: the global ones, then its own."""
    rows = db.scalars(select(SkillFramework).order_by(SkillFramework.name)).all()
    return [f for f in rows if f.org_id is None] + [
        f for f in rows if org_id is not None and f.org_id == org_id]


def items_of(db: Session, *, framework_id: str) -> list[FrameworkItem]:
    """All items of one framework, by code then URI."""
    return list(db.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework_id).order_by(FrameworkItem.code,
                                                             FrameworkItem.uri)))


def relations_of(db: Session, *, framework_id: str,
                 occupation_uri: str | None = None) -> list[FrameworkRelation]:
    """Occupation-to-skill links of a framework, strongest first."""
    query = select(FrameworkRelation).where(FrameworkRelation.framework_id == framework_id)
    if occupation_uri is not None:
        query = query.where(FrameworkRelation.occupation_uri == occupation_uri)
    rows = list(db.scalars(query))
    return sorted(rows, key=lambda r: (-(r.weight or 0.0), r.skill_uri))


def check_items(items: Iterable[ItemInput], *, where: dict[int, Place]) -> list[Problem]:
    """Problems common to every source: missing URI or label, bad kind, duplicate URI.

    ``where`` maps ``id(item)`` to the item's place in its source."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for item in items:
        place = where.get(id(item), Place(item.uri or "?"))
        if not item.uri.strip():
            problems.append(place.problem("no URI or identifier", "no_uri"))
        elif item.uri in seen:
            problems.append(place.problem(f"the URI {item.uri} appears twice", "duplicate_uri",
                                          value=item.uri))
        seen.add(item.uri)
        if item.kind not in KINDS:
            problems.append(place.problem(f"unknown kind {item.kind!r}", "bad_kind",
                                          value=item.kind))
        if not any(v.strip() for v in item.labels.values()):
            problems.append(place.problem("no label", "no_label"))
        elif any(len(v) > MAX_LABEL for v in item.labels.values()):
            problems.append(place.problem(f"a label is longer than {MAX_LABEL} characters",
                                          "label_too_long"))
    return problems


def _framework_row(db: Session, meta: FrameworkInput, org_id: str | None,
                   now: datetime) -> SkillFramework:
    org_key = org_id or ""
    row = db.scalar(select(SkillFramework).where(SkillFramework.org_key == org_key,
                                                 SkillFramework.uri == meta.uri))
    if row is None:
        row = SkillFramework(org_id=org_id, org_key=org_key, uri=meta.uri, languages=[],
                             item_count=0)
        db.add(row)
    row.key, row.name, row.source = meta.key, meta.name[:300], meta.source
    row.version, row.attribution, row.imported_at = meta.version, meta.attribution, now
    db.flush()
    return row


def _values(item: ItemInput) -> dict[str, Any]:
    return {"kind": item.kind, "code": item.code[:200], "labels": item.labels,
            "alt_labels": item.alt_labels, "description": item.description,
            "parent_uri": item.parent_uri, "extra": item.extra,
            "search_text": search_text(item)}


def _merged(row: FrameworkItem, item: ItemInput) -> ItemInput:
    """The stored item with this item's languages laid over it (other languages kept)."""
    tail = item.uri.rsplit("/", 1)[-1]
    code = item.code if item.code and (item.code != tail or not row.code) else row.code
    extra = dict(row.extra or {})
    for key, value in item.extra.items():
        extra[key] = {**extra.get(key, {}), **value} if isinstance(value, dict) and isinstance(
            extra.get(key), dict) else value
    # The new item's languages replace theirs whole (a dropped alternative label goes).
    own = set(item.labels)

    def others(values: dict[str, Any] | None) -> dict[str, Any]:
        return {k: v for k, v in (values or {}).items() if k not in own}

    def by_language(values: dict[str, Any]) -> dict[str, Any]:  # a stable search_text
        return dict(sorted(values.items()))

    hidden = by_language({**others(hidden_labels(row.extra)), **hidden_labels(item.extra)})
    extra.pop(HIDDEN_LABELS, None)
    if hidden:
        extra[HIDDEN_LABELS] = hidden

    return ItemInput(uri=item.uri, kind=row.kind or item.kind, code=code,
                     labels=by_language({**(row.labels or {}), **item.labels}),
                     alt_labels=by_language({**others(row.alt_labels), **item.alt_labels}),
                     description=by_language({**others(row.description), **item.description}),
                     parent_uri=item.parent_uri or row.parent_uri, extra=extra)


def write(db: Session, *, meta: FrameworkInput, items: Sequence[ItemInput],
          relations: Sequence[RelationInput] = (), org_id: str | None = None,
          now: datetime, report: ImportReport | None = None,
          merge: bool = False) -> ImportReport:
    """Create or update a framework and its items by URI (idempotent); the caller commits.

    With ``merge`` an existing item keeps the languages the new one has no label in (and
    its code when the new one only repeats the URI's last segment); relations, when given,
    replace the framework's."""
    report = report or ImportReport()
    fatal = [p for p in report.problems if p.fatal]
    if fatal:
        raise FrameworkImportError(fatal)
    framework = _framework_row(db, meta, org_id, now)
    existing: dict[str, FrameworkItem] = {}
    uris = [item.uri for item in items]
    for start in range(0, len(uris), 500):
        existing.update((row.uri, row) for row in db.scalars(select(FrameworkItem).where(
            FrameworkItem.framework_id == framework.id,
            FrameworkItem.uri.in_(uris[start:start + 500]))))
    languages: set[str] = set(framework.languages or [])
    new_rows: list[dict[str, Any]] = []
    for item in items:
        row = existing.get(item.uri)
        if merge and row is not None:
            item = _merged(row, item)
        values = _values(item)
        languages.update(k for k, v in item.labels.items() if v)
        if row is None:
            new_rows.append({"id": new_id(), "framework_id": framework.id, "uri": item.uri,
                             **values})
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
    if new_rows:
        db.execute(insert(FrameworkItem), new_rows)
        report.created += len(new_rows)
    if relations:
        db.execute(delete(FrameworkRelation).where(
            FrameworkRelation.framework_id == framework.id))
        unique = {(r.occupation_uri, r.skill_uri, r.kind): r for r in relations}
        rows = [{"id": new_id(), "framework_id": framework.id, "occupation_uri": r.occupation_uri,
                 "skill_uri": r.skill_uri, "kind": r.kind, "weight": r.weight}
                for r in unique.values()]
        for start in range(0, len(rows), 5000):
            db.execute(insert(FrameworkRelation), rows[start:start + 5000])
        report.relations = len(unique)
    framework.languages = sorted(languages)
    db.flush()
    framework.item_count = db.scalar(select(func.count()).select_from(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id)) or 0
    report.framework_id = framework.id
    db.flush()
    return report


# ---- reading: counts, occupations and their skills -----------------------------------------

def kind_counts(db: Session, *, framework_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """How many skills and occupations each framework holds: {id: {"skill": n, ...}}."""
    counts: dict[str, dict[str, int]] = {f: {} for f in framework_ids}
    if framework_ids:
        for framework_id, kind, count in db.execute(
                select(FrameworkItem.framework_id, FrameworkItem.kind, func.count())
                .where(FrameworkItem.framework_id.in_(list(framework_ids)))
                .group_by(FrameworkItem.framework_id, FrameworkItem.kind)):
            counts[framework_id][kind] = count
    return counts


def label_in(labels: dict[str, str], language: str) -> tuple[str, str]:
    """An item's label in the asked language, else English, else any: (label, language)."""
    for lang in (language, "en", *labels):
        if labels.get(lang):
            return labels[lang], lang
    return "", ""


@dataclass(frozen=True, slots=True)
class OccupationSkill:
    """One skill an occupation calls for, as its framework links them."""

    skill_uri: str
    label: str
    language: str
    code: str
    kind: str  # essential, optional (ESCO); importance, technology (O*NET); occupation (RSD)
    weight: float | None
    framework: str  # the framework's key: ESCO, O*NET, ...
    framework_id: str
    description: str = ""


def occupation_skills(db: Session, occupation_uri: str, *, language: str = "en",
                      org_id: str | None = None) -> list[OccupationSkill]:
    """The skills an occupation calls for, labelled in ``language``: essential, then by weight.

    Looks in the global frameworks and, with ``org_id``, that organization's own. A link
    whose skill is not among the framework's items is left out."""
    visible: list[ColumnElement[bool]] = [SkillFramework.org_id.is_(None)]
    if org_id is not None:
        visible.append(SkillFramework.org_id == org_id)
    links = db.execute(select(FrameworkRelation, SkillFramework)
                       .join(SkillFramework, FrameworkRelation.framework_id == SkillFramework.id)
                       .where(FrameworkRelation.occupation_uri == occupation_uri,
                              or_(*visible))).all()
    found: list[OccupationSkill] = []
    by_framework: dict[str, list[FrameworkRelation]] = {}
    keys: dict[str, str] = {}
    for link, framework in links:
        by_framework.setdefault(framework.id, []).append(link)
        keys[framework.id] = framework.key
    for framework_id, framework_links in by_framework.items():
        uris = sorted({link.skill_uri for link in framework_links})
        items: dict[str, FrameworkItem] = {}
        for start in range(0, len(uris), 500):
            items.update((i.uri, i) for i in db.scalars(select(FrameworkItem).where(
                FrameworkItem.framework_id == framework_id,
                FrameworkItem.uri.in_(uris[start:start + 500]))))
        for link in framework_links:
            item = items.get(link.skill_uri)
            if item is None:
                continue
            label, lang = label_in(item.labels, language)
            found.append(OccupationSkill(
                skill_uri=item.uri, label=label, language=lang, code=item.code, kind=link.kind,
                weight=link.weight, framework=keys[framework_id], framework_id=framework_id,
                description=(item.description or {}).get(lang, "")))
    return sorted(found, key=lambda s: (s.kind != "essential", -(s.weight or 0.0),
                                        fold(s.label), s.skill_uri))


# ---- ESCO ---------------------------------------------------------------------------------

ESCO_META = FrameworkInput(
    key="ESCO", name="ESCO", source="esco", uri="http://data.europa.eu/esco/model",
    version="1.1.0",
    attribution="© European Union, https://esco.ec.europa.eu/ (ESCO classification; skills "
                "v1.1.0). Reused under Commission Decision 2011/833/EU; the European "
                "Commission does not endorse this copy.")


def load_esco(db: Session, *, now: datetime, batch: int = 2000,
              progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Write the bundled ESCO skills and occupations as the global ESCO framework (idempotent).

    English labels of the skills and occupations, Spanish labels of a subset of skills;
    no occupation-to-skill relations (see ``esco_bundled`` and data/esco/NOTICE.md)."""
    from openler.skills_service import esco_bundled

    return esco_bundled.load(db, now=now, batch=batch, progress=progress)
