"""R-Precision@K and the benchmark reader on hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.skills.benchmark import Sentence, mean_rp, r_precision_at_k, read_annotations


def test_hand_made_cases() -> None:
    assert r_precision_at_k(["a", "b", "c", "d", "e"], {"a"}) == 1.0
    assert r_precision_at_k(["x", "y", "z", "w", "a"], {"a"}) == 1.0
    assert r_precision_at_k(["x", "y", "z", "w", "v", "a"], {"a"}) == 0.0
    assert r_precision_at_k(["a", "x", "b", "y", "z"], {"a", "b", "c"}) == pytest.approx(2 / 3)
    gold = {f"g{i}" for i in range(7)}
    assert r_precision_at_k(["g0", "g1", "x", "g2", "y"], gold) == pytest.approx(3 / 5)
    assert r_precision_at_k(["a", "b"], {"a", "b"}, k=1) == 1.0


def test_duplicates_in_the_ranking_count_once() -> None:
    assert r_precision_at_k(["a", "a", "a", "a", "a", "b"], {"a", "b"}) == 1.0
    assert r_precision_at_k(["a", "a", "x", "y", "z"], {"a", "b"}) == 0.5


def test_rejects_empty_gold_and_bad_k() -> None:
    with pytest.raises(ValueError):
        r_precision_at_k(["a"], set())
    with pytest.raises(ValueError):
        r_precision_at_k(["a"], {"a"}, k=0)


@given(st.lists(st.sampled_from("abcdefghij"), max_size=12),
       st.sets(st.sampled_from("abcdefghij"), min_size=1), st.integers(1, 8))
def test_bounded_and_perfect_ranking_scores_one(ranked: list[str], gold: set[str],
                                                k: int) -> None:
    assert 0.0 <= r_precision_at_k(ranked, gold, k=k) <= 1.0
    assert r_precision_at_k(sorted(gold) + ranked, gold, k=k) == 1.0


def test_reader_groups_spans_and_drops_sentences_without_esco_skills(tmp_path: Path) -> None:
    path = tmp_path / "split.csv"
    path.write_text(
        "sentence,span,sub_span,label\n"
        "Drive forklifts and load lorries .,forklifts,,operate forklift\n"
        "Drive forklifts and load lorries .,load lorries,,load cargo\n"
        "Drive forklifts and load lorries .,forklifts,,operate forklift\n"
        "Be smart .,smart,,LABEL NOT PRESENT\n"
        "Be nice and kind .,nice,,UNDERSPECIFIED\n"
        "Be nice and kind .,kind,,LABEL NOT PRESENT\n"
        "Speak French and be kind .,French,,French\n"
        "Speak French and be kind .,kind,,UNDERSPECIFIED\n", encoding="utf-8")
    sentences = read_annotations(path)
    assert sentences == [
        Sentence("Drive forklifts and load lorries .",
                 frozenset({"operate forklift", "load cargo"})),
        Sentence("Speak French and be kind .", frozenset({"French"}))]
    ranks = {"Drive forklifts and load lorries .": ["operate forklift", "x"],
             "Speak French and be kind .": ["y", "z"]}
    assert mean_rp(sentences, ranks.__getitem__) == pytest.approx(100 * (0.5 + 0.0) / 2)


def test_mean_rp_needs_sentences() -> None:
    with pytest.raises(ValueError):
        mean_rp([], lambda text: [])
