"""Importer for ESCO's official CSV download, in any of its languages.

The European Commission publishes ESCO (https://esco.ec.europa.eu/, download page,
"CSV" format) as one set of files per language: ``skills_<lang>.csv`` (conceptType,
conceptUri, skillType, reuseLevel, preferredLabel, altLabels, hiddenLabels, status,
modifiedDate, scopeNote, definition, inScheme, description), ``occupations_<lang>.csv``
(conceptType, conceptUri, iscoGroup, preferredLabel, altLabels, hiddenLabels, status,
modifiedDate, regulatedProfessionNote, scopeNote, definition, inScheme, description,
code) and ``occupationSkillRelations_<lang>.csv`` (occupationUri, relationType
``essential`` or ``optional``, skillType, skillUri). UTF-8, comma-separated, one header
line; a cell may span lines (``altLabels`` holds one label a line). The column set
varies between ESCO versions, so columns are found by name and only ``conceptUri`` and
``preferredLabel`` (``occupationUri``, ``relationType``, ``skillUri`` for relations) are
required.

Labels, alternative labels and descriptions are merged into the global ESCO framework by
URI for the one language imported: importing Spanish never removes English. Hidden
labels (``hiddenLabels``: misspellings and outdated terms, which ESCO keeps for search
and never shows) are kept per language for search only. Every file
is read and checked before anything is written; a fatal problem (named by file, line
and field) means nothing is written. A relations file replaces the framework's
occupation-skill links.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.skills_service.frameworks import (
    ESCO_META,
    HIDDEN_LABELS,
    MAX_LABEL,
    FrameworkImportError,
    ImportReport,
    ItemInput,
    Place,
    Problem,
    RelationInput,
    check_items,
    write,
)
from openler.storage.tables_frameworks import FrameworkItem, SkillFramework

SKILLS, OCCUPATIONS, RELATIONS = "skills", "occupations", "occupationSkillRelations"
CONCEPT_TYPES = {SKILLS: {"KnowledgeSkillCompetence"}, OCCUPATIONS: {"Occupation"}}
KIND = {SKILLS: "skill", OCCUPATIONS: "occupation"}
REQUIRED = {SKILLS: ("conceptUri", "preferredLabel"),
            OCCUPATIONS: ("conceptUri", "preferredLabel"),
            RELATIONS: ("occupationUri", "relationType", "skillUri")}
RELATION_KINDS = ("essential", "optional")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
URI = re.compile(r"^https?://\S+$")
EXTRA = {"skillType": "skill_type", "reuseLevel": "reuse_level", "iscoGroup": "isco_group"}
MAX_LISTED = 50  # problems listed per file for links to unknown concepts; the rest summed
BATCH = 2000
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class EscoSource:
    """What a folder (or file) of ESCO CSV holds, read and checked, not yet written."""

    language: str
    items: list[ItemInput] = field(default_factory=list)
    relations: list[RelationInput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def files_in(directory: Path, language: str) -> dict[str, Path]:
    """The ESCO files of one language in a folder: ``skills_es.csv`` (or ``skills.csv``)."""
    found = {}
    for stem in (SKILLS, OCCUPATIONS, RELATIONS):
        for name in (f"{stem}_{language}.csv", f"{stem}.csv"):
            if (directory / name).is_file():
                found[stem] = directory / name
                break
    return found


def _records(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of one CSV file by column name, each with the line it starts on."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, f"cannot be read as UTF-8 text: {exc}"))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(path.name, "is empty"))
        return
    except csv.Error as exc:
        problems.append(Problem(f"{path.name} line 1", f"is not valid CSV: {exc}"))
        return
    stem = _stem(path.name)
    missing = [c for c in REQUIRED[stem] if c not in header]
    if missing:
        problems.append(Problem(f"{path.name} line 1", "missing columns: " + ", ".join(missing)))
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(f"{path.name} line {line}", f"is not valid CSV: {exc}"))
            return
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(f"{path.name} line {start}",
                                    f"has {len(cells)} fields, the header has {len(header)}"))
            continue
        yield start, dict(zip(header, cells, strict=True))


def _stem(name: str) -> str:
    for stem in (RELATIONS, OCCUPATIONS, SKILLS):  # longest first: "occupationSkill..."
        if name.startswith(stem):
            return stem
    raise ValueError(name)


def _labels(cell: str) -> list[str]:
    """One alternative label a line (ESCO's CSV), without blanks or repeats."""
    return list(dict.fromkeys(t.strip() for t in cell.splitlines() if t.strip()))


def parse_concepts(path: Path, *, language: str, problems: list[Problem],
                   where: dict[int, Place]) -> list[ItemInput]:
    """Skills or occupations of one file, as items labelled in ``language``."""
    stem = _stem(path.name)
    items: list[ItemInput] = []
    for number, row in _records(path, problems):
        place = f"{path.name} line {number}"
        uri = row["conceptUri"].strip()
        label = " ".join(row["preferredLabel"].split())
        concept = row.get("conceptType", "").strip()
        if concept and concept not in CONCEPT_TYPES[stem]:
            problems.append(Problem(place, f"field conceptType: “{concept}” is not "
                                    + " or ".join(sorted(CONCEPT_TYPES[stem]))))
            continue
        if not URI.match(uri):
            problems.append(Problem(place, f"field conceptUri: “{uri}” is not an http(s) URI"
                                    if uri else "field conceptUri is empty"))
            continue
        if not label:
            problems.append(Problem(place, "field preferredLabel is empty"))
            continue
        if len(label) > MAX_LABEL:
            problems.append(Problem(place, f"field preferredLabel is longer than {MAX_LABEL} "
                                    "characters"))
            continue
        description = (row.get("description") or row.get("definition") or "").strip()
        alternatives = [a for a in _labels(row.get("altLabels", "")) if a != label]
        hidden = [h for h in _labels(row.get("hiddenLabels", ""))
                  if h != label and h not in alternatives]
        code = row.get("code", "").strip() if stem == OCCUPATIONS else ""
        extra = {key: row[column].strip() for column, key in EXTRA.items()
                 if row.get(column, "").strip()}
        item = ItemInput(uri=uri, kind=KIND[stem], labels={language: label},
                         code=code or uri.rsplit("/", 1)[-1],
                         alt_labels={language: alternatives} if alternatives else {},
                         description={language: description} if description else {},
                         extra={**({"esco": extra} if extra else {}),
                                **({HIDDEN_LABELS: {language: hidden}} if hidden else {})})
        where[id(item)] = Place(place)
        items.append(item)
    return items


def parse_relations(path: Path, *, problems: list[Problem]) -> list[RelationInput]:
    """Occupation-to-skill links of one file: ``essential`` or ``optional``."""
    relations: list[RelationInput] = []
    for number, row in _records(path, problems):
        place = f"{path.name} line {number}"
        occupation, skill = row["occupationUri"].strip(), row["skillUri"].strip()
        kind = row["relationType"].strip().casefold()
        bad = [(name, value) for name, value in (("occupationUri", occupation),
                                                 ("skillUri", skill)) if not URI.match(value)]
        if bad:
            name, value = bad[0]
            problems.append(Problem(place, f"field {name}: “{value}” is not an http(s) URI"
                                    if value else f"field {name} is empty"))
            continue
        if kind not in RELATION_KINDS:
            problems.append(Problem(place, f"field relationType: “{row['relationType']}” is not "
                                    "essential or optional"))
            continue
        relations.append(RelationInput(occupation, skill, kind))
    return relations


def parse(paths: dict[str, Path], *, language: str) -> EscoSource:
    """Read and check the given files (by kind); every problem names its file and line."""
    source = EscoSource(language=language)
    if not LANGUAGE.match(language):
        source.problems.append(Problem("--language", f"“{language}” is not a language code"))
        return source
    where: dict[int, Place] = {}
    for stem in (SKILLS, OCCUPATIONS):
        if stem in paths:
            source.items += parse_concepts(paths[stem], language=language,
                                           problems=source.problems, where=where)
            source.files.append(paths[stem].name)
    source.problems += check_items(source.items, where=where)
    if RELATIONS in paths:
        source.relations = parse_relations(paths[RELATIONS], problems=source.problems)
        source.files.append(paths[RELATIONS].name)
    return source


def _known_uris(db: Session) -> set[str]:
    framework = db.scalar(select(SkillFramework.id).where(SkillFramework.org_key == "",
                                                          SkillFramework.uri == ESCO_META.uri))
    if framework is None:
        return set()
    return set(db.scalars(select(FrameworkItem.uri).where(FrameworkItem.framework_id == framework)))


def _known_links(source: EscoSource, known: set[str],
                 file: str) -> tuple[list[RelationInput], list[Problem]]:
    """The links whose two ends exist, and a note on the others (not fatal)."""
    kinds = {item.uri: item.kind for item in source.items}
    kept, dropped = [], []
    for relation in source.relations:
        ends = ((relation.occupation_uri, "occupation"), (relation.skill_uri, "skill"))
        missing = [uri for uri, kind in ends if uri not in known and kinds.get(uri) != kind]
        if missing:
            dropped.append((relation, missing[0]))
        else:
            kept.append(relation)
    notes = [Problem(file, f"the link {relation.occupation_uri} -> {relation.skill_uri} names "
                     f"{missing}, which is not an ESCO concept here; that link was left out",
                     fatal=False) for relation, missing in dropped[:MAX_LISTED]]
    if len(dropped) > MAX_LISTED:
        notes.append(Problem(file, f"{len(dropped) - MAX_LISTED} more links name unknown "
                             "concepts and were left out", fatal=False))
    return kept, notes


def write_source(db: Session, *, source: EscoSource, now: datetime,
                 progress: Progress | None = None,
                 report: ImportReport | None = None) -> ImportReport:
    """Merge a checked source into the global ESCO framework; the caller commits."""
    report = report or ImportReport()
    fatal = [p for p in source.problems if p.fatal]
    if fatal:
        raise FrameworkImportError(fatal)
    relations = source.relations
    notes: list[Problem] = []
    if relations:
        file = next((f for f in source.files if f.startswith(RELATIONS)), RELATIONS)
        relations, notes = _known_links(source, _known_uris(db), file)
    report.problems += [*source.problems, *notes]
    total = len(source.items) + len(relations)
    for start in range(0, len(source.items), BATCH):
        write(db, meta=ESCO_META, items=source.items[start:start + BATCH], now=now,
              report=report, merge=True)
        if progress:
            progress(min(start + BATCH, len(source.items)), total)
    if relations:
        write(db, meta=ESCO_META, items=[], relations=relations, now=now, report=report)
    if progress:
        progress(total, total)
    return report


def import_esco(db: Session, *, directory: Path, language: str, now: datetime,
                progress: Progress | None = None) -> ImportReport:
    """Import whichever ESCO CSV files of one language a folder holds; all or nothing."""
    if not LANGUAGE.match(language):
        raise FrameworkImportError([Problem("--language", f"“{language}” is not a language "
                                            "code like en or es")])
    paths = files_in(directory, language)
    if not paths:
        names = ", ".join(f"{s}_{language}.csv" for s in (SKILLS, OCCUPATIONS, RELATIONS))
        raise FrameworkImportError([Problem(str(directory), f"no ESCO file here ({names})")])
    return write_source(db, source=parse(paths, language=language), now=now, progress=progress)
