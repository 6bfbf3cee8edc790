"""Importer for the O*NET database's published text files (O*NET-SOC taxonomy).

Reads ``Occupation Data.txt`` (O*NET-SOC Code, Title, Description), ``Skills.txt``
(O*NET-SOC Code, Element ID, Element Name, Scale ID, Data Value, ...; the importance
scale ``IM`` becomes the occupation-skill weight) and, when present,
``Technology Skills.txt`` (O*NET-SOC Code, Example, Commodity Code, Commodity Title,
Hot Technology, In Demand). Tab-separated, UTF-8, one header line. O*NET is CC BY 4.0
(USDOL/ETA); the attribution travels with the framework row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from openler.skills_service.frameworks import (
    FrameworkImportError,
    FrameworkInput,
    ImportReport,
    ItemInput,
    Place,
    Problem,
    RelationInput,
    check_items,
    write,
)

DEMO_DIR = Path(__file__).parent / "data" / "onet"
OCCUPATIONS = "Occupation Data.txt"
SKILLS = "Skills.txt"
TECHNOLOGY = "Technology Skills.txt"
ATTRIBUTION = ("O*NET 30.x Database by the U.S. Department of Labor, Employment and Training "
               "Administration (USDOL/ETA), CC BY 4.0. Modified by OpenLER; USDOL/ETA has not "
               "approved, endorsed, or tested these modifications.")
META = FrameworkInput(key="O*NET", name="O*NET-SOC", source="onet",
                      uri="https://www.onetcenter.org/database.html", version="30.x",
                      attribution=ATTRIBUTION)
OCCUPATION_URI = "https://www.onetonline.org/link/summary/{code}"
ELEMENT_URI = "https://www.onetonline.org/find/descriptor/result/{code}"  # its O*NET OnLine page
TECHNOLOGY_URI = "urn:onet:technology:{code}:{slug}"
SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
ELEMENT_ID = re.compile(r"^\d(\.[A-Za-z0-9]+)+$")
REQUIRED = {
    OCCUPATIONS: ("O*NET-SOC Code", "Title", "Description"),
    SKILLS: ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value"),
    TECHNOLOGY: ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title",
                 "Hot Technology"),
}
Progress = Callable[[int, int], None]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """The data lines of one file as dicts by column name, with their line numbers."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, f"cannot be read: {exc}"))
        return []
    if not lines:
        problems.append(Problem(path.name, "is empty"))
        return []
    header = lines[0].split("\t")
    missing = [c for c in REQUIRED[path.name] if c not in header]
    if missing:
        problems.append(Problem(f"{path.name} line 1", "missing columns: " + ", ".join(missing)))
        return []
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            problems.append(Problem(f"{path.name} line {number}",
                                    f"has {len(cells)} columns, the header has {len(header)}"))
            continue
        rows.append((number, dict(zip(header, cells, strict=True))))
    return rows


def parse(directory: Path) -> tuple[list[ItemInput], list[RelationInput], list[Problem]]:
    """Read and check the files; every problem names its file and line."""
    problems: list[Problem] = []
    if not (directory / OCCUPATIONS).is_file():
        problems.append(Problem(str(directory), f"no “{OCCUPATIONS}” in this folder"))
        return [], [], problems
    items: dict[str, ItemInput] = {}
    where: dict[int, Place] = {}
    occupations: set[str] = set()
    for number, row in _rows(directory / OCCUPATIONS, problems):
        code, title = row["O*NET-SOC Code"].strip(), row["Title"].strip()
        place = f"{OCCUPATIONS} line {number}"
        if not SOC_CODE.match(code):
            problems.append(Problem(place, f"“{code}” is not an O*NET-SOC code like 15-1252.00"))
            continue
        uri = OCCUPATION_URI.format(code=code)
        items[uri] = ItemInput(uri=uri, kind="occupation", code=code, labels={"en": title},
                               description={"en": row["Description"].strip()})
        where[id(items[uri])] = Place(place)
        occupations.add(code)
    relations: list[RelationInput] = []
    if (directory / SKILLS).is_file():
        for number, row in _rows(directory / SKILLS, problems):
            place = f"{SKILLS} line {number}"
            code, element = row["O*NET-SOC Code"].strip(), row["Element ID"].strip()
            if code not in occupations:
                problems.append(Problem(place, f"occupation {code} is not in {OCCUPATIONS}"))
                continue
            if not ELEMENT_ID.match(element):
                problems.append(Problem(place, f"“{element}” is not an element id like 2.A.1.a"))
                continue
            uri = ELEMENT_URI.format(code=element)
            if uri not in items:
                items[uri] = ItemInput(uri=uri, kind="skill", code=element,
                                       labels={"en": row["Element Name"].strip()},
                                       extra={"onet": "skill"})
                where[id(items[uri])] = Place(place)
            if row["Scale ID"].strip() != "IM":
                continue
            try:
                weight = float(row["Data Value"])
            except ValueError:
                problems.append(Problem(place, f"“{row['Data Value']}” is not a number"))
                continue
            relations.append(RelationInput(OCCUPATION_URI.format(code=code), uri,
                                           "importance", weight))
    if (directory / TECHNOLOGY).is_file():
        for number, row in _rows(directory / TECHNOLOGY, problems):
            place = f"{TECHNOLOGY} line {number}"
            code, example = row["O*NET-SOC Code"].strip(), row["Example"].strip()
            commodity = row["Commodity Code"].strip()
            if code not in occupations:
                problems.append(Problem(place, f"occupation {code} is not in {OCCUPATIONS}"))
                continue
            if not example or not commodity.isdigit():
                problems.append(Problem(place, "needs an example and a numeric commodity code"))
                continue
            uri = TECHNOLOGY_URI.format(code=commodity, slug=_slug(example))
            if uri not in items:
                items[uri] = ItemInput(uri=uri, kind="skill", code=commodity,
                                       labels={"en": example},
                                       alt_labels={"en": [row["Commodity Title"].strip()]},
                                       extra={"onet": "technology"})
                where[id(items[uri])] = Place(place)
            hot = row["Hot Technology"].strip() == "Y"
            relations.append(RelationInput(OCCUPATION_URI.format(code=code), uri, "technology",
                                           1.0 if hot else 0.0))
    problems.extend(check_items(items.values(), where=where))
    return list(items.values()), relations, problems


def import_onet(db: Session, *, directory: Path, now: datetime,
                progress: Progress | None = None) -> ImportReport:
    """Import O*NET text files as the global O*NET framework; nothing is written on a problem."""
    items, relations, problems = parse(directory)
    if problems:
        raise FrameworkImportError(problems)
    if progress:
        progress(0, len(items))
    report = write(db, meta=META, items=items, relations=relations, now=now)
    if progress:
        progress(len(items), len(items))
    return report
