"""JSON-LD for credentials: bundled contexts, a strict offline loader, and
RDFC-1.0 canonicalization."""

from openler.core.jsonld.loader import BUNDLED_CONTEXTS, DocumentLoader, default_loader

__all__ = ["BUNDLED_CONTEXTS", "DocumentLoader", "default_loader", "canonize"]


def canonize(document: dict, *, loader: DocumentLoader | None = None) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document: what proofs hash."""
    from openler.core.jsonld.canon import canonize as _canonize

    return _canonize(document, loader=loader)
