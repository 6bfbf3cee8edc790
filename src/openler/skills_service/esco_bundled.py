"""The ESCO data bundled with OpenLER, written as the global ESCO framework.

ESCO (European Skills, Competences, Qualifications and Occupations), (c) European Union,
reused with attribution under Commission Decision 2011/833/EU. Three sources, described
in data/esco/NOTICE.md and openler/skills/data/NOTICE.md: the English skills table of
``openler.skills`` (v1.1.0), the English occupations table made by ``esco_prepare`` and
the Spanish labels of a subset of skills in ESCO's own CSV format, merged by the
importer of ``frameworks_esco``. None of them holds occupation-to-skill relations:
``openler skills import-esco`` reads those from ESCO's official download.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from openler.skills_service.frameworks import ESCO_META, ImportReport, ItemInput, Problem, write

DATA = Path(__file__).parent / "data" / "esco"
OCCUPATIONS = DATA / "esco_occupations.tsv.gz"
SPANISH = DATA / "skills_es_subset.csv"


def skill_items() -> tuple[list[ItemInput], int]:
    """ESCO skills from the bundled table (English only); also how many lack a URI."""
    from openler.skills.catalog import esco_skills

    items: list[ItemInput] = []
    without_uri = 0
    for skill in esco_skills():
        if not skill.uri:
            without_uri += 1
            continue
        items.append(ItemInput(
            uri=skill.uri, kind="skill", code=skill.uri.rsplit("/", 1)[-1],
            labels={"en": skill.label},
            # The bundled table keeps alternative labels run together as one text.
            alt_labels={"en": [skill.alternative]} if skill.alternative else {},
            description={"en": skill.description} if skill.description else {}))
    return items, without_uri


def occupation_items(path: Path = OCCUPATIONS) -> list[ItemInput]:
    """ESCO occupations from the bundled table (English; see data/esco/NOTICE.md)."""
    items = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4 or not fields[0] or not fields[1]:
                continue
            uri, label, alternative, description = fields
            items.append(ItemInput(
                uri=uri, kind="occupation", code=uri.rsplit("/", 1)[-1], labels={"en": label},
                # Nothing separates the alternative labels in the source: one text.
                alt_labels={"en": [alternative]} if alternative else {},
                description={"en": description} if description else {}))
    return items


def load(db: Session, *, now: datetime, batch: int = 2000,
         progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """English skills and occupations, then the Spanish subset; languages already there stay."""
    from openler.skills_service import frameworks_esco

    skills, without_uri = skill_items()
    items = skills + occupation_items()
    spanish = frameworks_esco.parse({frameworks_esco.SKILLS: SPANISH}, language="es")
    total = len(items) + len(spanish.items)
    report = ImportReport()
    for start in range(0, len(items), batch):
        write(db, meta=ESCO_META, items=items[start:start + batch], now=now, report=report,
              merge=True)
        if progress:
            progress(min(start + batch, len(items)), total)
    frameworks_esco.write_source(db, source=spanish, now=now, report=report)
    if progress:
        progress(total, total)
    report.problems.append(Problem("esco_skills.tsv.gz", f"{without_uri} skills have no URI "
                                   "in the bundled table and were left out", fatal=False,
                                   code="esco_without_uri", value=str(without_uri)))
    return report
