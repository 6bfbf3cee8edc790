"""Safe mode: refuse to canonicalize a document whose data JSON-LD would drop.

Spec: W3C VC Data Integrity 1.0, section 4 (algorithms: implementations
should fail when JSON-LD processing drops terms, "safe mode"); VC Data Model
2.0, section 5.2 (every term must be defined by a context: the 2.0 context
has no ``@vocab``, so an undefined property is silently left out of the RDF
that a Data Integrity proof signs, w3c/vc-data-integrity issue 131).
JSON-LD 1.1 Processing Algorithms §5.1.2 (expansion drops keys that do not
expand to an absolute IRI or keyword) and §8 (toRdf drops relative IRIs).

The events follow jsonld.js safe mode (its ``_notSafeEventCodes``); each one
is something that carries data and would not reach the signed RDF:

    invalid property           a key that expands to no absolute IRI (undefined
                               term, term mapped to null, relative IRI, reserved "@x")
    blank node predicate       a key that expands to a blank node (toRdf drops it)
    relative @type reference   a node type that is not an absolute IRI
    relative @id reference     an @id, or a value coerced to @id/@vocab, that is
                               relative (there is no base IRI)
    free-floating scalar       a value at the top level or directly in @graph
    object with only @value /  a value or list object at the top level or in @graph
    object with only @list
    object with only @id       a node at the top level or in @graph with nothing but
                               its id (its other keys, if any, were dropped)
    null @value value          ``{"@value": null}``
    invalid @language value    a value object's @language that is not BCP 47-shaped
    relative datatype          a value object's @type that is not an absolute IRI
                               (pyld fallback only; the fast walker hands such
                               documents to it)
    dropped value              (pyld fallback only) a value missing from the RDF
                               for any of the reasons above

Relative IRIs: pyld, and so the walker that matches it, resolves them against
its default base (http://example.org/base/), where jsonld.js leaves them out
of the RDF; either way what is signed depends on the implementation, so safe
mode refuses them. (OB 3.0 credentials need the extensions context for the
``1EdTechJsonSchemaValidator2019`` schema type, as the spec's own examples do.)

Not events (JSON-LD says "nothing" on purpose, or nothing is lost): a
property whose value is ``null`` or ``[]``, an empty object (jsonld.js's
"empty object": it carries nothing), ``@index`` values, and ``@context``.

The fast walker records events where it already skips something (a branch,
no extra pass); the JSON paths are only worked out when there is something
to report. For documents the walker hands to pyld, ``fallback_events`` runs
two slow pyld passes: the expanded form is searched for relative @id/@type/
datatype IRIs, and a copy of the document with every value replaced by a
unique absolute-IRI marker is turned into RDF; a marker missing from it names
a value that would be dropped.

Known gaps: the fallback does not see a dropped key whose value holds no
scalar at all (e.g. ``"x": {}``); jsonld.js's "relative @vocab reference"
is not an event here, because pyld resolves a relative ``@vocab`` against its
default base, so such terms reach the RDF (as http://example.org/base/...).
"""

from __future__ import annotations

from typing import Any

from openler.core.errors import UnsafeDataError
from openler.core.jsonld.active_context import is_absolute

Item = tuple[str, str, str]  # (JSON path, event, offending value or "")


def _paths(document: Any) -> dict[int, str]:
    """JSON path of every object in ``document`` (first occurrence), keyed by identity."""
    found: dict[int, str] = {}
    todo: list[tuple[Any, str]] = [(document, "$")]
    while todo:
        value, path = todo.pop()
        if isinstance(value, dict):
            found.setdefault(id(value), path)
            todo.extend((v, f"{path}.{k}") for k, v in value.items() if k != "@context")
        elif isinstance(value, list):
            todo.extend((v, f"{path}[{i}]") for i, v in enumerate(value))
    return found


