"""`openler skills suggest`: JSON shape, --top, --file order, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openler.cli import skills_commands
from openler.cli.main import app
from openler.skills import SkillEngine
from openler.skills.catalog import esco_skills

RUNNER = CliRunner()
KEYS = {"uri", "label", "framework", "confidence"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SkillEngine:
    words = ("forklift", "bread", "python", "accounting")
    chosen = tuple(s for n, s in enumerate(esco_skills())
                   if n % 300 == 0 or any(w in s.label.lower() for w in words))
    return SkillEngine(chosen, cache=tmp_path_factory.mktemp("cli-skills"))


@pytest.fixture(autouse=True)
def small(monkeypatch: pytest.MonkeyPatch, engine: SkillEngine) -> None:
    monkeypatch.setattr(skills_commands, "engine", lambda: engine)


def test_json_list_best_first() -> None:
    result = RUNNER.invoke(app, ["skills", "suggest", "I drive a forklift in a warehouse",
                                 "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == 5
    assert all(set(item) == KEYS for item in items)
    assert items[0]["label"] == "operate forklift"
    assert items[0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    assert {item["framework"] for item in items} == {"ESCO"}
    confidences = [item["confidence"] for item in items]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences)


def test_top() -> None:
    result = RUNNER.invoke(app, ["skills", "suggest", "bake bread", "--top", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2


def test_file_one_line_per_input_in_order(tmp_path: Path) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text("Forklift driver\n\nBake bread and rolls\nWrite Python code\n",
                     encoding="utf-8")
    result = RUNNER.invoke(app, ["skills", "suggest", "--file", str(texts), "--top", "3",
                                 "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    parsed = [json.loads(line) for line in lines]
    assert parsed[1] == []
    assert "forklift" in parsed[0][0]["label"]
    assert "bread" in parsed[2][0]["label"] or "bak" in parsed[2][0]["label"]
    assert "Python" in parsed[3][0]["label"]
    assert all(len(p) == 3 for p in (parsed[0], parsed[2], parsed[3]))


def test_readable_table_names_triggers() -> None:
    result = RUNNER.invoke(app, ["skills", "suggest", "Forklift driver"])
    assert result.exit_code == 0, result.output
    assert "operate forklift" in result.stdout
    assert "forklift" in result.stdout.split("operate forklift", 1)[1]


@pytest.mark.parametrize(("args", "message"), [
    (["skills", "suggest", "--json"], "either TEXT or --file"),
    (["skills", "suggest", "x", "--file", "y.txt", "--json"], "either TEXT or --file"),
    (["skills", "suggest", "   ", "--json"], "the text is empty"),
    (["skills", "suggest", "forklift", "--top", "0", "--json"], "--top must be at least 1"),
    (["skills", "suggest", "--file", "/nonexistent/texts.txt", "--json"], "cannot read"),
])
def test_bad_input_exit_2_with_message(args: list[str], message: str) -> None:
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
