"""Turn JSON Schema errors into plain-English violations with stable codes.

Spec: JSON Schema draft 2019-09 validation vocabulary (required, type, enum,
const, pattern, format, minItems, contains, additionalProperties, oneOf, anyOf,
allOf). Paths are JSONPath (RFC 9535) normalized paths, e.g.
``$.credentialSubject.achievement.criteria`` or ``$['@context'][0]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class Violation:
    """One reason a document does not conform: where, a stable code, and plain words."""

    path: str
    code: str
    message: str


def json_path(parts: Iterable[Any]) -> str:
    """A normalized JSONPath for a location inside a document."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}"
        else:
            escaped = str(part).replace("\\", "\\\\").replace("'", "\\'")
            out += f"['{escaped}']"
    return out


def translate(errors: Iterable[ValidationError]) -> Iterator[Violation]:
    """Plain violations for the errors a validator reported."""
    for error in errors:
        yield from _translate_one(error)


def _translate_one(error: ValidationError) -> Iterator[Violation]:
    keyword = error.validator
    where = list(error.absolute_path)
    if keyword in ("oneOf", "anyOf") and error.context:
        yield from _translate_alternatives(error)
        return
    if keyword == "oneOf":
        yield Violation(json_path(where), "schema.oneOf", "matches more than one allowed form")
        return
    if keyword == "allOf" and error.context:
        yield from translate(error.context)
        return
    if keyword == "required":
        missing = _missing_property(error)
        yield Violation(json_path([*where, missing]), "schema.required", "is required")
        return
    yield Violation(json_path(where), f"schema.{_code(keyword)}", _message(error))


def _translate_alternatives(error: ValidationError) -> Iterator[Violation]:
    """Explain a failed oneOf/anyOf by the branch the value was meant for."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0], []).append(sub)
    depth = len(error.absolute_path)
    viable = {
        index: subs
        for index, subs in branches.items()
        if not any(_wrong_kind(sub, depth) for sub in subs)
    }
    here = json_path(error.absolute_path)
    if not viable:
        kinds = _expected_types(branches.values())
        yield Violation(here, "schema.type", "must be " + _or_list(kinds))
        return
    if len(viable) == 1:
        yield from translate(next(iter(viable.values())))
        return
    values = _enum_values(viable.values())
    if values is not None and _has_extension_pattern(viable.values()):
        yield Violation(
            here,
            "schema.enum",
            "must be one of " + ", ".join(values) + ", or an extension term starting with 'ext:'",
        )
        return
    chosen = best_match(error.context or ())
    if chosen is None:  # pragma: no cover - context is non-empty here
        yield Violation(here, "schema.oneOf", "does not match any allowed form")
        return
    yield from _translate_one(chosen)


def _wrong_kind(error: ValidationError, depth: int) -> bool:
    """Whether an error says the value itself has the wrong JSON type for this branch."""
    if len(error.absolute_path) != depth:
        return False
    if error.validator == "type":
        return True
    if error.validator in ("oneOf", "anyOf") and error.context:
        groups: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            groups.setdefault(sub.schema_path[0], []).append(sub)
        return all(any(_wrong_kind(s, depth) for s in subs) for subs in groups.values())
    return False


def _expected_types(branches: Iterable[Sequence[ValidationError]]) -> list[str]:
    kinds: list[str] = []
    for subs in branches:
        for sub in subs:
            if sub.validator in ("oneOf", "anyOf") and sub.context:
                for word in _expected_types([list(sub.context)]):
                    if word not in kinds:
                        kinds.append(word)
                continue
            if sub.validator != "type":
                continue
            wanted = sub.validator_value
            for kind in wanted if isinstance(wanted, list) else [wanted]:
                word = _TYPE_WORDS.get(str(kind), str(kind))
                if word not in kinds:
                    kinds.append(word)
    return kinds or ["a value of another form"]


def _enum_values(branches: Iterable[Sequence[ValidationError]]) -> list[str] | None:
    for subs in branches:
        for sub in subs:
            if sub.validator == "enum":
                return [str(v) for v in sub.validator_value]
    return None


def _has_extension_pattern(branches: Iterable[Sequence[ValidationError]]) -> bool:
    return any(
        sub.validator == "pattern" and "ext:" in str(sub.validator_value)
        for subs in branches
        for sub in subs
    )


def _missing_property(error: ValidationError) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    for name in error.validator_value:
        if name not in instance:
            return str(name)
    return str(error.validator_value[0])  # pragma: no cover - jsonschema reports a missing one


def _code(keyword: str) -> str:
    return {"additionalProperties": "additional", "additionalItems": "additional"}.get(
        keyword, keyword
    )


def _or_list(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _message(error: ValidationError) -> str:
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        wanted = value if isinstance(value, list) else [value]
        return "must be " + _or_list([_TYPE_WORDS.get(str(k), str(k)) for k in wanted])
    if keyword == "enum":
        if len(value) == 1:
            return f"must be {value[0]!s}"
        return "must be one of " + ", ".join(str(v) for v in value)
    if keyword == "const":
        return f"must be {value!s}"
    if keyword == "contains":
        members = value.get("enum") or ([value["const"]] if "const" in value else None)
        if members:
            return "must include " + _or_list([str(v) for v in members])
        return "does not include a required item"
    if keyword == "minItems":
        return f"must have at least {value} item" + ("" if value == 1 else "s")
    if keyword == "pattern":
        return "is not in the expected format"
    if keyword == "format":
        if value == "date-time":
            return "must be a date and time with a time zone, like 2024-01-31T09:00:00Z"
        if value == "date":
            return "must be a date like 2024-01-31"
        return f"is not a valid {value}"
    if keyword in ("additionalProperties", "additionalItems", "unevaluatedProperties"):
        extra = _extra_names(error)
        return (
            "has properties that are not allowed: " + ", ".join(extra)
            if extra
            else ("has items that are not allowed")
        )
    if keyword in ("minimum", "maximum", "minLength", "maxLength"):
        return f"breaks the {keyword} limit of {value}"
    return error.message


def _extra_names(error: ValidationError) -> list[str]:
    if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return []
    known = set(error.schema.get("properties", {}))
    return sorted(name for name in error.instance if name not in known)
