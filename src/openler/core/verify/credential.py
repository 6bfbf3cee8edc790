"""verify_credential: the ordered checks of one credential, JSON, SD-JWT or VC-JOSE.

Spec: VC Data Model 2.0 section 7.1 (verification) with the checks in this
order: well_formed, schema, proof, issuer_key, status, validity_period.
Every check runs on whatever JSON object arrives (a leaf changed anywhere
still reaches the proof check); only a non-object skips the rest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from openler.core.errors import VerificationInputError
from openler.core.sdjwt import looks_like_sd_jwt
from openler.core.verify.checks import (
    check_key_controlled,
    check_validity_period,
    check_well_formed,
    proof_check,
    proof_result,
)
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, VerificationResult, make_check
from openler.core.verify.schema_check import check_schema
from openler.core.verify.sdjwt_checks import verify_sd_jwt_credential
from openler.core.verify.status_check import check_credential_status
from openler.core.verify.vc_jose import looks_like_jws, verify_vc_jwt

CREDENTIAL_CHECKS = ("well_formed", "schema", "proof", "issuer_key", "status", "validity_period")
MAX_TEXT = 5_000_000   # characters of input text
MAX_DEPTH = 64         # nesting of JSON arrays/objects (real credentials stay under 15)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _too_deep(value: Any) -> bool:
    # Only containers go on the stack, and JSON scalars (most of a credential) are told
    # apart by their exact type, without the slower Mapping ABC test.
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, Mapping | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, Mapping) else item
        for child in children:
            kind = type(child)
            if kind is dict or kind is list or (
                    kind not in _SCALARS and isinstance(child, Mapping | list)):
                stack.append((child, depth + 1))
    return False


def parse_input(value: Any) -> Mapping[str, Any] | list[Any] | str:
    """JSON value, or the SD-JWT text; VerificationInputError when it is neither."""
    if isinstance(value, bytes | bytearray):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise VerificationInputError("input is not UTF-8 text") from None
    if not isinstance(value, str):
        if _too_deep(value):
            raise VerificationInputError(f"input nests deeper than {MAX_DEPTH} levels")
        return value
    text = value.strip().lstrip("\ufeff")
    if len(text) > MAX_TEXT:
        raise VerificationInputError("input is too large")
    if looks_like_sd_jwt(text) or looks_like_jws(text):
        return text
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        raise VerificationInputError("input is neither JSON nor a compact SD-JWT") from None
    if isinstance(parsed, str):
        raise VerificationInputError("input is a JSON string, not a credential")
    if _too_deep(parsed):
        raise VerificationInputError(f"input nests deeper than {MAX_DEPTH} levels")
    return parsed


def not_run(names: tuple[str, ...], ctx: VerificationContext, detail: str) -> list[Check]:
    """Placeholders for checks an earlier failure made pointless."""
    return [make_check(n, "skipped", "check.not_run", detail, language=ctx.language)
            for n in names]


def json_credential_checks(doc: Any, ctx: VerificationContext) -> list[Check]:
    """The six credential checks of a JSON(-LD) credential."""
    if not isinstance(doc, Mapping):
        return [make_check("well_formed", "failed", "format.invalid",
                           f"a credential is a JSON object, not {type(doc).__name__}",
                           language=ctx.language),
                *not_run(CREDENTIAL_CHECKS[1:], ctx, "not a JSON object")]
    return [
        check_well_formed(doc, ctx),
        check_schema(doc, ctx),
        proof_check(proof_result(doc, ctx, purpose="assertionMethod"), ctx),
        check_key_controlled(doc, ctx, party="issuer", purpose="assertionMethod",
                             name="issuer_key", ok_code="issuer.key_controlled",
                             bad_code="issuer.key_not_controlled"),
        check_credential_status(doc, ctx),
        check_validity_period(doc, ctx),
    ]


def verify_credential(document_or_text: Any, *,
                      ctx: VerificationContext | None = None) -> VerificationResult:
    """Check a credential and explain the outcome; raises only for unusable input."""
    return verify_parsed_credential(parse_input(document_or_text), ctx or VerificationContext())


def verify_parsed_credential(value: Any, ctx: VerificationContext) -> VerificationResult:
    """verify_credential after parse_input: SD-JWT or VC-JOSE text, or a JSON value."""
    if isinstance(value, str):
        if looks_like_jws(value):
            return verify_vc_jwt(value, ctx)
        return verify_sd_jwt_credential(value, ctx)
    return VerificationResult("credential", "json", tuple(json_credential_checks(value, ctx)))
