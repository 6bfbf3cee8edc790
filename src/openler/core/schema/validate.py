"""Validate credentials against the official 1EdTech JSON Schemas and VC 2.0 rules.

Spec: 1EdTech Open Badges 3.0 section 9 / CLR 2.0 (JSON Schema, draft 2019-09,
``1EdTechJsonSchemaValidator2019``) and W3C VC Data Model 2.0 section 4.

The schema is picked by ``type``: ClrCredential -> CLR 2.0 ClrCredential schema;
AchievementCredential or OpenBadgeCredential -> OB 3.0 AchievementCredential
schema; EndorsementCredential -> the EndorsementCredential definition inside
the OB 3.0 schema; anything else -> VC 2.0 envelope rules only. Validators are
compiled once per process and reused; a compiled yes/no check (``compiled``,
fastjsonschema) lets valid documents skip jsonschema's slower error walk, and
only an invalid document pays for the detailed, explained violations.

The official schemas are applied as they are: the OB 3.0 schema wants
``proof`` as an array, so a credential carrying one proof object is reported
here. Verifiers that accept Data Integrity's single-object form wrap it before
calling (``openler.core.verify.schema_check``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

from openler.core.schema.compiled import Check, compile_check
from openler.core.schema.vc_rules import (
    credential_violations,
    is_date_time_stamp,
    presentation_violations,
)
from openler.core.schema.violations import Violation, translate

OB_ACHIEVEMENT = "ob_v3p0_achievementcredential_schema.json"
CLR_CREDENTIAL = "clr_v2p0_clrcredential_schema.json"

SchemaKind = str  # "achievement" | "endorsement" | "clr" | "vc" | "presentation"


def load_schema(filename: str) -> dict[str, Any]:
    """A bundled schema as a new dict (package data, never fetched)."""
    text = resources.files("openler.core.schema").joinpath("schemas", filename).read_text("utf-8")
    return json.loads(text)


def _format_checker() -> FormatChecker:
    # jsonschema checks date-time only with an optional extra installed; ours is the
    # XSD dateTimeStamp check the VC rules use, so both layers agree.
    checker = FormatChecker(formats=("date",))
    checker.checks("date-time")(is_date_time_stamp)
    return checker


_FORMATS = _format_checker()
_BUNDLED = (OB_ACHIEVEMENT, CLR_CREDENTIAL)


@cache
def _registry() -> Registry:
    resources_ = [
        Resource.from_contents(load_schema(name), default_specification=DRAFT201909)
        for name in _BUNDLED
    ]
    return Registry().with_resources((str(res.id()), res) for res in resources_)


def _schema_for(kind: SchemaKind) -> dict[str, Any] | None:
    if kind == "achievement":
        return load_schema(OB_ACHIEVEMENT)
    if kind == "clr":
        return load_schema(CLR_CREDENTIAL)
    if kind == "endorsement":
        return {
            "$schema": "https://json-schema.org/draft/2019-09/schema#",
            "$ref": f"{load_schema(OB_ACHIEVEMENT)['$id']}#/$defs/EndorsementCredential",
        }
    return None


def _self_contained(kind: SchemaKind) -> dict[str, Any] | None:
    # The same schema with no reference outside itself, for the offline compiler.
    if kind == "endorsement":
        ob = load_schema(OB_ACHIEVEMENT)
        return {"$schema": ob["$schema"], "$id": ob["$id"], "$defs": ob["$defs"],
                "allOf": [{"$ref": "#/$defs/EndorsementCredential"}]}
    return _schema_for(kind)


@cache
def validator_for(kind: SchemaKind) -> Draft201909Validator | None:
    """The jsonschema validator for a kind of credential (built once, then cached)."""
    schema = _schema_for(kind)
    if schema is None:
        return None
    return Draft201909Validator(schema, registry=_registry(), format_checker=_FORMATS)


@cache
def fast_check_for(kind: SchemaKind) -> Check | None:
    """The compiled yes/no check for a kind (None if the schema needs jsonschema itself)."""
    schema = _self_contained(kind)
    return None if schema is None else compile_check(schema, _FORMATS)


def schema_kind(document: dict[str, Any]) -> SchemaKind:
    """Which schema applies to a document, judged by its type."""
    value = document.get("type")
    types = value if isinstance(value, list) else [value]
    if "VerifiablePresentation" in types:
        return "presentation"
    if "ClrCredential" in types:
        return "clr"
    if "AchievementCredential" in types or "OpenBadgeCredential" in types:
        return "achievement"
    if "EndorsementCredential" in types:
        return "endorsement"
    return "vc"


def validate(document: Any, *, kind: SchemaKind | None = None) -> list[Violation]:
    """Every way a document breaks its schema or the VC 2.0 envelope rules (empty if none)."""
    if not isinstance(document, dict):
        return [Violation("$", "schema.type", "must be an object")]
    chosen = kind or schema_kind(document)
    found: list[Violation] = []
    compiled = validator_for(chosen)
    quick = fast_check_for(chosen)
    if compiled is not None and (quick is None or not quick(document)):
        found.extend(translate(compiled.iter_errors(document)))
    rules: Callable[[dict[str, Any]], list[Violation]] = (
        presentation_violations if chosen == "presentation" else credential_violations
    )
    reported = [violation.path for violation in found]
    found.extend(v for v in rules(document) if not _covered(v.path, reported))
    return _unique_sorted(found)


def _covered(path: str, reported: list[str]) -> bool:
    # A VC rule adds nothing when the schema already flagged the same place or inside it.
    return any(p == path or p.startswith((path + ".", path + "[")) for p in reported)


def _unique_sorted(found: list[Violation]) -> list[Violation]:
    seen: set[tuple[str, str, str]] = set()
    unique: list[Violation] = []
    for violation in found:
        key = (violation.path, violation.code, violation.message)
        if key not in seen:
            seen.add(key)
            unique.append(violation)
    return sorted(unique, key=lambda v: (v.path, v.code))


def warm_up() -> None:
    """Compile every validator now (e.g. at app start) instead of on first use."""
    for kind in ("achievement", "endorsement", "clr"):
        validator_for(kind)
        fast_check_for(kind)
