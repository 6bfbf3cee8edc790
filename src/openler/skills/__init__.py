"""Offline skill suggestions over ESCO: MiniLM embeddings fused with lexical label matching.

``suggest(text, top=5)`` proposes the skills a text (an achievement's description,
a job ad, a self-reported entry) speaks of, best first, with a confidence in [0, 1]
and the words of the text that triggered each. Pure: no web, database or network;
the model ships in a pip package and the ESCO labels are bundled (data/NOTICE.md).
"""

from __future__ import annotations

import threading

from openler.skills.catalog import Skill, esco_skills
from openler.skills.engine import SkillEngine, Suggestion, Weights

__all__ = ["Skill", "SkillEngine", "Suggestion", "Weights", "default_engine", "suggest"]

_lock = threading.Lock()
_engine: SkillEngine | None = None


def default_engine() -> SkillEngine:
    """The process-wide engine over all ESCO skills, built on first use (then cached on disk)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = SkillEngine(esco_skills())
        return _engine


def suggest(text: str, *, top: int = 5) -> list[Suggestion]:
    """Propose the ``top`` ESCO skills a text speaks of, so a person can confirm or reject them."""
    return default_engine().suggest(text, top=top)
