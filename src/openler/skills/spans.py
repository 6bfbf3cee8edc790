"""Contextual span vectors: one MiniLM pass over a text, pooled over its words' n-grams.

A job-ad sentence names several skills, each in a few words ("drive forklifts",
"attention to detail"). Encoding every n-gram on its own is too slow for a request,
so the text is run through the model once and the token states of each word n-gram
(and of each clause between punctuation) are mean-pooled into their own unit vectors.
This is the query side of the engine; the skill side is the preferred-label vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from openler.skills.encoder import MAX_TOKENS, Encoder
from openler.skills.lexical import STOP

BOUNDARIES = frozenset(".;:!?()[]•|,")
SPAN_BUDGET = 200  # most span vectors per text: keeps the label product a few ms
MAX_SPAN_WORDS = 4


@dataclass(frozen=True, slots=True)
class Units:
    """The unit vectors of one text: the whole, its clauses, and its word n-grams."""

    text: np.ndarray  # (384,)
    clauses: np.ndarray  # (c, 384)
    spans: np.ndarray  # (s, 384)
    span_words: tuple[tuple[int, int], ...]  # character range in the text of each span


def _unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to length one (zero rows stay zero)."""
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def longest_span(word_count: int, *, budget: int = SPAN_BUDGET) -> int:
    """The longest n-gram length whose spans (all lengths 1..n) fit in the budget."""
    total, longest = 0, 1
    for n in range(1, MAX_SPAN_WORDS + 1):
        total += max(0, word_count - n + 1)
        if total > budget and n > 1:
            break
        longest = n
    return longest


def token_states(encoder: Encoder, text: str, *, max_tokens: int,
                 encoding: Any = None) -> tuple[
        np.ndarray, list[int | None], list[tuple[int, int]], bool]:
    """The model's last hidden states for a text, each token's word number and offsets, and
    whether the text was cut to fit (``encoding``: the text's tokens, when already known)."""
    encoding = encoding if encoding is not None else encoder.tokenize(text)
    ids, word_ids, offsets = list(encoding.ids), list(encoding.word_ids), list(encoding.offsets)
    limit = max(2, min(max_tokens, MAX_TOKENS))
    cut = len(ids) > limit
    if cut:  # keep [CLS] ... and the closing [SEP], as Encoder.encode does
        ids = [*ids[:limit - 1], ids[-1]]
        word_ids = [*word_ids[:limit - 1], None]
        offsets = [*offsets[:limit - 1], (0, 0)]
    batch = np.asarray([ids], dtype=np.int64)
    hidden = encoder.hidden_states(batch)[0]
    return hidden.astype(np.float32), word_ids, offsets, cut


def units(encoder: Encoder, text: str, *, max_tokens: int, encoding: Any = None) -> Units:
    """Pool one model pass into text, clause and word n-gram vectors.

    A sentence gets every n-gram up to four words (fewer as it grows, see
    ``longest_span``); a text too long for one pass gets its content words only, so a
    300-word job ad costs about what a sentence does.
    """
    hidden, word_ids, offsets, cut = token_states(encoder, text, max_tokens=max_tokens,
                                                  encoding=encoding)
    whole = _unit(hidden.mean(axis=0))
    # words: consecutive tokens sharing a word number (the tokenizer splits punctuation off)
    order: list[int] = []
    members: dict[int, list[int]] = {}
    groups: list[list[int]] = []
    current: list[int] = []
    for position, word in enumerate(word_ids):
        if word is None:
            continue
        if word not in members:
            members[word] = []
            order.append(word)
        members[word].append(position)
        start, end = offsets[position]
        if text[start:end] in BOUNDARIES:
            if current:
                groups.append(current)
            current = []
        else:
            current.append(position)
    if current:
        groups.append(current)
    clauses = (_unit(np.stack([hidden[g].mean(axis=0) for g in groups]))
               if groups else whole[None, :])
    if not order:
        return Units(whole, clauses, whole[None, :], ((0, len(text)),))
    sums = np.stack([hidden[members[w]].sum(axis=0) for w in order])
    counts = np.asarray([len(members[w]) for w in order], dtype=np.float32)
    cum_sums = np.vstack([np.zeros((1, sums.shape[1]), dtype=np.float32), np.cumsum(sums, 0)])
    cum_counts = np.concatenate([[0.0], np.cumsum(counts)])
    bounds = [(offsets[members[w][0]][0], offsets[members[w][-1]][1]) for w in order]
    vectors: list[np.ndarray] = []
    ranges: list[tuple[int, int]] = []
    if cut:
        keep = [k for k, (start, end) in enumerate(bounds)
                if any(ch.isalnum() for ch in text[start:end])
                and text[start:end].lower() not in STOP]
        if keep:
            return Units(whole, clauses, _unit(sums[keep] / counts[keep, None]),
                         tuple(bounds[k] for k in keep))
    for n in range(1, longest_span(len(order)) + 1):
        if n > len(order):
            break
        starts = np.arange(len(order) - n + 1)
        pooled = (cum_sums[starts + n] - cum_sums[starts]) / (
            cum_counts[starts + n] - cum_counts[starts])[:, None]
        vectors.append(pooled)
        ranges.extend((bounds[s][0], bounds[s + n - 1][1]) for s in starts.tolist())
    return Units(whole, clauses, _unit(np.vstack(vectors)).astype(np.float32), tuple(ranges))
