"""openler.skills.suggest behaviour on real ESCO skills with the bundled model."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from openler.skills import SkillEngine, Suggestion
from openler.skills.catalog import Skill, esco_skills
from openler.skills.engine import clauses
from openler.skills.lexical import terms, triggers, words

FORKLIFT = ("We need a warehouse operative who drives forklifts safely, loads lorries "
            "and keeps stock records.")


def test_forklift_text_suggests_forklift_skills(small_engine: SkillEngine) -> None:
    found = small_engine.suggest(FORKLIFT, top=5)
    assert len(found) == 5
    assert found[0].label == "operate forklift"
    assert found[0].uri == "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
    assert found[0].framework == "ESCO"
    assert all("forklift" in s.label or "warehouse" in s.label for s in found)
    short = small_engine.suggest("Forklift driver", top=2)
    assert {s.label for s in short} == {"operate forklift", "conduct forklift inspections"}


def test_other_domain_gives_other_skills(small_engine: SkillEngine) -> None:
    found = small_engine.suggest("Senior developer writing Python code for data pipelines.")
    assert any("Python" in s.label for s in found[:2])
    assert not any("forklift" in s.label for s in found)


def test_triggers_are_words_of_the_text(small_engine: SkillEngine) -> None:
    found = small_engine.suggest(FORKLIFT, top=5)
    text_words = set(words(FORKLIFT))
    assert all(set(s.triggers) <= text_words for s in found)
    assert "forklifts" in found[0].triggers


def test_confidence_in_unit_interval_and_sorted(small_engine: SkillEngine) -> None:
    found = small_engine.suggest("Bake bread and pastries in a busy bakery at night.", top=10)
    confidences = [s.confidence for s in found]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert confidences == sorted(confidences, reverse=True)
    assert confidences[0] > confidences[-1]


def test_top_and_empty_text(small_engine: SkillEngine) -> None:
    assert len(small_engine.suggest(FORKLIFT, top=3)) == 3
    assert len(small_engine.suggest(FORKLIFT, top=1)) == 1
    assert small_engine.suggest("   ", top=5) == []
    assert small_engine.suggest(FORKLIFT, top=0) == []


def test_to_dict_is_the_stable_json_shape() -> None:
    item = Suggestion("urn:x", "operate forklift", "ESCO", 0.123456, ("forklift",))
    assert item.to_dict() == {"uri": "urn:x", "label": "operate forklift",
                              "framework": "ESCO", "confidence": 0.1235}


def test_loads_offline_and_reuses_the_cache(monkeypatch: pytest.MonkeyPatch,
                                            skills_cache: Path, catalogue: tuple[Skill, ...],
                                            small_engine: SkillEngine) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                 "HF_ENDPOINT", "HF_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the skills engine tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert list(skills_cache.glob("esco-*.npz")), "the first engine wrote its cache file"
    again = SkillEngine(catalogue, cache=skills_cache)
    assert [s.label for s in again.suggest(FORKLIFT)] == [
        s.label for s in small_engine.suggest(FORKLIFT)]


def test_bundled_esco_table() -> None:
    skills = esco_skills()
    assert len(skills) == 13896
    by_label = {s.label: s for s in skills}
    assert "drive a forklift" in by_label["operate forklift"].alternative
    uris = [s.uri for s in skills if s.uri]
    assert len(uris) > 13_500
    assert all(uri.startswith("http://data.europa.eu/esco/skill/") for uri in uris)


def test_clauses_and_lexical_helpers() -> None:
    assert clauses("Drive forklifts, load lorries; keep records.") == [
        "Drive forklifts", "load lorries", "keep records"]
    assert terms("Driving the Forklifts") == ["driv", "forklift"]
    assert triggers("Drives FORKLIFTS daily", "operate forklift drive a forklift") == (
        "drives", "forklifts")
