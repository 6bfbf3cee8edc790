"""A compiled yes/no JSON Schema check, so valid documents skip the slow error walk.

Spec: JSON Schema draft 2019-09, core ($ref, $defs) and validation vocabulary,
limited to the keywords the bundled 1EdTech schemas use: type, enum, pattern,
format, properties, required, additionalProperties, propertyNames, items
(single or tuple form), additionalItems, minItems, contains, allOf, anyOf, oneOf.

jsonschema stays the reference: ``validate`` asks it for the detailed errors
whenever this check says "invalid", and the tests hold the two to the same
verdict. A schema with any other keyword is refused at compile time
(UnsupportedSchemaError), so a future schema cannot be checked wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "$defs", "$comment", "title", "description"}
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword this compiler does not implement."""


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


class Compiler:
    """Compiles schemas (and the roots their $refs point into) to predicates."""

    def __init__(self, roots: dict[str, dict[str, Any]], format_checker: FormatChecker) -> None:
        self._roots = roots
        self._formats = format_checker
        self._compiled: dict[tuple[str, str], Check] = {}

    def compile(self, schema: Any, base: str) -> Check:
        """A predicate for schema, whose relative $refs resolve against root base."""
        if schema is True:
            return lambda _: True
        if schema is False:
            return lambda _: False
        unknown = set(schema) - _IGNORED - set(_KEYWORDS)
        if unknown:
            raise UnsupportedSchemaError(f"unsupported keywords: {sorted(unknown)}")
        built = (_KEYWORDS[k](self, schema, base) for k in _KEYWORDS if k in schema)
        checks: list[Check] = [c for c in built if c is not None]
        if not checks:
            return lambda _: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    def _ref(self, schema: dict[str, Any], base: str) -> Check:
        ref: str = schema["$ref"]
        target, _, pointer = ref.partition("#")
        root = target or base
        if root not in self._roots:
            raise UnsupportedSchemaError(f"unknown $ref target {ref!r}")
        key = (root, pointer)
        if key not in self._compiled:
            self._compiled[key] = lambda v: self._compiled[key](v)  # placeholder for recursion
            node: Any = self._roots[root]
            for part in filter(None, pointer.split("/")):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            self._compiled[key] = self.compile(node, root)
        return lambda v: self._compiled[key](v)


def _type(c: Compiler, s: dict[str, Any], base: str) -> Check:
    names = s["type"] if isinstance(s["type"], list) else [s["type"]]
    tests = [_TYPES[name] for name in names]
    return lambda v: any(test(v) for test in tests)


def _enum(c: Compiler, s: dict[str, Any], base: str) -> Check:
    values = s["enum"]
    if all(isinstance(x, str) for x in values):
        allowed = frozenset(values)
        return lambda v: isinstance(v, str) and v in allowed
    return lambda v: any(_json_equal(v, x) for x in values)


def _pattern(c: Compiler, s: dict[str, Any], base: str) -> Check:
    regex = re.compile(s["pattern"])
    return lambda v: not isinstance(v, str) or regex.search(v) is not None


def _format(c: Compiler, s: dict[str, Any], base: str) -> Check:
    name = s["format"]
    return lambda v: c._formats.conforms(v, name)


def _properties(c: Compiler, s: dict[str, Any], base: str) -> Check:
    props = {name: c.compile(sub, base) for name, sub in s["properties"].items()}
    return lambda v: (
        not isinstance(v, dict) or all(check(v[name]) for name, check in props.items() if name in v)
    )


def _required(c: Compiler, s: dict[str, Any], base: str) -> Check:
    names = tuple(s["required"])
    return lambda v: not isinstance(v, dict) or all(name in v for name in names)


def _additional_properties(c: Compiler, s: dict[str, Any], base: str) -> Check | None:
    extra = s["additionalProperties"]
    if extra is True:
        return None
    known = frozenset(s.get("properties", {}))
    check = c.compile(extra, base)
    return lambda v: (
        not isinstance(v, dict) or all(check(v[name]) for name in v if name not in known)
    )


def _property_names(c: Compiler, s: dict[str, Any], base: str) -> Check:
    check = c.compile(s["propertyNames"], base)
    return lambda v: not isinstance(v, dict) or all(check(name) for name in v)


def _items(c: Compiler, s: dict[str, Any], base: str) -> Check:
    items = s["items"]
    if isinstance(items, list):
        positional = [c.compile(sub, base) for sub in items]
        rest = c.compile(s.get("additionalItems", True), base)
        return lambda v: (
            not isinstance(v, list)
            or (
                all(check(x) for check, x in zip(positional, v, strict=False))
                and all(rest(x) for x in v[len(positional) :])
            )
        )
    check = c.compile(items, base)
    return lambda v: not isinstance(v, list) or all(check(x) for x in v)


def _min_items(c: Compiler, s: dict[str, Any], base: str) -> Check:
    least = s["minItems"]
    return lambda v: not isinstance(v, list) or len(v) >= least


def _contains(c: Compiler, s: dict[str, Any], base: str) -> Check:
    check = c.compile(s["contains"], base)
    return lambda v: not isinstance(v, list) or any(check(x) for x in v)


def _all_of(c: Compiler, s: dict[str, Any], base: str) -> Check:
    checks = [c.compile(sub, base) for sub in s["allOf"]]
    return lambda v: all(check(v) for check in checks)


def _any_of(c: Compiler, s: dict[str, Any], base: str) -> Check:
    checks = [c.compile(sub, base) for sub in s["anyOf"]]
    return lambda v: any(check(v) for check in checks)


def _one_of(c: Compiler, s: dict[str, Any], base: str) -> Check:
    checks = [c.compile(sub, base) for sub in s["oneOf"]]
    return lambda v: sum(1 for check in checks if check(v)) == 1


_KEYWORDS: dict[str, Callable[[Compiler, dict[str, Any], str], Check | None]] = {
    "$ref": lambda c, s, base: c._ref(s, base),
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "format": _format,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "items": _items,
    "additionalItems": lambda c, s, base: None,  # applied by "items" (tuple form)
    "minItems": _min_items,
    "contains": _contains,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
}
