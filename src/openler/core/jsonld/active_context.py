"""Cached JSON-LD 1.1 active contexts (JSON-LD 1.1 Processing Algorithms §4.1, §4.2).

Context processing itself is delegated to pyld (the reference we must match
byte for byte), but each (active context, local context) pair is processed
once per loader and kept: credentials reuse a handful of contexts, so after
the first document every lookup is a dict hit. Term information needed by
expansion (IRI, type mapping, container, scoped context, language) is
memoized per active context.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cachetools import LRUCache
from pyld import jsonld as _pyld
from pyld.context_resolver import ContextResolver

_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
_MAX_CHILDREN = 512
_MAX_MEMO = 20_000  # documents choose keys freely under @vocab: bound the memo tables
_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Unsupported(Exception):
    """The fast path met a construct it does not handle; the caller falls back to pyld."""


class Term:
    """What expansion needs to know about one key in one active context.

    ``kind`` and ``suffix`` pre-decide how a plain string value becomes a term:
    0 literal (``suffix`` is its datatype/language tail), 1 @id, 2 @vocab,
    3 the general path.
    """

    __slots__ = ("iri", "container", "type", "language", "scoped", "reverse", "index",
                 "pred", "kind", "suffix", "plain")

    def __init__(self, iri: str | None, container: frozenset[str], type_: Any, language: Any,
                 scoped: Any, reverse: bool, index: Any) -> None:
        self.iri = iri
        self.container = container
        self.type = type_
        self.language = language
        self.scoped = scoped
        self.reverse = reverse
        self.index = index
        self.pred = ("<" + iri + ">" if iri and iri[0] != "@" and not iri.startswith("_:")
                     else None)
        self.plain = not (container - {"@set"}) and type_ != "@json"
        self.kind, self.suffix = 3, ""
        if type_ is None or type_ == "@none":
            self.kind = 0
            self.suffix = "@" + language if language else ""
        elif type_ == "@id":
            self.kind = 1
        elif type_ == "@vocab":
            self.kind = 2
        elif type_ not in (_XSD_DOUBLE, "@json") and isinstance(type_, str):
            self.kind = 0
            self.suffix = "" if type_ == _XSD_STRING else "^^<" + type_ + ">"


def is_absolute(iri: str, _cache: dict[str, bool] = {}) -> bool:  # noqa: B006 - deliberate memo
    """pyld's absolute-IRI test (terms failing it are dropped from the RDF output)."""
    hit = _cache.get(iri)
    if hit is None:
        hit = _ABSOLUTE.match(iri) is not None
        if len(_cache) > 50_000:
            _cache.clear()
        _cache[iri] = hit
    return hit


