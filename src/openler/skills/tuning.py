"""Choosing the engine's ``Weights`` by k-fold cross-validation on the validation splits.

The Decorte et al. validation splits are small (75 TECH and 61 HOUSE sentences with
an ESCO skill), so weights fitted to all of them overfit: we grid-search the weight
simplex and the label-length prior on k-1 folds, score the held-out fold, and report
the held-out RP@5 per split. The test splits are never read here.

    python -m openler.skills.tuning ../shared/skills-benchmark
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from openler.skills.benchmark import Sentence, r_precision_at_k
from openler.skills.engine import SkillEngine, Weights

PRIORS = (0.0, 0.01, 0.02, 0.03, 0.05)
POOL = 300  # skills kept per signal and sentence; the top 5 always come from these


@dataclass(frozen=True, slots=True)
class Case:
    """One validation sentence's signals on its candidate skills."""

    split: str
    signals: np.ndarray  # (3, candidates): span, clause, lexical
    label_words: np.ndarray
    labels: tuple[str, ...]
    gold: frozenset[str]


def cases(engine: SkillEngine, split: str, sentences: Sequence[Sentence]) -> list[Case]:
    """Compute each sentence's signals once, kept on the union of each signal's best."""
    words = np.asarray([len(s.label.split()) for s in engine.skills], dtype=np.float32)
    out: list[Case] = []
    for sentence in sentences:
        found = engine.signals(sentence.text)
        stack = np.stack([found.span, found.clause, found.lexical])
        pool = min(POOL, stack.shape[1] - 1)
        keep = np.unique(np.argpartition(-stack, pool, axis=1)[:, :pool])
        out.append(Case(split, stack[:, keep], words[keep],
                        tuple(engine.skills[i].label for i in keep), sentence.gold))
    return out


def grid(step: float = 0.05) -> Iterator[Weights]:
    """Every weighting of the three signals on a simplex grid, with each prior."""
    parts = round(1 / step)
    for span, clause in itertools.product(range(parts + 1), repeat=2):
        if span + clause <= parts:
            for prior in PRIORS:
                yield Weights(span / parts, clause / parts, (parts - span - clause) / parts,
                              prior)


def rp5(case: Case, weights: Weights) -> float:
    """RP@5 of one case under a weighting."""
    w = np.asarray([weights.span, weights.clause, weights.lexical], dtype=np.float32)
    fused = w @ case.signals / max(float(w.sum()), 1e-9) - weights.label_words * case.label_words
    top = np.argsort(-fused, kind="stable")[:5]
    return r_precision_at_k([case.labels[i] for i in top], case.gold)


def split_means(found: Sequence[Case], values: Sequence[float]) -> dict[str, float]:
    """Mean RP@5 in percent per split."""
    splits = sorted({c.split for c in found})
    return {s: 100.0 * float(np.mean([v for c, v in zip(found, values, strict=True)
                                      if c.split == s])) for s in splits}


def best_weights(found: Sequence[Case], candidates: Sequence[Weights]) -> Weights:
    """The weighting with the best mean over splits of per-split RP@5 (first on ties)."""
    def objective(weights: Weights) -> float:
        means = split_means(found, [rp5(c, weights) for c in found])
        return sum(means.values()) / len(means)
    return max(candidates, key=objective)


def cross_validate(found: Sequence[Case], *, folds: int = 5, seed: int = 1,
                   candidates: Sequence[Weights] | None = None) -> tuple[dict[str, float],
                                                                        Weights]:
    """Held-out RP@5 per split (folds stratified by split) and the weights fitted on all."""
    options = list(candidates) if candidates is not None else list(grid())
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(found), dtype=int)
    for split in {c.split for c in found}:
        members = [i for i, c in enumerate(found) if c.split == split]
        rng.shuffle(members)
        for position, index in enumerate(members):
            fold[index] = position % folds
    held = np.zeros(len(found))
    for f in range(folds):
        train = [c for c, g in zip(found, fold, strict=True) if g != f]
        chosen = best_weights(train, options)
        for i in np.flatnonzero(fold == f):
            held[i] = rp5(found[int(i)], chosen)
    return split_means(found, held.tolist()), best_weights(found, options)


if __name__ == "__main__":  # pragma: no cover - a developer's command
    import sys
    from pathlib import Path

    from openler.skills import default_engine
    from openler.skills.benchmark import read_annotations

    folder = Path(sys.argv[1])
    engine = default_engine()
    found = [case for split in ("tech", "house") for case in cases(
        engine, split, read_annotations(folder / f"{split}_validation_annotations.csv"))]
    held, fitted = cross_validate(found)
    print("5-fold held-out RP@5:", {k: round(v, 1) for k, v in held.items()})
    print("weights fitted on all validation sentences:", fitted)
