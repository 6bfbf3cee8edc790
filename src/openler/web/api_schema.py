"""JSON Schema in words for the API reference: local $ref resolution, types described
for people, and nested properties as one flat field list.

Spec: OpenAPI 3.1.0, sections 4.8.24 (Schema Object, JSON Schema 2020-12: ``type``,
``properties``, ``required``, ``items``, ``enum``, ``const``, ``oneOf``/``anyOf``/
``allOf``), 4.8.14 (Media Type Object: ``example``/``examples``) and 4.8.23
(Reference Object; only local ``#/...`` pointers are followed, each at most once
per branch, so recursive schemas end).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from openler.web.i18n import N_

Translate = Callable[[str], str]
TYPE_WORDS = {
    "string": N_("string"), "integer": N_("integer"), "number": N_("number"),
    "boolean": N_("boolean"), "object": N_("object"), "array": N_("array"), "null": N_("null"),
}
MAX_DEPTH = 6


@dataclass(frozen=True)
class Text:
    """Words for the page; ``lang`` is "en" when they stayed English on a translated page."""

    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Field:
    name: str  # dotted path into the JSON: "options.challenge", "detail[].loc"
    type: Text
    required: bool
    description: Text | None
    depth: int


@dataclass(frozen=True)
class Example:
    name: str | None
    json: str


@dataclass(frozen=True)
class Body:
    media_types: tuple[str, ...]
    required: bool
    type: Text
    fields: tuple[Field, ...]
    examples: tuple[Example, ...]


class Words:
    """The English of the OpenAPI document, translated where the catalog knows it."""

    def __init__(self, translate: Translate | None) -> None:
        self.translate = translate

    def text(self, message: str) -> Text:
        message = " ".join(str(message).split())
        if self.translate is None or not message:  # gettext("") is the catalog's header
            return Text(message)
        out = self.translate(message)
        return Text(out, "en" if out == message else None)

    def paragraphs(self, description: str | None) -> tuple[Text, ...]:
        chunks = re.split(r"\n\s*\n", description or "")
        return tuple(self.text(c) for c in chunks if c.strip())

    def format(self, template: str, **parts: Text | str) -> Text:
        outer = self.text(template)
        values = {k: v.value if isinstance(v, Text) else v for k, v in parts.items()}
        english = outer.lang or any(isinstance(v, Text) and v.lang for v in parts.values())
        try:
            value = outer.value % values
        except (KeyError, ValueError, TypeError):  # a catalog entry with broken placeholders
            value, english = template % values, True
        return Text(value, "en" if english and self.translate else None)


class SchemaReader:
    """Local $ref resolution and JSON Schemas put into words and field lists."""

    def __init__(self, openapi: Mapping[str, Any], words: Words) -> None:
        self.doc = openapi
        self.words = words

    def resolve(self, node: Any, seen: frozenset[str] = frozenset()) -> Any:
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                return {}
            seen = seen | {ref}
            target: Any = self.doc
            for key in ref[2:].split("/"):
                key = key.replace("~1", "/").replace("~0", "~")
                target = target.get(key, {}) if isinstance(target, Mapping) else {}
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def type_words(self, node: Any, depth: int = 0) -> Text:
        node = self.resolve(node)
        if not isinstance(node, Mapping) or depth > MAX_DEPTH:
            return self.words.text(N_("any JSON value"))
        for key, template in (("oneOf", N_("one of: %(choices)s")), ("anyOf", N_("any of: %(choices)s"))):
            if key in node:
                return self._choices(template, node[key], depth)
        if "allOf" in node:
            merged: dict[str, Any] = {}
            for part in node["allOf"]:
                merged.update(self.resolve(part))
            return self.type_words(merged, depth + 1)
        if "const" in node:
            return self.words.format(N_("always %(value)s"), value=json.dumps(node["const"]))
        kinds = node.get("type")
        if isinstance(kinds, list):
            return self._choices(N_("one of: %(choices)s"), [{"type": k} for k in kinds], depth)
        if kinds is None:
            kinds = "object" if "properties" in node else None
        if kinds is None:
            base = self.words.text(N_("any JSON value"))
        elif kinds == "array":
            items = self.type_words(node.get("items", {}), depth + 1)
            base = self.words.format(N_("array (each item: %(items)s)"), items=items)
        else:
            base = self.words.text(TYPE_WORDS.get(kinds, str(kinds)))
        if node.get("format"):
            base = Text(f"{base.value} ({node['format']})", base.lang)
        if node.get("enum"):
            values = ", ".join(json.dumps(v) for v in node["enum"])
            base = self.words.format(N_("%(type)s, one of %(values)s"), type=base, values=values)
        return base

    def _choices(self, template: str, options: list[Any], depth: int) -> Text:
        parts = [self.type_words(o, depth + 1) for o in options]
        joined = Text(", ".join(p.value for p in parts), "en" if any(p.lang for p in parts) else None)
        return self.words.format(template, choices=joined)

    def fields(self, node: Any, prefix: str = "", depth: int = 0,
               seen: frozenset[str] = frozenset()) -> Iterator[Field]:
        if depth > MAX_DEPTH:
            return
        for branch, ref in self._objects(node, seen):
            required = set(branch.get("required", []))
            for name, sub in branch.get("properties", {}).items():
                full = f"{prefix}.{name}" if prefix else name
                resolved = self.resolve(sub)
                if not isinstance(resolved, Mapping):
                    resolved = {}
                description = resolved.get("description")
                yield Field(full, self.type_words(resolved), name in required,
                            self.words.text(description) if description else None, depth)
                inner = f"{full}[]" if resolved.get("type") == "array" else full
                yield from self.fields(sub, inner, depth + 1, seen | ref)

    def _objects(self, node: Any, seen: frozenset[str]) -> Iterator[tuple[Mapping[str, Any], frozenset[str]]]:
        """The object schemas whose properties describe this value (items, choices included)."""
        refs = frozenset({node["$ref"]}) if isinstance(node, Mapping) and "$ref" in node else frozenset()
        if refs & seen:
            return
        node = self.resolve(node, seen)
        if not isinstance(node, Mapping):
            return
        if node.get("properties"):
            yield node, refs
        if node.get("type") == "array" and "items" in node:
            yield from self._objects(node["items"], seen | refs)
        for key in ("oneOf", "anyOf", "allOf"):
            for option in node.get(key, []):
                yield from self._objects(option, seen | refs)

    def body(self, spec: Mapping[str, Any]) -> Body | None:
        content = spec.get("content") or {}
        if not content:
            return None
        media_type, media = next(iter(content.items()))
        media = media or {}
        raw = media.get("schema", {})
        resolved = self.resolve(raw)
        has_schema = bool(resolved) and resolved != {"type": "object", "additionalProperties": True}
        examples = []
        if "example" in media:
            examples.append(Example(None, _json(media["example"])))
        for name, example in (media.get("examples") or {}).items():
            example = self.resolve(example)
            if isinstance(example, Mapping) and "value" in example:
                examples.append(Example(str(example.get("summary") or name), _json(example["value"])))
        if not has_schema and not examples:
            return None
        return Body(
            media_types=tuple(content),
            required=bool(spec.get("required", False)),
            type=self.type_words(raw),
            fields=tuple(self.fields(raw)) if has_schema else (),
            examples=tuple(examples),
        )


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
