"""The "schema" check: does the credential carry the information its type requires?

Spec: VC Data Model 2.0 section 4.11 (data schemas) and the 1EdTech Open
Badges 3.0 / CLR 2.0 JSON Schemas, applied by ``openler.core.schema.validate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openler.core.errors import CoreError
from openler.core.schema import validate
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, make_check
from openler.core.verify.schema_fast import quick_valid


def check_schema(doc: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """Validate against the JSON Schema for the credential's type."""
    lang = ctx.language
    if not ctx.check_schema:
        return make_check("schema", "skipped", "schema.not_applicable", "schema check disabled",
                          language=lang)
    document = dict(doc)
    if isinstance(document.get("proof"), Mapping):
        # VC DM 2.0 s4.12: one proof or a set are the same; the OB 3.0 schema only
        # accepts the array form, so compare like with like.
        document["proof"] = [document["proof"]]
    if quick_valid(document):
        return make_check("schema", "passed", "schema.ok", language=lang)
    try:
        violations = validate(document)
    except (CoreError, RecursionError) as exc:
        return make_check("schema", "skipped", "schema.not_applicable", str(exc),
                          language=lang)
    if violations:
        detail = "; ".join(f"{getattr(v, 'path', '')}: {getattr(v, 'message', v)}"
                           for v in violations[:5])
        return make_check("schema", "failed", "schema.invalid", detail, language=lang)
    return make_check("schema", "passed", "schema.ok", language=lang)
