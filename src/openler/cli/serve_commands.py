"""`openler serve` and database commands (application)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the application commands to the root app."""
