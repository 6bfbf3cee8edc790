"""Skill suggestion: dense similarity (MiniLM) fused with lexical label matching.

For a text we embed its clauses (and so, by their mean, the whole text) and compare
them with each skill's preferred label and with its preferred plus alternative
labels; a BM25 match of the text's words against the labels adds lexical evidence
and names the trigger words, and a small prior per label word favours the broader
skill of two near-equals (annotators pick "work independently" over "work
independently in sales"). The skill embeddings are computed once and cached as a
file (``OPENLER_SKILLS_CACHE`` or ~/.local/share/openler/skills).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from openler.skills.catalog import Skill, fingerprint
from openler.skills.encoder import MODEL_ID, Encoder
from openler.skills.lexical import LexicalIndex, triggers

CACHE_VARIABLE = "OPENLER_SKILLS_CACHE"
CLAUSE_SPLIT = re.compile(r"[.;:!?()\[\]\n•|]+|,\s|\s-\s")
MAX_CLAUSE_WORDS = 24
SHORT_TEXT_TOKENS = 128
QUERY_TOKENS = 128


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts; tuned on the benchmark's validation splits only."""

    text: float = 1.0
    clause: float = 0.5
    lexical: float = 0.25
    label_words: float = 0.01  # generality prior: a shorter label is a broader skill


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


def cache_dir() -> Path:
    """Where skill embeddings are kept between runs."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured:
        return Path(configured)
    return Path.home() / ".local" / "share" / "openler" / "skills"


def clauses(text: str) -> list[str]:
    """Cut a text into short clauses (by punctuation, then into runs of at most 24 words)."""
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
        self.preferred, self.combined = self._embeddings(cache)

    def _embeddings(self, cache: Path | None) -> tuple[np.ndarray, np.ndarray]:
        """Load the label embeddings from the cache file, computing and saving them if absent."""
        folder = cache or cache_dir()
        path = folder / f"esco-{MODEL_ID}-{fingerprint(self.skills)}.npz"
        if path.is_file():
            with np.load(path) as stored:
                return (stored["preferred"].astype(np.float32),
                        stored["combined"].astype(np.float32))
        builder = Encoder(threads=min(4, os.cpu_count() or 1))  # once, so use the cores
        preferred = builder.encode([s.label for s in self.skills]).astype(np.float16)
        combined = builder.encode(self._documents).astype(np.float16)
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{path.stem}.{os.getpid()}.npz"
        np.savez(partial, preferred=preferred, combined=combined)
        partial.replace(path)
        return preferred.astype(np.float32), combined.astype(np.float32)

    def scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Fused score of every skill for the text, and the lexical part alone.

        Short texts (a sentence, a self-reported entry) are also compared clause by
        clause, which finds the second and third skill of a sentence; a long text is
        embedded once (its first 128 tokens) to stay fast, and BM25 reads all of it.
        """
        parts = clauses(text) if self.encoder.token_count(text) <= SHORT_TEXT_TOKENS else []
        units = self.encoder.encode([text, *parts] if len(parts) > 1 else [text],
                                    max_tokens=QUERY_TOKENS)
        similarity = (units @ self.preferred.T + units @ self.combined.T) / 2.0
        text_sim = similarity[0]
        clause_sim = similarity.max(axis=0)
        lexical = self.lexical.scores(text)
        w = self.weights
        fused = w.text * text_sim + w.clause * clause_sim + w.lexical * lexical
        fused = fused / (w.text + w.clause + w.lexical) - w.label_words * self._label_words
        return fused, lexical

    def suggest(self, text: str, *, top: int = 5) -> list[Suggestion]:
        """The ``top`` best skills for a text, best first."""
        if not text.strip() or top <= 0:
            return []
        fused, _ = self.scores(text)
        count = min(top, len(self.skills))
        best = np.argpartition(-fused, count - 1)[:count]
        best = best[np.argsort(-fused[best], kind="stable")]
        return [Suggestion(uri=self.skills[i].uri, label=self.skills[i].label,
                           framework=self.skills[i].framework,
                           confidence=float(np.clip(fused[i], 0.0, 1.0)),
                           triggers=triggers(text, self._documents[i]))
                for i in best]
