"""JSON-LD for credentials: bundled contexts, a strict offline loader, and
RDFC-1.0 canonicalization."""

from openler.core.jsonld.loader import BUNDLED_CONTEXTS, DocumentLoader, default_loader

__all__ = [
    "BUNDLED_CONTEXTS",
    "DocumentLoader",
    "default_loader",
    "canonize",
    "canonize_quads",
    "parse_nquads",
    "to_rdf",
]


def canonize(document: dict, *, loader: DocumentLoader | None = None,
             safe: bool = False) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document: what proofs hash.

    ``safe=True`` raises UnsafeDataError when processing would drop data.
    """
    from openler.core.jsonld.canon import canonize as _canonize

    return _canonize(document, loader=loader, safe=safe)


def canonize_quads(quads, *, hash_name: str = "sha256", max_work: int | None = None) -> str:
    """Canonical N-Quads (RDFC-1.0) of an RDF dataset (N-Quads text or parsed quads)."""
    from openler.core.jsonld.canon import canonize_quads as _canonize_quads

    return _canonize_quads(quads, hash_name=hash_name, max_work=max_work)


def to_rdf(document: dict, *, loader: DocumentLoader | None = None, safe: bool = False) -> list:
    """The RDF dataset (quads of N-Quads terms) of a JSON-LD document."""
    from openler.core.jsonld.canon import to_rdf as _to_rdf

    return _to_rdf(document, loader=loader, safe=safe)


def parse_nquads(text: str, *, unique: bool = True) -> list:
    """Parse N-Quads text into quads of canonical N-Quads terms (duplicates dropped if unique)."""
    from openler.core.jsonld.nquads import parse_nquads as _parse

    return _parse(text, unique=unique)
