"""Cross-validated weight choice (openler.skills.tuning) on synthetic signals."""

from __future__ import annotations

import numpy as np
import pytest

from openler.skills.engine import Weights
from openler.skills.tuning import Case, best_weights, cross_validate, grid, rp5

LABELS = tuple(f"skill {i}" for i in range(12))


def synthetic(informative: int, count: int = 20, seed: int = 0) -> list[Case]:
    """Cases whose gold skill tops signal ``informative``; the other signals are noise."""
    rng = np.random.default_rng(seed)
    out = []
    for n in range(count):
        gold = int(rng.integers(len(LABELS)))
        signals = rng.random((3, len(LABELS))).astype(np.float32)
        signals[informative, gold] = 2.0
        out.append(Case("tech" if n % 2 else "house", signals,
                        np.ones(len(LABELS), dtype=np.float32), LABELS,
                        frozenset({LABELS[gold]})))
    return out


def test_grid_covers_the_simplex_with_every_prior() -> None:
    options = list(grid(0.25))
    assert len(options) == 15 * 5
    assert all(w.span + w.clause + w.lexical == pytest.approx(1.0) for w in options)
    assert Weights(1.0, 0.0, 0.0, 0.0) in options
    assert Weights(0.0, 0.0, 1.0, 0.05) in options


def test_rp5_reads_the_fused_ranking() -> None:
    case = synthetic(2, count=1)[0]
    assert rp5(case, Weights(0.0, 0.0, 1.0, 0.0)) == 1.0


@pytest.mark.parametrize("informative", [0, 1, 2])
def test_choice_follows_the_informative_signal(informative: int) -> None:
    found = synthetic(informative)
    chosen = best_weights(found, list(grid(0.5)))
    weights = (chosen.span, chosen.clause, chosen.lexical)
    assert weights[informative] == max(weights)
    held, fitted = cross_validate(found, folds=4, candidates=list(grid(0.5)))
    assert set(held) == {"tech", "house"}
    assert min(held.values()) == pytest.approx(100.0)
    assert (fitted.span, fitted.clause, fitted.lexical)[informative] > 0


def test_held_out_scores_are_lower_when_signals_are_noise() -> None:
    found = synthetic(0, count=30)
    for case in found:
        case.signals[0] = np.random.default_rng(len(case.labels)).random(len(LABELS))
    held, _ = cross_validate(found, folds=3, candidates=list(grid(0.5)))
    assert max(held.values()) < 100.0
