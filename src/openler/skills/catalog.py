"""The bundled ESCO skills (v1.1.0 English labels) as an in-memory catalogue.

ESCO (European Skills, Competences, Qualifications and Occupations) is published by
the European Commission and reused here with attribution under Commission Decision
2011/833/EU; see data/NOTICE.md for the source and how the table was made.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
ESCO_TABLE = DATA / "esco_skills.tsv.gz"
ESCO = "ESCO"


@dataclass(frozen=True, slots=True)
class Skill:
    """One framework skill: its URI, preferred label, alternative labels and description."""

    uri: str | None
    label: str
    framework: str
    alternative: str
    description: str


def read_table(path: Path) -> tuple[Skill, ...]:
    """Parse a skills table (URI, label, alternative-label text, description per line)."""
    skills: list[Skill] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4 or not fields[1]:
                continue
            uri, label, alternative, description = fields
            skills.append(Skill(uri or None, label, ESCO, alternative, description))
    return tuple(skills)


@lru_cache(maxsize=1)
def esco_skills() -> tuple[Skill, ...]:
    """All 13,896 ESCO v1.1.0 skills, loaded once."""
    return read_table(ESCO_TABLE)


def fingerprint(skills: tuple[Skill, ...]) -> str:
    """A short digest naming a skill set, so cached embeddings match their catalogue."""
    digest = hashlib.sha256()
    for skill in skills:
        digest.update(f"{skill.label}\t{skill.alternative}\n".encode())
    return digest.hexdigest()[:16]
