"""Entry point of the `openler` command: each area registers its own commands."""

from __future__ import annotations

import typer

from openler.cli import (
    core_commands,
    issuer_commands,
    serve_commands,
    skills_commands,
    skills_frameworks_commands,
    wallet_commands,
)

app = typer.Typer(
    name="openler",
    help="OpenLER: issue, hold, share and verify Learning and Employment Records.",
    no_args_is_help=True,
    add_completion=False,
)

core_commands.register(app)
serve_commands.register(app)
issuer_commands.register(app)
wallet_commands.register(app)
skills_commands.register(app)
skills_frameworks_commands.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
