"""The "schema" check: does the credential carry the information its type requires?

Spec: VC Data Model 2.0 section 4.11 (data schemas) and the 1EdTech Open
Badges 3.0 / CLR 2.0 JSON Schemas, applied by ``openler.core.schema.validate``
(compiled fast path for valid documents, explained violations otherwise).

The one tolerance, kept here and nowhere else: VC Data Integrity 1.0 section
2.1 lets ``proof`` be a single object or a set, while the official OB 3.0 and
CLR 2.0 schemas accept only the array form. A verifier must accept both, so a
single proof object is compared as a one-item array. ``validate`` itself
applies the official schemas as they are, which is what our issuer meets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openler.core.errors import CoreError
from openler.core.schema import validate
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, make_check


def as_schema_sees_it(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy with a single proof object given as a one-item array."""
    document = dict(doc)
    if isinstance(document.get("proof"), Mapping):
        document["proof"] = [document["proof"]]
    return document


def check_schema(doc: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """Validate against the JSON Schema for the credential's type."""
    lang = ctx.language
    if not ctx.check_schema:
        return make_check("schema", "skipped", "schema.not_applicable", "schema check disabled",
                          language=lang)
    try:
        violations = validate(as_schema_sees_it(doc))
    except (CoreError, RecursionError) as exc:
        return make_check("schema", "skipped", "schema.not_applicable", str(exc),
                          language=lang)
    if violations:
        detail = "; ".join(f"{v.path}: {v.message}" for v in violations[:5])
        return make_check("schema", "failed", "schema.invalid", detail, language=lang)
    return make_check("schema", "passed", "schema.ok", language=lang)
