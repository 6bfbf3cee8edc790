r"""Canonical N-Quads of JSON-LD credentials (RDFC-1.0 over JSON-LD 1.1 toRdf),
as Data Integrity ``*-rdfc-*`` cryptosuites hash them (VC Data Integrity §4,
RDFC-1.0 §4.4).

``canonize`` walks the document once with cached contexts (``to_rdf``) and
canonicalizes the quads (``rdfc10``). A construct the fast walker does not
support falls back to pyld, whose dataset it matches; pyld is therefore a
runtime dependency.

Literals are escaped as RDFC-1.0 §4.4 (canonical N-Quads) requires: ``\b``,
``\f``, ``\t``, ``\n``, ``\r``, ``\"``, ``\\`` and ``\uXXXX`` (uppercase hex) for the
other controls U+0000-U+001F and U+007F. pyld escapes only five of those, so
its output is re-escaped and canonicalized here when it is used.

``safe=True`` (VC Data Integrity "safe mode", see ``safe_mode.py``) raises
UnsafeDataError instead of silently dropping data.
"""

from __future__ import annotations

from typing import Any

from openler.core.errors import CanonicalizationError, CoreError, UnsafeDataError
from openler.core.jsonld import rdfc10
from openler.core.jsonld.active_context import Env
from openler.core.jsonld.loader import DocumentLoader, default_loader
from openler.core.jsonld.nquads import Quad, parse_nquads
from openler.core.jsonld.rdf_walk import document_quads
from openler.core.jsonld.safe_mode import fallback_events, raise_if_unsafe

_ENVS: dict[int, tuple[Any, Env]] = {}


def _env(loader: Any) -> Env:
    hit = _ENVS.get(id(loader))
    if hit is None or hit[0] is not loader:
        if len(_ENVS) > 64:
            _ENVS.clear()
        hit = _ENVS[id(loader)] = (loader, Env(loader))
    return hit[1]


def _core_cause(error: BaseException) -> CoreError | None:
    """The loader's own error hidden inside pyld's wrappers, if any."""
    seen: set[int] = set()
    todo: list[Any] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, CoreError):
            return current
        if isinstance(current, BaseException):
            todo += [current.__cause__, current.__context__, getattr(current, "cause", None)]
            details = getattr(current, "details", None)
            if isinstance(details, dict):
                todo.append(details.get("cause"))
    return None


def _pyld_quads(document: Any, env: Env, safe: bool) -> list[Quad]:
    """pyld's dataset for what the fast walker does not handle (spec-escaped literals)."""
    from pyld import jsonld

    options = {"documentLoader": env.loader, "contextResolver": env.options["contextResolver"]}
    try:
        if safe:
            items = fallback_events(document, options)
            if items:
                raise UnsafeDataError(items)
        text = jsonld.to_rdf(document, {**options, "format": "application/n-quads"})
    except CoreError:
        raise
    except Exception as error:
        cause = _core_cause(error)
        if cause is not None:
            raise cause from error
        reason = getattr(error, "code", None) or getattr(error, "type", None) or type(error).__name__
        inner = error.__cause__
        while inner is not None and getattr(inner, "code", None) is None:
            inner = inner.__cause__
        if inner is not None:
            reason = getattr(inner, "code", reason)
        raise CanonicalizationError(f"JSON-LD document cannot be canonicalized: {reason}") from error
    return parse_nquads(text, unique=False)  # as pyld, like the fast walker


def to_rdf(document: dict[str, Any], *, loader: DocumentLoader | None = None,
           safe: bool = False) -> list[Quad]:
    """The document's RDF dataset as quads of N-Quads terms (blank labels arbitrary)."""
    env = _env(loader or default_loader())
    events: list[Any] | None = [] if safe else None
    try:
        quads = document_quads(env.root, document, events)
    except CoreError:
        raise
    except Exception as error:  # Unsupported, or pyld rejecting a context: let pyld decide
        cause = _core_cause(error)
        if cause is not None:
            raise cause from error
        return _pyld_quads(document, env, safe)
    if events:
        raise_if_unsafe(document, events)
    return quads


def canonize(document: dict[str, Any], *, loader: DocumentLoader | None = None,
             safe: bool = False) -> str:
    """Canonical N-Quads (RDFC-1.0) of ``document``: the bytes a proof signs.

    With ``safe`` it raises UnsafeDataError rather than leave out data the
    document carries (undefined terms, relative IRIs...).
    """
    return rdfc10.canonicalize(to_rdf(document, loader=loader, safe=safe))


def canonize_quads(quads: list[Quad] | str, *, hash_name: str = "sha256",
                   max_work: int | None = None) -> str:
    """Canonical N-Quads of an RDF dataset given as N-Quads text or parsed quads."""
    if isinstance(quads, str):
        quads = parse_nquads(quads)
    return rdfc10.canonicalize(quads, hash_name=hash_name, max_work=max_work)
