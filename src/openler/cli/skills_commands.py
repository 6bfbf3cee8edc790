"""`openler skills suggest`: propose ESCO skills for a text, offline.

Stable interface other tools call:
  skills suggest TEXT [--top N] --json     prints one JSON list of
                                           {"uri", "label", "framework", "confidence"}, best first
  skills suggest --file FILE [--top N] --json
                                           reads one text per line, prints one JSON list per
                                           line in the same order (an empty line gives [])
  Without --json a readable table (with the trigger words) is printed instead.
  Exit 0 done, 2 unusable (no text, TEXT and --file together, --top below 1, unreadable file).

The first run computes the skill embeddings (a few minutes on one core) and caches them
(OPENLER_SKILLS_CACHE, default ~/.local/share/openler/skills); later runs start in seconds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from openler.skills import SkillEngine, Suggestion

EXIT_UNUSABLE = 2

skills_app = typer.Typer(help="Skills: suggest ESCO skills for a text.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the skills commands to the root app."""
    app.add_typer(skills_app, name="skills")


def engine() -> SkillEngine:
    """The suggestion engine (a seam tests replace with a small catalogue)."""
    from openler.skills import default_engine

    return default_engine()


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_UNUSABLE)


def _print_table(text: str, suggestions: list[Suggestion]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Skills for: {text[:60]}{'…' if len(text) > 60 else ''}")
    for column in ("Skill", "Framework", "Confidence", "Triggered by"):
        table.add_column(column)
    for item in suggestions:
        table.add_row(item.label, item.framework, f"{item.confidence:.2f}",
                      ", ".join(item.triggers) or "(meaning only)")
    Console().print(table)


@skills_app.command("suggest")
def suggest(
    text: Annotated[str | None, typer.Argument(help="The text to read.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="One text per line.")] = None,
    top: Annotated[int, typer.Option("--top", help="How many skills per text.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lists.")] = False,
) -> None:
    """Suggest the ESCO skills a text speaks of, best first."""
    if top < 1:
        raise _fail("--top must be at least 1")
    if (text is None) == (file is None):
        raise _fail("give either TEXT or --file FILE (exactly one)")
    if file is not None:
        try:
            texts = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"cannot read {file}: {exc}") from exc
    else:
        assert text is not None
        if not text.strip():
            raise _fail("the text is empty")
        texts = [text]
    suggester = engine()
    for line in texts:
        found = suggester.suggest(line, top=top) if line.strip() else []
        if as_json:
            typer.echo(json.dumps([item.to_dict() for item in found], ensure_ascii=False))
        else:
            _print_table(line, found)
