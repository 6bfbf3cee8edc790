"""Lexical matching of a text against skill labels: the words that trigger a skill.

A small BM25 (Robertson and Zaragoza 2009) over each skill's preferred and
alternative labels, with light suffix stripping so "forklifts" meets "forklift".
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")
STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "this", "to",
    "was", "were", "will", "with", "you", "your", "we", "they", "them", "who", "what",
    "which", "work", "working", "ability", "able", "skill", "skills", "knowledge", "strong",
    "good", "excellent", "experience", "use", "using", "related", "other", "such", "etc",
    "new", "team"})
SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "ed",
            "es", "s")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Strip one common English suffix, then a final e (keeps at least four letters)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def words(text: str) -> list[str]:
    """Lower-cased word tokens of a text, punctuation dropped."""
    return WORD.findall(text.lower())


def terms(text: str) -> list[str]:
    """Content-word stems, the unit of lexical matching."""
    return [stem(w) for w in words(text) if w not in STOP]


class LexicalIndex:
    """BM25 over label documents, built once; scores are normalised to [0, 1] per query."""

    def __init__(self, documents: Iterable[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths: list[int] = []
        for number, document in enumerate(documents):
            counts = Counter(terms(document))
            lengths.append(sum(counts.values()))
            for term, count in counts.items():
                postings[term].append((number, count))
        self.size = len(lengths)
        average = sum(lengths) / max(1, self.size)
        length = np.asarray(lengths, dtype=np.float32)
        self._norm = k1 * (1 - b + b * length / max(average, 1e-9))
        self._k1 = k1
        self._postings = {t: (np.asarray([d for d, _ in p], dtype=np.int64),
                              np.asarray([c for _, c in p], dtype=np.float32))
                          for t, p in postings.items()}
        self.idf = {t: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5))
                    for t, p in postings.items()}

    def scores(self, text: str) -> np.ndarray:
        """BM25 of every document for the text's distinct terms, divided by the best."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(terms(text)):
            posting = self._postings.get(term)
            if posting is None:
                continue
            docs, counts = posting
            out[docs] += self.idf[term] * counts * (self._k1 + 1) / (counts + self._norm[docs])
        best = float(out.max()) if self.size else 0.0
        return out / best if best > 0 else out


def triggers(text: str, document: str) -> tuple[str, ...]:
    """The text's own words (first spelling, in text order) whose stems occur in the document."""
    wanted = set(terms(document))
    seen: set[str] = set()
    found: list[str] = []
    for word in words(text):
        key = stem(word)
        if word not in STOP and key in wanted and key not in seen:
            seen.add(key)
            found.append(word)
    return tuple(found)
