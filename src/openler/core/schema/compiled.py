"""A compiled yes/no schema check, so valid documents skip jsonschema's slow error walk.

Spec: the 1EdTech OB 3.0 AchievementCredential (and its EndorsementCredential
definition) and CLR 2.0 ClrCredential JSON Schemas, draft 2019-09. They use
only keywords whose meaning is the same in draft-07 (``$defs`` reached by
plain JSON-pointer ``$ref``s, no ``$ref`` with siblings), so fastjsonschema
compiles them, as draft-07, to Python code once per process. The format rules
are the ones ``validate`` gives jsonschema (XSD dateTimeStamp for
``date-time``, ISO date for ``date``).

Only a clean pass is trusted: "invalid", or a compiled check that cannot run
on odd input, sends ``validate`` to jsonschema for the explained violations.
A schema using any keyword outside the draft-07-equivalent set below gets no
compiled check at all, so a future schema cannot be passed wrongly; the tests
hold the compiled verdict to jsonschema's on many altered documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import fastjsonschema
from jsonschema import FormatChecker

Check = Callable[[Any], bool]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SAME_IN_DRAFT_07 = frozenset({
    "$schema", "$id", "$defs", "$ref", "$comment", "title", "description",
    "type", "enum", "const", "pattern", "format", "properties", "required",
    "additionalProperties", "propertyNames", "items", "additionalItems", "minItems",
    "maxItems", "contains", "allOf", "anyOf", "oneOf", "not", "minLength", "maxLength",
    "minimum", "maximum",
})
"""Keywords with the same meaning in draft 2019-09 and draft-07 (as fastjsonschema reads it)."""

_SCHEMA_MAPS = ("properties", "$defs")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SCHEMA_VALUES = ("additionalProperties", "propertyNames", "items", "additionalItems",
                  "contains", "not")


def _subschemas(schema: dict[str, Any]) -> Iterator[Any]:
    for name in _SCHEMA_MAPS:
        if isinstance(schema.get(name), dict):
            yield from schema[name].values()
    for name in _SCHEMA_LISTS:
        if isinstance(schema.get(name), list):
            yield from schema[name]
    for name in _SCHEMA_VALUES:
        if isinstance(schema.get(name), dict):
            yield schema[name]


def compilable(schema: Any) -> bool:
    """Whether every keyword of the schema reads the same in draft-07 (else: jsonschema only)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, bool):
            continue
        if not isinstance(node, dict) or set(node) - SAME_IN_DRAFT_07:
            return False
        if "$ref" in node and set(node) - {"$ref", "$comment", "title", "description"}:
            return False  # draft-07 ignores a $ref's siblings, 2019-09 applies them
        stack.extend(_subschemas(node))
    return True


def compile_check(schema: dict[str, Any], formats: FormatChecker) -> Check | None:
    """A yes/no predicate for a self-contained schema, or None when it cannot be trusted."""
    if not compilable(schema):
        return None
    draft_07 = {**schema, "$schema": DRAFT_07}
    try:
        validate = fastjsonschema.compile(draft_07, formats={
            "date-time": lambda value: formats.conforms(value, "date-time"),
            "date": lambda value: formats.conforms(value, "date"),
        })
    except fastjsonschema.JsonSchemaDefinitionException:
        return None  # e.g. a format or $ref it cannot resolve offline

    def check(document: Any) -> bool:
        try:
            validate(document)
        except fastjsonschema.JsonSchemaException:
            return False
        except (TypeError, ValueError, RecursionError):
            return False  # let jsonschema explain whatever this is
        return True

    return check
