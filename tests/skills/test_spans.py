"""Contextual span vectors from one model pass (openler.skills.spans)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.skills import SkillEngine
from openler.skills.encoder import Encoder
from openler.skills.spans import MAX_SPAN_WORDS, SPAN_BUDGET, longest_span, units


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@given(st.integers(0, 400))
def test_longest_span_keeps_the_span_count_within_budget(word_count: int) -> None:
    n = longest_span(word_count)
    assert 1 <= n <= MAX_SPAN_WORDS
    total = sum(max(0, word_count - k + 1) for k in range(1, n + 1))
    assert n == 1 or total <= SPAN_BUDGET
    if word_count <= 20:
        assert n == MAX_SPAN_WORDS


def test_units_cover_every_word_ngram_with_unit_vectors(encoder: Encoder) -> None:
    text = "Drive forklifts, load lorries; keep records."
    found = units(encoder, text, max_tokens=128)
    # words as the tokenizer sees them: punctuation marks are words of their own
    word_count = 9
    assert found.spans.shape == (sum(word_count - n + 1 for n in range(1, 5)), 384)
    assert len(found.span_words) == found.spans.shape[0]
    assert text[slice(*found.span_words[0])] == "Drive"
    assert text[slice(*found.span_words[word_count])] == "Drive forklifts"
    assert found.clauses.shape == (3, 384)
    for rows in (found.spans, found.clauses, found.text[None, :]):
        assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)


def test_whole_text_vector_matches_the_encoder(encoder: Encoder) -> None:
    text = "Bake bread and pastries in a busy bakery at night."
    found = units(encoder, text, max_tokens=128)
    assert float(found.text @ encoder.encode([text])[0]) == pytest.approx(1.0, abs=1e-4)


def test_a_long_text_is_cut_and_uses_shorter_spans(encoder: Encoder) -> None:
    text = " ".join(["forklift driver loads lorries safely"] * 60)
    found = units(encoder, text, max_tokens=128)
    assert found.spans.shape[0] <= SPAN_BUDGET
    assert max(end for _, end in found.span_words) < len(text)


def test_two_skills_in_one_sentence_are_both_found(small_engine: SkillEngine) -> None:
    found = [s.label for s in small_engine.suggest(
        "You will drive forklifts and bake bread for the staff canteen.", top=5)]
    assert "operate forklift" in found
    assert any("bread" in label for label in found)


def test_triggers_fall_back_to_the_matched_span(small_engine: SkillEngine) -> None:
    found = small_engine.suggest("Pilots lift trucks around the depot.", top=3)
    assert all(s.triggers for s in found)
    assert all(set(s.triggers) <= {"pilots", "lift", "trucks", "around", "the", "depot"}
               for s in found)
