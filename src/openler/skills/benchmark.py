"""R-Precision@K on the ESCO skill-extraction benchmark of Decorte et al. (TECH, HOUSE).

Decorte, Van Hautte, Deleu, Develder, Demeester, "Extreme Multi-Label Skill Extraction
Training using Large Language Models" (2023), data CC BY 4.0. Each sentence carries
the ESCO skills its spans were annotated with; a sentence whose spans are all
UNDERSPECIFIED or LABEL NOT PRESENT has no ESCO skill and is left out of the average.
RP@K = (gold skills among the top K) / min(K, number of gold skills).

    python -m openler.skills.benchmark ../shared/skills-benchmark/tech_validation_annotations.csv
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

NO_SKILL = frozenset({"UNDERSPECIFIED", "LABEL NOT PRESENT"})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One benchmark sentence and the preferred labels of its gold ESCO skills."""

    text: str
    gold: frozenset[str]


def r_precision_at_k(ranked: Sequence[str], gold: Iterable[str], *, k: int = 5) -> float:
    """Share of the top ``k`` that is gold, over the most that could be (min(k, |gold|))."""
    wanted = set(gold)
    if not wanted:
        raise ValueError("R-Precision needs at least one gold skill")
    if k <= 0:
        raise ValueError("k must be positive")
    top = list(dict.fromkeys(ranked))[:k]
    return sum(1 for label in top if label in wanted) / min(k, len(wanted))


def read_annotations(path: Path) -> list[Sentence]:
    """Sentences of one split file (sentence,span,sub_span,label) with at least one skill."""
    gold: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labels = gold.setdefault(row["sentence"], set())
            if row["label"] not in NO_SKILL:
                labels.add(row["label"])
    return [Sentence(text, frozenset(labels)) for text, labels in gold.items() if labels]


def mean_rp(sentences: Sequence[Sentence], rank: Callable[[str], Sequence[str]], *,
            k: int = 5) -> float:
    """Average RP@k (in percent) of a ranking function over the sentences."""
    if not sentences:
        raise ValueError("no sentence with a gold skill")
    total = sum(r_precision_at_k(rank(s.text), s.gold, k=k) for s in sentences)
    return 100.0 * total / len(sentences)


if __name__ == "__main__":  # pragma: no cover - a developer's command
    import sys

    from openler.skills import default_engine

    engine = default_engine()
    for name in sys.argv[1:]:
        split = read_annotations(Path(name))
        score = mean_rp(split, lambda text: [s.label for s in engine.suggest(text, top=5)])
        print(f"{Path(name).name}: RP@5 {score:.1f} over {len(split)} sentences")
