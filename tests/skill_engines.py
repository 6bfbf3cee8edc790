"""Small skill engines for tests of the suggestion pages and services.

Reuses the builder of tests/skills/conftest.py (a few hundred real ESCO skills and
the bundled MiniLM), built once per test process, with its embeddings cached in a
temporary folder; a holder that is never ready shows the lexical-only path."""

from __future__ import annotations

import importlib.util
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from openler.skills import SkillEngine
from openler.skills.catalog import Skill
from openler.skills_service.holder import EngineHolder

_BUILDER = Path(__file__).resolve().parent / "skills" / "conftest.py"


@lru_cache(maxsize=1)
def small_catalogue() -> tuple[Skill, ...]:
    """The skills tests/skills/conftest.py chooses (forklift, python, bread... and distractors)."""
    spec = importlib.util.spec_from_file_location("_skills_test_builder", _BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.small_catalogue()


@lru_cache(maxsize=1)
def small_engine() -> SkillEngine:
    """The small real engine, built once per process."""
    cache = Path(tempfile.mkdtemp(prefix="openler-skills-test-"))
    return SkillEngine(small_catalogue(), cache=cache)


def ready_holder() -> EngineHolder:
    """A holder whose engine is the small one, ready at once."""
    return EngineHolder(engine=small_engine())


def loading_holder() -> tuple[EngineHolder, threading.Event]:
    """A holder whose build waits for the event: lexical-only until it is set."""
    gate = threading.Event()

    def build() -> SkillEngine:
        gate.wait(30)
        return small_engine()

    return EngineHolder(skills=small_catalogue(), factory=build), gate
