"""`openler keys generate`, `openler sign`, `openler verify` (standards core)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the core commands to the root app."""