def _search(document: Any, key: Any, value: Any) -> str:
    """The first path where ``key`` holds ``value`` (directly or in a list)."""
    todo: list[tuple[Any, str]] = [(document, "$")]
    while todo:
        node, path = todo.pop(0)
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "@context":
                    continue
                if key is None or k == key:
                    if v == value and not isinstance(v, dict | list):
                        return f"{path}.{k}"
                    if isinstance(v, list):
                        for i, item in enumerate(v):
                            if item == value and not isinstance(item, dict | list):
                                return f"{path}.{k}[{i}]"
                todo.append((v, f"{path}.{k}"))
        elif isinstance(node, list):
            todo.extend((v, f"{path}[{i}]") for i, v in enumerate(node))
    return "$"


def _where(holder_path: str, holder: dict[str, Any], key: Any, value: Any) -> str:
    if key is None:
        return holder_path
    path = f"{holder_path}.{key}"
    held = holder.get(key)
    if isinstance(held, list) and value is not None:
        for i, item in enumerate(held):
            if item == value:
                return f"{path}[{i}]"
    return path


def items_from_events(document: Any, events: list[tuple[str, Any, Any, Any]]) -> list[Item]:
    """Turn the walker's events into (JSON path, event, value) items, in document order."""
    paths = _paths(document)
    items: dict[Item, None] = {}
    for code, holder, key, value in events:
        if holder is not None and id(holder) in paths:
            path = _where(paths[id(holder)], holder, key, value)
        else:
            path = _search(document, key, value)
        shown = "" if value is None or isinstance(value, dict | list) else str(value)
        items[(path, code, shown)] = None
    return sorted(items, key=lambda item: _order(item[0]))


def _order(path: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "")
            .split(".")]


def raise_if_unsafe(document: Any, events: list[tuple[str, Any, Any, Any]]) -> None:
    """Raise UnsafeDataError naming what would be dropped, if anything."""
    if events:
        raise UnsafeDataError(items_from_events(document, events))


# -- the pyld fallback: no events there, so compare -------------------------------

_SKIP = frozenset({"type", "@type", "@context", "@index", "@language", "@direction",
                   "@version", "@protected", "@propagate", "@base", "@vocab", "@import"})


def _marker(paths: dict[str, str], path: str) -> str:
    marker = f"urn:x-openler-probe:{len(paths)}x"
    paths[marker] = path
    return marker


def _mark(value: Any, path: str, paths: dict[str, str]) -> Any:
    """A copy of ``value`` with every scalar (and @id) replaced by a unique marker IRI."""
    if isinstance(value, dict):
        return {k: (v if k in _SKIP else _mark(v, f"{path}.{k}", paths))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_mark(v, f"{path}[{i}]", paths) for i, v in enumerate(value)]
    if value is None:
        return None
    return _marker(paths, path)


def _expanded_events(expanded: Any, out: list[tuple[str, Any, Any, Any]]) -> None:
    """Relative IRIs left in pyld's expanded form (toRdf would drop them)."""
    todo = [expanded]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        is_value = "@value" in node
        for key, value in node.items():
            if key == "@id" and isinstance(value, str) and not is_absolute(value):
                out.append(("relative @id reference", None, None, value))
            elif key == "@type" and not is_value:
                for t in value if isinstance(value, list) else [value]:
                    if isinstance(t, str) and not is_absolute(t):
                        out.append(("relative @type reference", None, None, t))
            elif key == "@type" and isinstance(value, str) and value != "@json" and (
                    not is_absolute(value) or value.startswith("_:")):
                out.append(("relative datatype", None, None, value))
            elif key.startswith("_:"):
                out.append(("blank node predicate", None, None, None))
            elif key != "@value":
                todo.append(value)


def fallback_events(document: Any, options: dict[str, Any]) -> list[Item]:
    """What pyld's processing of ``document`` drops (slow: two pyld passes)."""
    from pyld import jsonld

    events: list[tuple[str, Any, Any, Any]] = []
    _expanded_events(jsonld.expand(document, {**options, "base": None}), events)
    items = items_from_events(document, events)
    paths: dict[str, str] = {}
    marked = _mark(document, "$", paths)
    text = jsonld.to_rdf(marked, {**options, "format": "application/n-quads"})
    items += [(path, "dropped value", "") for marker, path in paths.items()
              if marker not in text]
    return sorted(dict.fromkeys(items), key=lambda item: _order(item[0]))
