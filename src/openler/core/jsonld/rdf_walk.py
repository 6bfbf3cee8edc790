"""JSON-LD to RDF in one walk (JSON-LD 1.1 Processing Algorithms §5 Expansion, §7.1
Node Map Generation, §8 Deserialize JSON-LD to RDF).

Instead of expanding, flattening and then converting, the walker emits quads
while it expands: a node's subject is fixed before its properties are read,
nested nodes emit their own quads, and lists and graph containers are written
where they occur. Blank node labels are arbitrary here (canonicalization
relabels them). Every decision mirrors pyld's expansion so the dataset is the
same; constructs outside what credentials use raise ``Unsupported`` and the
caller falls back to pyld.

Safe mode (``Walker(safe=True)``): where the walker already skips something
that carries data, it also records an event ``(code, holder, key, value)``;
``safe_mode.py`` lists the events and turns them into JSON paths.
"""

from __future__ import annotations

import re
from typing import Any

from openler.core.jsonld.active_context import Ctx, Term, Unsupported, is_absolute
from openler.core.jsonld.nquads import RDF, Quad, escape_spec
from openler.core.jsonld.rdf_literals import to_literal
from openler.core.jsonld.rdf_plan import Plan, plan_for, type_strings

RDF_TYPE = "<" + RDF + "type>"
RDF_FIRST = "<" + RDF + "first>"
RDF_REST = "<" + RDF + "rest>"
RDF_NIL = "<" + RDF + "nil>"
_NO_TERM = Term(None, frozenset(), None, None, None, False, None)
_MAPS = frozenset({"@language", "@index", "@id", "@type"})
_OK_VALUE_KEYS = frozenset({"@value", "@type", "@language", "@direction", "@index"})
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
# What N-Quads can carry as a language tag (its LANGTAG production). A tag outside it
# has no valid RDF form: such documents go to the reference path, which refuses them.
_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*\Z")
Event = tuple[str, Any, Any, Any]  # (code, holder dict or None, key, value)


class _List(list):
    """An RDF collection waiting for its subject (written only if the triple is)."""


