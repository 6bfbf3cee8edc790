"""RDFC-1.0 canonicalization (temporary reference path through pyld; replaced
by the fast canonicalizer)."""

from __future__ import annotations

from typing import Any

from openler.core.jsonld.loader import DocumentLoader, default_loader


def canonize(document: dict[str, Any], *, loader: DocumentLoader | None = None) -> str:
    """Canonical N-Quads of ``document``."""
    from pyld import jsonld

    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads",
         "documentLoader": loader or default_loader(), "safe": False},
    )