class Env:
    """Per-loader processing state: pyld processor, options and the context registry."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.processor = _pyld.JsonLdProcessor()
        self.options = {
            "documentLoader": loader,
            "contextResolver": ContextResolver(LRUCache(maxsize=1000), loader),
            "base": "",
            "processingMode": "json-ld-1.1",
            "isFrame": False,
            "keepFreeFloatingNodes": False,
            "extractAllScripts": True,
        }
        self.registry: dict[int, Ctx] = {}
        self.root = self.wrap(self.processor._get_initial_context(self.options))

    def wrap(self, raw: Any) -> Ctx:
        ctx = self.registry.get(id(raw))
        if ctx is None or ctx.raw is not raw:
            if len(self.registry) > 20_000:
                self.registry.clear()
            ctx = self.registry[id(raw)] = Ctx(self, raw)
        return ctx


class Ctx:
    """One active context with memo tables for the lookups expansion makes."""

    __slots__ = ("env", "raw", "mappings", "has_prev", "_prev", "_terms", "_vocab", "_children",
                 "_typed", "plans", "typed_plans", "_relative", "relative_types")

    def __init__(self, env: Env, raw: Any) -> None:
        self.env = env
        self.raw = raw
        self.mappings = raw["mappings"]
        self.has_prev = bool(raw.get("previousContext"))
        self._prev: Ctx | None = None
        self._terms: dict[str, Term] = {}
        self._vocab: dict[str, Any] = {}
        self._children: dict[Any, tuple[Any, Ctx]] = {}
        self._typed: dict[tuple[str, ...], Ctx] = {}
        self.plans: dict[tuple[str, ...], Any] = {}
        self.typed_plans: dict[Any, Any] = {}
        self._relative: tuple[dict[str, bool], dict[str, bool]] = ({}, {})  # safe mode: id, vocab
        self.relative_types: set[str] = set()  # type values type_term resolved via the base

    # -- context processing ---------------------------------------------------
    def process(self, local: Any, *, override_protected: bool = False,
                propagate: bool = True, stable: bool = False) -> Ctx:
        """The active context after applying ``local`` (processed once, then cached).

        ``stable`` contexts (scoped contexts held by a term definition) are keyed
        by identity; contexts embedded in documents by value.
        """
        if isinstance(local, str):
            key: Any = local
        elif stable:
            key = id(local)
        elif isinstance(local, list) and all(isinstance(x, str) for x in local):
            key = tuple(local)
        else:
            key = "json:" + json.dumps(local, sort_keys=True)
        key = (key, override_protected, propagate)
        hit = self._children.get(key)
        if hit is not None and (not stable or hit[0] is local):
            return hit[1]
        raw = self.env.processor._process_context(
            self.raw, local, self.env.options,
            override_protected=override_protected, propagate=propagate)
        child = self.env.wrap(raw)
        if len(self._children) > _MAX_CHILDREN:
            self._children.clear()
        self._children[key] = (local, child)
        return child

    @property
    def prev(self) -> Ctx:
        """The context to revert to when a type-scoped context does not propagate."""
        if self._prev is None:
            self._prev = self.env.wrap(self.raw["previousContext"]) if self.has_prev else self
        return self._prev

    def with_types(self, types: tuple[str, ...]) -> Ctx:
        """Apply the type-scoped contexts of ``types`` (sorted) as pyld does."""
        hit = self._typed.get(types)
        if hit is None:
            hit = self
            for type_ in types:
                entry = self.mappings.get(type_)
                scoped = entry.get("@context") if entry else None
                if scoped is not None and scoped is not False:
                    hit = hit.process(scoped, propagate=False, stable=True)
            self._typed[types] = hit
        return hit

    # -- IRI expansion --------------------------------------------------------
    def vocab(self, value: str) -> Any:
        """Expand a key or type (vocab-relative), memoized."""
        hit = self._vocab.get(value, self)
        if hit is self:
            hit = self.env.processor._expand_iri(self.raw, value, vocab=True)
            if len(self._vocab) > _MAX_MEMO:
                self._vocab.clear()
            self._vocab[value] = hit
        return hit

    def type_iri(self, value: str) -> Any:
        """Expand a type or @vocab-coerced value (vocab-relative, then document base)."""
        key = "\x00" + value
        hit = self._vocab.get(key, self)
        if hit is self:
            hit = self.env.processor._expand_iri(self.raw, value, vocab=True, base="")
            if len(self._vocab) > _MAX_MEMO:
                self._vocab.clear()
            self._vocab[key] = hit
        return hit

    def type_term(self, value: str) -> str:
        """The N-Quads term of a node type: <iri>, a raw _: label, or '' if relative."""
        key = "\x01" + value
        hit = self._vocab.get(key)
        if hit is None:
            iri = self.type_iri(value)
            if iri is None or not isinstance(iri, str):
                raise Unsupported("type expands to null")
            if not iri.startswith("_:"):
                iri = "<" + iri + ">" if is_absolute(iri) else ""
            if self.relative(value, True):
                if len(self.relative_types) > _MAX_MEMO:
                    self.relative_types.clear()
                    self._vocab.clear()  # keep the two in step: memo misses refill both
                self.relative_types.add(value)
            hit = iri
            self._vocab[key] = hit
        return hit

    def relative(self, value: str, vocab: bool = False) -> bool:
        """Whether ``value`` only becomes an IRI through the (default) base: safe mode's
        "relative @id / @type reference" (memoized)."""
        memo = self._relative[vocab]
        hit = memo.get(value)
        if hit is None:
            iri = self.env.processor._expand_iri(self.raw, value, vocab=vocab)
            hit = not (isinstance(iri, str) and (iri[:1] == "@" or iri.startswith("_:")
                                                 or is_absolute(iri)))
            if len(memo) > _MAX_MEMO:
                memo.clear()
            memo[value] = hit
        return hit

    def id_iri(self, value: str) -> Any:
        """Expand an @id value (document-relative)."""
        if value[:1] != "@":
            colon = value.find(":")
            if colon > 0:
                prefix = value[:colon]
                if prefix == "_" or value.startswith("//", colon + 1):
                    return value
                entry = self.mappings.get(prefix)
                if entry and entry.get("_prefix"):
                    return entry["@id"] + value[colon + 1:]
                if is_absolute(value):
                    return value
        return self.env.processor._expand_iri(self.raw, value, base="")

    def term(self, key: str) -> Term:
        """Memoized term information for ``key``."""
        hit = self._terms.get(key)
        if hit is None:
            raw = self.raw
            iri = self.vocab(key)
            if iri is not None and iri[0] != "@" and not is_absolute(iri):
                iri = None
            entry = self.mappings.get(key) if key is not None else None
            language = raw.get("@language")
            if entry:
                if "@language" in entry:
                    language = entry["@language"]
                container = entry.get("@container") or ()
                if isinstance(container, str):
                    container = (container,)
                hit = Term(iri, frozenset(container), entry.get("@type"), language,
                           entry.get("@context"), bool(entry.get("reverse")),
                           entry.get("@index"))
            else:
                if key in self.mappings:
                    language = None
                hit = Term(iri, frozenset(), None, language, None, False, None)
            if len(self._terms) > _MAX_MEMO:
                self._terms.clear()
            self._terms[key] = hit
        return hit
