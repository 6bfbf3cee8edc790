"""Refuse to sign claims the proof would not cover: JSON-LD terms that no context defines.

Spec: VC Data Model 2.0, section 5.2 (extensibility: every term must be defined
by a context; the 2.0 base context has no ``@vocab``, so an undefined
property is silently dropped from the RDF that Data Integrity signs) and VC
Data Integrity 1.0, section 4.2 (implementations should fail when a term is
dropped during transformation, "safe mode").

Approach: every scalar value (except those of ``@context``, ``id``, ``type``
and other keywords, which steer JSON-LD processing) is replaced by a unique marker and the
document is turned into RDF once; a marker missing from the RDF names a
property that would not be signed. (An undefined *type* is not dropped: it
becomes a base-relative IRI that the proof still covers, as with the
``1EdTechJsonSchemaValidator2019`` schema type of Open Badges 3.0.)
"""

from __future__ import annotations

from typing import Any

from openler.core.jsonld import DocumentLoader
from openler.core.jsonld.canon import to_rdf  # not the package attribute: see undefined_terms

_SKIP = frozenset({"id", "type"})
_CARRY = frozenset({"@value", "@list", "@set", "@graph", "@included"})


def _skip(key: str) -> bool:
    """Keys that steer JSON-LD processing (contexts, ids, types, @language...) keep their value."""
    return key in _SKIP or (key.startswith("@") and key not in _CARRY)


class _Probe:
    def __init__(self) -> None:
        self.paths: dict[str, str] = {}

    def mark(self, value: Any, path: str) -> Any:
        if isinstance(value, dict):
            return {k: (v if _skip(k) else self.mark(v, f"{path}.{k}"))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self.mark(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if value is None:
            return None
        marker = f"olrprobe{len(self.paths)}x"
        self.paths[marker] = path
        return marker


def undefined_terms(document: dict[str, Any], *, loader: DocumentLoader | None = None
                    ) -> list[str]:
    """JSON paths of values the signature would not cover (empty when all are covered)."""
    probe = _Probe()
    marked = probe.mark(document, "$")
    # ``openler.core.jsonld.to_rdf`` is shadowed by the submodule of that name once it is
    # imported, so the function is taken from ``canon`` directly.
    text = "\n".join(" ".join(t for t in quad if t) for quad in to_rdf(marked, loader=loader))
    missing = [path for marker, path in probe.paths.items() if marker not in text]
    return missing