class Walker:
    """Expands one document and collects its quads."""

    __slots__ = ("out", "repeats", "labels", "count", "events")

    def __init__(self, safe: bool = False) -> None:
        self.out: list[Quad] = []
        self.repeats: list[Quad] = []
        self.labels: dict[str, str] = {}
        self.count = 0
        self.events: list[Event] | None = [] if safe else None

    def unsafe(self, code: str, holder: Any, key: Any, value: Any = None) -> None:
        """Record data that processing drops (only called in safe mode)."""
        self.events.append((code, holder, key, value))  # type: ignore[union-attr]

    def dropped_keys(self, element: dict[str, Any], plan: Plan) -> None:
        for key, code in plan.dropped:
            self.unsafe(code, element, key)

    def blank(self) -> str:
        self.count += 1
        return "_:b" + str(self.count)

    def node_term(self, iri: str | None) -> str:
        """The term for an expanded IRI: relabelled blank node, <iri>, or '' if relative."""
        if iri is None:
            raise Unsupported("null IRI")
        if iri.startswith("_:"):
            label = self.labels.get(iri)
            if label is None:
                label = self.labels[iri] = self.blank()
            return label
        return "<" + iri + ">" if is_absolute(iri) else ""

    # -- §5.1 expansion, emitting ------------------------------------------------
    def expand(self, ctx: Ctx, prop: str | None, element: Any, graph: Any,
               inside_list: bool = False, inside_index: bool = False,
               default_id: str | None = None) -> list[Any]:
        if element is None:
            return []
        if isinstance(element, dict):
            return self.expand_map(ctx, prop, element, graph, inside_list, inside_index,
                                   default_id)
        if isinstance(element, list):
            if prop is not None and "@list" in ctx.term(prop).container:
                inside_list = True
            result: list[Any] = []
            for item in element:
                if inside_list and (isinstance(item, list) or (
                        isinstance(item, dict) and any(ctx.vocab(k) == "@set" for k in item))):
                    raise Unsupported("list of lists")
                result.extend(self.expand(ctx, prop, item, graph, inside_list, inside_index,
                                          default_id))
            return result
        if not inside_list and (prop is None or ctx.term(prop).iri == "@graph"):
            if self.events is not None:
                self.unsafe("free-floating scalar", None, prop, element)
            return []
        return [self.scalar(ctx, prop, element)]

    def scalar(self, ctx: Ctx, prop: str | None, value: Any) -> str:
        term = ctx.term(prop) if prop is not None else _NO_TERM
        if term.iri is not None and term.iri[0] == "@":
            raise Unsupported("scalar under a keyword")
        type_ = term.type
        if isinstance(value, str):
            if type_ == "@id" or type_ == "@vocab":
                vocab = type_ == "@vocab"
                obj = self.node_term(ctx.type_iri(value) if vocab else ctx.id_iri(value))
                if self.events is not None and (not obj or (
                        ctx.relative(value, True) if vocab else not is_absolute(value))):
                    self.unsafe("relative @id reference", None, prop, value)
                return obj
            if type_ is None or type_ == "@none":
                return to_literal(value, None, term.language)
        if type_ is None or type_ in ("@id", "@vocab", "@none"):
            return to_literal(value, None, None)
        return to_literal(value, type_, None)

    def prepare(self, ctx: Ctx, element: dict[str, Any]) -> tuple[Ctx, Ctx, Plan]:
        """Embedded and type-scoped contexts of a node (pyld _prepare_nested_context)."""
        if "@context" in element:
            local = element["@context"]
            if isinstance(local, dict) and len(local) == 1 and "@context" in local:
                raise Unsupported("invalid embedded context")
            ctx = ctx.process(local)
        keys = tuple(element)
        plan = ctx.plans.get(keys) or plan_for(ctx, element, keys)
        type_keys = plan.type_keys
        if not type_keys:
            return ctx, ctx, plan
        memo_key: tuple[tuple[str, ...], Any] | None = None
        if len(type_keys) == 1:
            value = element[type_keys[0]]
            if value.__class__ is str:
                memo_key = (keys, value)
            elif value.__class__ is list and all(v.__class__ is str for v in value):
                memo_key = (keys, tuple(value))
            if memo_key is not None:
                hit = ctx.typed_plans.get(memo_key)
                if hit is not None:
                    return hit[0], ctx, hit[1]
        seq: list[str] = []
        for key in type_keys:
            value = element[key]
            if value.__class__ is str:
                seq.append(value)
            elif isinstance(value, list):
                seq.extend(sorted(v for v in value if isinstance(v, str)))
        typed = ctx.with_types(tuple(seq)) if seq else ctx
        if typed is not ctx:
            plan = typed.plans.get(keys) or plan_for(typed, element, keys)
        if memo_key is not None and len(ctx.typed_plans) < 4096:
            ctx.typed_plans[memo_key] = (typed, plan)
        return typed, ctx, plan

    def expand_map(self, ctx: Ctx, prop: str | None, element: dict[str, Any], graph: Any,
                   inside_list: bool, inside_index: bool, default_id: str | None,
                   pterm: Term | None = None) -> list[Any]:
        if pterm is None:
            pterm = ctx.term(prop) if prop is not None else _NO_TERM
        exp_prop = pterm.iri
        if ctx.has_prev:
            must_revert = not inside_index
            if must_revert and len(element) <= 2 and "@context" not in element:
                for key in sorted(element):
                    expanded = ctx.vocab(key)
                    if expanded == "@value":
                        must_revert = False
                        break
                    if expanded == "@id" and len(element) == 1:
                        must_revert = False
                        break
            if must_revert:
                ctx = ctx.prev
        if pterm.scoped is not None:
            ctx = ctx.process(pterm.scoped, override_protected=True, stable=True)
        ctx, tsc, plan = self.prepare(ctx, element)
        events = self.events
        if events is not None and plan.dropped:
            self.dropped_keys(element, plan)
        keywords = plan.keywords
        if keywords:
            top = not inside_list and (prop is None or exp_prop == "@graph")
            if "@value" in keywords:
                result = self.value_object(ctx, tsc, element, plan)
                if top and events is not None and result:
                    self.unsafe("object with only @value", element, None)
                return [] if top else result
            if "@list" in keywords or "@set" in keywords:
                if top and events is not None and "@list" in keywords:
                    self.unsafe("object with only @list", element, None)
                return self.list_or_set(ctx, prop, exp_prop, element, plan.entries, graph, top)
            if top and prop is None and "@graph" in keywords and "@id" not in keywords:
                # pyld unwraps a top-level object holding only @graph into the default graph
                if len(plan.entries) != 1:
                    raise Unsupported("top-level @graph beside properties")
                key = plan.entries[0][0]
                if not isinstance(element[key], dict | list):
                    raise Unsupported("@graph value")
                self.expand(ctx, key, element[key], graph)
                return []
        iri = default_id
        if plan.id_key is not None:
            value = element[plan.id_key]
            if value.__class__ is not str:
                raise Unsupported("non-string @id")
            iri = ctx.id_iri(value)
            if iri is None:
                raise Unsupported("@id expands to null")
        subject = self.blank() if iri is None else self.node_term(iri)
        if events is not None:
            if not subject or (plan.id_key is not None and not is_absolute(element[plan.id_key])):
                self.unsafe("relative @id reference", element, plan.id_key,
                            element[plan.id_key] if plan.id_key is not None else iri)
            elif not inside_list and (prop is None or exp_prop == "@graph") and len(
                    plan.entries) == 1 and plan.entries[0][2] == 2:
                self.unsafe("object with only @id", element, None)
        self.node_body(ctx, tsc, prop, element, plan.entries, subject, graph)
        return [subject]

    def node_body(self, ctx: Ctx, tsc: Ctx, prop: str | None, element: dict[str, Any],
                  entries: list[tuple[str, Term, int]], subject: str, graph: Any) -> None:
        out = self.out
        live = bool(subject) and graph is not False
        nests = None
        for key, term, code in entries:
            value = element[key]
            if code:
                if code == 1:
                    if not live:
                        if any(t.__class__ is not str for t in type_strings(value)):
                            raise Unsupported("@type value")
                        continue
                    for t in (value,) if value.__class__ is str else type_strings(value):
                        if t.__class__ is not str:
                            raise Unsupported("@type value")
                        obj = tsc.type_term(t)
                        if obj[:1] == "_":
                            obj = self.node_term(obj)
                        if obj:
                            out.append((subject, RDF_TYPE, obj, graph))
                        if self.events is not None and (not obj or t in tsc.relative_types):
                            self.unsafe("relative @type reference", element, key, t)
                    continue
                if code == 2:
                    continue
                iri = term.iri
                if iri == "@graph":
                    if not isinstance(value, dict | list) or term.scoped is not None:
                        raise Unsupported("@graph value")
                    self.expand(ctx, key, value, subject or False)
                elif iri == "@index":
                    if not isinstance(value, str):
                        raise Unsupported("@index value")
                elif iri == "@nest":
                    nests = nests or []
                    nests.append((key, term))
                else:
                    raise Unsupported(f"{iri} in a node object")
                continue
            if term.reverse:
                raise Unsupported("reverse property")
            if term.scoped is None:
                term_ctx = ctx
                vterm = term
            else:
                term_ctx = ctx.process(term.scoped, override_protected=True, stable=True)
                vterm = term_ctx.term(key)
            predicate = term.pred if live else None
            if not term.plain:
                objs = self.container_values(ctx, term_ctx, key, term, value, graph)
            else:
                objs = []
                kind = vterm.kind
                for item in (value if value.__class__ is list else (value,)):
                    cls = item.__class__
                    if cls is str:
                        if kind == 0:
                            if not item.isprintable() or '"' in item or "\\" in item:
                                item = escape_spec(item)
                            if predicate is not None:
                                out.append((subject, predicate,
                                            '"' + item + '"' + vterm.suffix, graph))
                            continue
                        if kind == 1:
                            obj = self.node_term(term_ctx.id_iri(item))
                            if self.events is not None and (not obj or not is_absolute(item)):
                                self.unsafe("relative @id reference", element, key, item)
                        else:
                            obj = self.scalar(term_ctx, key, item)
                        if predicate is not None and obj:
                            out.append((subject, predicate, obj, graph))
                    elif cls is dict:
                        objs += self.expand_map(term_ctx, key, item, graph, False, False, None,
                                                vterm)
                    elif item is None:
                        continue
                    elif cls is list:
                        objs += self.expand(term_ctx, key, item, graph)
                    else:
                        objs.append(self.scalar(term_ctx, key, item))
            if predicate is None:
                continue
            for obj in objs:
                if obj.__class__ is _List:
                    if obj:
                        out.append((subject, predicate, self.emit_list(obj, graph), graph))
                    else:  # pyld never merges list values, so empty lists may repeat
                        self.repeats.append((subject, predicate, RDF_NIL, graph))
                elif obj:
                    out.append((subject, predicate, obj, graph))
        if nests:
            for key, term in nests:
                nest_ctx = ctx if term.scoped is None else ctx.process(
                    term.scoped, override_protected=True, stable=True)
                for nested in (element[key] if isinstance(element[key], list) else [element[key]]):
                    if not isinstance(nested, dict):
                        raise Unsupported("@nest value")
                    nctx, ntsc, nplan = self.prepare(nest_ctx, nested)
                    if self.events is not None and nplan.dropped:
                        self.dropped_keys(nested, nplan)
                    if nplan.keywords & {"@value", "@id", "@list", "@set", "@graph"}:
                        raise Unsupported("keyword inside @nest")
                    self.node_body(nctx, ntsc, prop, nested, nplan.entries, subject, graph)

    def container_values(self, ctx: Ctx, term_ctx: Ctx, key: str, term: Term, value: Any,
                         graph: Any) -> list[Any]:
        container = term.container
        if not container:
            return [to_literal(value, "@json", None)]
        is_map = isinstance(value, dict)
        if "@graph" in container and ("@list" in container or "@id" in container
                                      or "@index" in container):
            raise Unsupported("combined @graph container")
        if "@type" in container and is_map:
            raise Unsupported("@type map")
        if "@language" in container and is_map:
            objs: list[Any] = []
            for lang in sorted(value):
                none = term_ctx.vocab(lang) == "@none"
                items = value[lang] if isinstance(value[lang], list) else [value[lang]]
                for item in items:
                    if item is None:
                        continue
                    if not isinstance(item, str):
                        raise Unsupported("language map value")
                    if not none and _LANGTAG.match(lang) is None:
                        raise Unsupported("language map key that is no language tag")
                    objs.append(to_literal(item, None, None if none else lang.lower()))
        elif "@index" in container and is_map:
            if term_ctx.term(key).index not in (None, "@index"):
                raise Unsupported("property-valued index")
            objs = []
            for k in sorted(value):
                v = value[k]
                objs.extend(self.expand(term_ctx, key, v if isinstance(v, list) else [v], graph,
                                        inside_index=True))
            literals = [o for o in objs if o.__class__ is str and o[:1] == '"']
            if len(literals) != len(set(literals)):
                raise Unsupported("equal values under different indexes (pyld keeps both)")
        elif "@id" in container and is_map:
            objs = []
            for k in sorted(value):
                v = value[k]
                node_id = None if term_ctx.vocab(k) == "@none" else term_ctx.id_iri(k)
                for obj in self.expand(term_ctx, key, v if isinstance(v, list) else [v], graph,
                                       inside_index=True, default_id=node_id):
                    if isinstance(obj, _List) or obj[:1] == '"':
                        raise Unsupported("value in an @id map")
                    objs.append(obj)
        elif term.type == "@json":
            objs = [to_literal(value, "@json", None)]
        elif "@graph" in container:
            objs = []
            for item in value if isinstance(value, list) else [value]:
                name = self.blank()
                result = self.expand(term_ctx, key, item, name)
                if len(result) > 1 or (result and isinstance(result[0], _List)):
                    raise Unsupported("graph container item")
                if result:
                    objs.append(name)
        else:
            objs = self.expand(term_ctx, key, value, graph)
        if not objs and not isinstance(value, list) and not (is_map and container & _MAPS):
            return objs  # expanded to null: pyld drops the entry before wrapping a list
        if "@list" in container and not (is_map and len(objs) == 1
                                         and isinstance(objs[0], _List)):
            if any(isinstance(o, _List) for o in objs):
                raise Unsupported("list of lists")
            objs = [_List(objs)]
        return objs

    def value_object(self, ctx: Ctx, tsc: Ctx, element: dict[str, Any],
                     plan: Plan) -> list[Any]:
        type_keys = plan.type_keys
        found: dict[str, Any] = {}
        for key, term, _code in plan.entries:
            if term.iri not in _OK_VALUE_KEYS or term.iri in found or term.iri == "@index":
                raise Unsupported("value object entries")
            found[term.iri] = element[key]
        datatype = None
        if "@type" in found:
            t = found["@type"]
            if t is not None:
                if not isinstance(t, str):
                    raise Unsupported("value object @type")
                datatype = tsc.type_iri(t)
                if datatype != "@json" and (not isinstance(datatype, str) or not is_absolute(
                        datatype) or datatype.startswith("_:")):
                    raise Unsupported("value object @type IRI")
        is_json = False
        if type_keys:
            first = element[type_keys[0]]
            first = first[0] if isinstance(first, list) and first else first
            is_json = isinstance(first, str) and ctx.vocab(first) == "@json"
        value = found["@value"]
        if datatype == "@json":
            if isinstance(value, list) and not is_json:
                raise Unsupported("array @value")
            return [to_literal(value, "@json", None)]
        if isinstance(value, dict | list):
            raise Unsupported("structured @value")
        if value is None:
            if self.events is not None:
                self.unsafe("null @value value", element, None)
            return []
        language = found.get("@language")
        if language is not None:
            if not isinstance(language, str) or not isinstance(value, str) or datatype:
                raise Unsupported("value object @language")
            if self.events is not None and _LANGUAGE.match(language) is None:
                self.unsafe("invalid @language value", element, None, language)
            elif _LANGTAG.match(language) is None:  # (safe mode refuses it above)
                raise Unsupported("@language that is no language tag")
            language = language.lower()
        return [to_literal(value, datatype, language)]

    def list_or_set(self, ctx: Ctx, prop: str | None, exp_prop: str | None,
                    element: dict[str, Any], entries: list[tuple[str, Term, int]], graph: Any,
                    top: bool) -> list[Any]:
        kinds = [t.iri for _, t, _ in entries]
        main = [k for k in kinds if k in ("@list", "@set")]
        if len(main) != 1 or any(k not in ("@list", "@set", "@index") for k in kinds):
            raise Unsupported("list/set object entries")
        key, term = next((k, t) for k, t, _ in entries if t.iri == main[0])
        if element[key] is None:
            raise Unsupported("null @list/@set")
        if any(t.iri == "@index" and not isinstance(element[k], str) for k, t, _ in entries):
            raise Unsupported("@index value")
        if term.scoped is not None:
            raise Unsupported("scoped @list alias")
        if main[0] == "@set":
            return self.expand(ctx, prop, element[key], graph)
        if top:
            return []
        next_prop = None if exp_prop == "@graph" else prop
        items = self.expand(ctx, next_prop, element[key], graph, inside_list=True)
        if any(isinstance(i, _List) for i in items):
            raise Unsupported("list of lists")
        return [_List(items)]

    def emit_list(self, items: list[Any], graph: Any) -> str:
        if not items:
            return RDF_NIL
        out = self.out
        head = node = self.blank()
        last = len(items) - 1
        for i, item in enumerate(items):
            if not item:
                raise Unsupported("relative IRI in a list")
            nxt = self.blank() if i < last else RDF_NIL
            out.append((node, RDF_FIRST, item, graph))
            out.append((node, RDF_REST, nxt, graph))
            node = nxt
        return head


def document_quads(root: Ctx, document: Any, events: list[Event] | None = None) -> list[Quad]:
    """The RDF dataset of a JSON-LD document as pyld's toRdf produces it (deduplicated);
    with ``events`` given (safe mode), what processing drops is appended to it."""
    if not isinstance(document, dict):
        raise Unsupported("top-level array")
    walker = Walker(events is not None)
    walker.expand(root, None, document, None)
    if events is not None:
        events.extend(walker.events or ())
    return list(dict.fromkeys(walker.out)) + walker.repeats
