"""A small real engine: the bundled MiniLM over a few hundred real ESCO skills."""

from __future__ import annotations

from pathlib import Path

import pytest

from openler.skills import SkillEngine
from openler.skills.catalog import Skill, esco_skills

TOPICS = ("forklift", "warehouse", "python", "bread", "nurs", "welding", "accounting")


def small_catalogue() -> tuple[Skill, ...]:
    """Skills on a handful of topics plus every 150th ESCO skill as distractors."""
    every = esco_skills()
    chosen = [s for n, s in enumerate(every)
              if n % 150 == 0 or any(t in s.label.lower() for t in TOPICS)]
    return tuple(chosen)


@pytest.fixture(scope="session")
def skills_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("skills-cache")


@pytest.fixture(scope="session")
def catalogue() -> tuple[Skill, ...]:
    return small_catalogue()


@pytest.fixture(scope="session")
def small_engine(skills_cache: Path, catalogue: tuple[Skill, ...]) -> SkillEngine:
    return SkillEngine(catalogue, cache=skills_cache)
