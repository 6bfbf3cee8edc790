"""Skill suggestion: contextual span similarity (MiniLM) fused with lexical label matching.

A text is run through MiniLM once; its token states are pooled into vectors for each
word n-gram (up to four words), each clause and the whole text (spans.py), and each is
compared with every skill's preferred-label vector. A skill's score is a weighted sum
of its best span match, its best clause (or whole-text) match and a BM25 match of the
text's words against its preferred and alternative labels, minus a small prior per
label word that favours the broader skill of two near-equals. The weights were chosen
by 5-fold cross-validation on the validation splits of the Decorte et al. benchmark
(openler.skills.tuning; metric in benchmark.py). The label embeddings are computed
once and cached as a file (``OPENLER_SKILLS_CACHE`` or ~/.local/share/openler/skills).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from openler.skills.catalog import Skill, fingerprint
from openler.skills.encoder import MODEL_ID, Encoder
from openler.skills.lexical import STOP, LexicalIndex, triggers, words
from openler.skills.spans import units

CACHE_VARIABLE = "OPENLER_SKILLS_CACHE"
CLAUSE_SPLIT = re.compile(r"[.;:!?()\[\]\n•|]+|,\s|\s-\s")
MAX_CLAUSE_WORDS = 24
QUERY_TOKENS = 128  # a text up to this long is read whole, every n-gram compared
LONG_TEXT_TOKENS = 96  # a longer one: its first 96 tokens, content words only (50 ms budget)
CACHE_VERSION = "labels1"


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts; chosen by cross-validation on the validation splits only."""

    span: float = 0.75
    clause: float = 0.10
    lexical: float = 0.15
    label_words: float = 0.02  # generality prior: a shorter label is a broader skill


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed skill with a confidence in [0, 1] and the text's words that triggered it."""

    uri: str | None
    label: str
    framework: str
    confidence: float
    triggers: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The stable JSON shape the command line prints."""
        return {"uri": self.uri, "label": self.label, "framework": self.framework,
                "confidence": round(self.confidence, 4)}


@dataclass(frozen=True, slots=True)
class Signals:
    """A text's match signals, one value per skill (per_span: one row per word n-gram)."""

    span: np.ndarray  # best cosine of any word n-gram with the preferred label
    clause: np.ndarray  # best cosine of the whole text or a clause with it
    lexical: np.ndarray  # BM25 over preferred and alternative labels, best = 1
    per_span: np.ndarray
    span_ranges: tuple[tuple[int, int], ...]


def cache_dir() -> Path:
    """Where skill embeddings are kept between runs."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured:
        return Path(configured)
    return Path.home() / ".local" / "share" / "openler" / "skills"


def clauses(text: str) -> list[str]:
    """Cut a text into short clauses (by punctuation, then into runs of at most 24 words).

    A helper for callers that show clauses; the engine pools its clauses from one
    model pass instead (spans.py).
    """
    pieces: list[str] = []
    for part in CLAUSE_SPLIT.split(text):
        tokens = part.split()
        for start in range(0, len(tokens), MAX_CLAUSE_WORDS):
            piece = " ".join(tokens[start:start + MAX_CLAUSE_WORDS])
            if any(ch.isalnum() for ch in piece):
                pieces.append(piece)
    return pieces or [text.strip()]


class SkillEngine:
    """Suggests skills from a fixed catalogue; build once, then call ``suggest`` many times."""

    def __init__(self, skills: tuple[Skill, ...], *, encoder: Encoder | None = None,
                 weights: Weights | None = None, cache: Path | None = None) -> None:
        self.skills = skills
        self.weights = weights or Weights()
        self.encoder = encoder or Encoder()
        self._documents = [f"{s.label} {s.alternative}" for s in skills]
        self.lexical = LexicalIndex(self._documents)
        self._label_words = np.asarray([len(s.label.split()) for s in skills], dtype=np.float32)
        # Kept transposed (one label a column) and contiguous: the product with a text's
        # units is then about a fifth faster than through a transposed view.
        self._columns = np.ascontiguousarray(self._embeddings(cache).T)

    @property
    def preferred(self) -> np.ndarray:
        """One unit vector per skill's preferred label (rows in ``skills`` order)."""
        return self._columns.T

    def _embeddings(self, cache: Path | None) -> np.ndarray:
        """Load the label embeddings from the cache file, computing and saving them if absent."""
        folder = cache or cache_dir()
        path = folder / f"esco-{MODEL_ID}-{CACHE_VERSION}-{fingerprint(self.skills)}.npz"
        if path.is_file():
            with np.load(path) as stored:
                return np.ascontiguousarray(stored["preferred"], dtype=np.float32)
        builder = Encoder(threads=min(2, os.cpu_count() or 1))  # once, so use the cores
        preferred = builder.encode([s.label for s in self.skills]).astype(np.float16)
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{path.stem}.{os.getpid()}.npz"
        np.savez(partial, preferred=preferred)
        partial.replace(path)
        return np.ascontiguousarray(preferred, dtype=np.float32)

    def signals(self, text: str) -> Signals:
        """Every skill's separate match signals for a text (what ``Weights`` combines)."""
        encoding = self.encoder.tokenize(text)  # once: for its length and for the model
        long_text = len(encoding.ids) > QUERY_TOKENS
        found = units(self.encoder, text, encoding=encoding,
                      max_tokens=LONG_TEXT_TOKENS if long_text else QUERY_TOKENS)
        heads = 1 + found.clauses.shape[0]
        every = np.vstack([found.text[None, :], found.clauses, found.spans]) @ self._columns
        span_all = every[heads:]
        return Signals(span=span_all.max(axis=0), clause=every[:heads].max(axis=0),
                       lexical=self.lexical.scores(text), per_span=span_all,
                       span_ranges=found.span_words)

    def fuse(self, signals: Signals, weights: Weights | None = None) -> np.ndarray:
        """One score per skill from its signals: a weighted mean less the label-length prior."""
        w = weights or self.weights
        fused = w.span * signals.span + w.clause * signals.clause + w.lexical * signals.lexical
        return fused / (w.span + w.clause + w.lexical) - w.label_words * self._label_words

    def scores(self, text: str) -> np.ndarray:
        """Fused score of every skill for the text (higher is better).

        The model reads a text of up to 128 tokens once and every word n-gram is
        compared (n up to 4, fewer as the text grows so the cost stays flat); of a
        longer text it reads the first 96 tokens and compares content words only.
        BM25 reads all of the text.
        """
        return self.fuse(self.signals(text))

    def suggest(self, text: str, *, top: int = 5) -> list[Suggestion]:
        """The ``top`` best skills for a text, best first."""
        if not text.strip() or top <= 0:
            return []
        found_signals = self.signals(text)
        fused = self.fuse(found_signals)
        count = min(top, len(self.skills))
        best = np.argpartition(-fused, count - 1)[:count]
        best = best[np.argsort(-fused[best], kind="stable")]
        found: list[Suggestion] = []
        for i in best:
            trigger = triggers(text, self._documents[i])
            if not trigger:  # no shared word: the span the model matched is the trigger
                best_span = int(found_signals.per_span[:, i].argmax())
                start, end = found_signals.span_ranges[best_span]
                spoken = tuple(dict.fromkeys(words(text[start:end])))
                trigger = tuple(w for w in spoken if w not in STOP) or spoken
            found.append(Suggestion(uri=self.skills[i].uri, label=self.skills[i].label,
                                    framework=self.skills[i].framework,
                                    confidence=float(np.clip(fused[i], 0.0, 1.0)),
                                    triggers=trigger))
        return found
