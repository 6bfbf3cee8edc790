"""Key plans for the one-walk expander: which keys of a node survive expansion in an
active context, in the order JSON-LD 1.1 Processing Algorithms §5.1.2 step 13 reads
them, computed once per (context, key set) and cached on the context.
"""

from __future__ import annotations

from typing import Any

from openler.core.jsonld.active_context import Ctx, Term, Unsupported


def type_strings(value: Any) -> list[str]:
    """An @type value as a list of strings (anything else is outside what we expand)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    raise Unsupported("@type value")


class Plan:
    """How to read a node's keys in one active context (computed once per key set)."""

    __slots__ = ("entries", "keywords", "type_keys", "id_key", "dropped")

    def __init__(self, entries: list[tuple[str, Term, int]], keywords: frozenset[str],
                 type_keys: list[str], id_key: str | None,
                 dropped: tuple[tuple[str, str], ...]) -> None:
        self.dropped = dropped  # keys processing ignores (safe mode reports them)
        self.entries = entries
        self.keywords = keywords
        self.type_keys = type_keys
        self.id_key = id_key


def plan_for(ctx: Ctx, element: dict[str, Any], keys: tuple[str, ...]) -> Plan:
    """Sorted entries that survive expansion: (key, term, 0 property / 1 @type / 2 @id / 3
    other keyword)."""
    entries = []
    keywords = []
    type_keys = []
    id_key = None
    dropped = []
    for key in sorted(element):
        if key == "@context":
            continue
        term = ctx.term(key)
        iri = term.iri
        if iri is None:
            dropped.append((key, "invalid property"))
            continue
        if term.pred is None and iri[0] != "@":
            dropped.append((key, "blank node predicate"))
        code = 0
        if iri[0] == "@":
            keywords.append(iri)
            if iri == "@type":
                code = 1
                type_keys.append(key)
            elif iri == "@id":
                code = 2
                id_key = key
            else:
                code = 3
        entries.append((key, term, code))
    single = [k for k in keywords if k not in ("@type", "@included")]
    if len(single) != len(set(single)):
        raise Unsupported("colliding keywords")
    plan = Plan(entries, frozenset(keywords), type_keys, id_key, tuple(dropped))
    if len(ctx.plans) < 4096:
        ctx.plans[keys] = plan
    return plan
