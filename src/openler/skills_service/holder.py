"""Keeps the skill engine for a running app: built once, off the request path.

The full ESCO engine embeds ~13,900 skills on first use (about two minutes without
its cache file), so a request never waits for it: ``EngineHolder.engine()`` starts
the build in a background thread and answers ``None`` until it is ready; callers
then fall back to lexical matching (``LexicalSuggester``), which is ready in about
a second. Tests hand in a small, already built engine.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import numpy as np

from openler.skills import SkillEngine, Suggestion
from openler.skills.catalog import Skill, esco_skills
from openler.skills.lexical import LexicalIndex, triggers

log = logging.getLogger("openler.skills")
LEXICAL_CONFIDENCE = 0.45  # a lexical-only match is never shown as a "strong match"


class LexicalSuggester:
    """BM25 over labels and alternative labels only: the quick answer while embeddings load."""

    def __init__(self, skills: tuple[Skill, ...]) -> None:
        self.skills = skills
        self._documents = [f"{s.label} {s.alternative}" for s in skills]
        self.index = LexicalIndex(self._documents)

    def suggest(self, text: str, *, top: int = 5) -> list[Suggestion]:
        """The ``top`` skills whose labels share the most telling words with the text."""
        if not text.strip() or top <= 0:
            return []
        scores = self.index.scores(text)
        order = [int(i) for i in np.argsort(-scores, kind="stable")[:top] if scores[i] > 0]
        return [Suggestion(uri=self.skills[i].uri, label=self.skills[i].label,
                           framework=self.skills[i].framework,
                           confidence=float(scores[i]) * LEXICAL_CONFIDENCE,
                           triggers=triggers(text, self._documents[i])) for i in order]


class EngineHolder:
    """One engine per app: ready, building in the background, or not yet asked for."""

    def __init__(self, *, skills: tuple[Skill, ...] | None = None,
                 factory: Callable[[], SkillEngine] | None = None,
                 engine: SkillEngine | None = None) -> None:
        self._skills = skills if skills is not None else (engine.skills if engine else None)
        self._factory = factory or (lambda: SkillEngine(self.skills))
        self._engine = engine
        self._lexical: LexicalSuggester | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.failed = False

    @property
    def skills(self) -> tuple[Skill, ...]:
        """The catalogue suggestions come from (all ESCO skills unless told otherwise)."""
        if self._skills is None:
            self._skills = esco_skills()
        return self._skills

    def _build(self) -> None:
        try:
            built = self._factory()
        except Exception:  # the app keeps working on lexical matching
            log.exception("building the skill engine failed; lexical suggestions only")
            self.failed = True
            return
        with self._lock:
            self._engine = built

    def start(self) -> None:
        """Begin building the engine in a background thread (once)."""
        with self._lock:
            if self._engine is not None or self._thread is not None:
                return
            self._thread = threading.Thread(target=self._build, name="skill-engine",
                                            daemon=True)
            self._thread.start()

    @property
    def building(self) -> bool:
        """True while the background build runs."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def engine(self) -> SkillEngine | None:
        """The engine when ready; otherwise start building it and answer None at once."""
        with self._lock:
            ready = self._engine
        if ready is None and not self.failed:
            self.start()
        return ready

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the engine is built (for start-up warming and tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._engine is not None

    def lexical(self) -> LexicalSuggester:
        """The lexical-only suggester over the same catalogue, built on first use."""
        with self._lock:
            if self._lexical is None:
                self._lexical = LexicalSuggester(self.skills)
            return self._lexical

    def find(self, uri: str) -> Skill | None:
        """The catalogue's skill with this URI."""
        return next((s for s in self.skills if s.uri == uri), None)
