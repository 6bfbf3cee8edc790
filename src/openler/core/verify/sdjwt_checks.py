"""SD-JWT VC verification expressed as pipeline checks.

Spec: RFC 9901 section 7 and the SD-JWT VC draft, via
``openler.core.sdjwt.verify_sd_jwt_vc``; this module only adds the issuer
key lookup through the context's DID resolver and the plain-language
messages, and places "schema" (not applicable to SD-JWT VC) in the order.
It also tells apart two failures the SD-JWT verifier reports together as
``holder.key_binding_invalid``: a Key Binding JWT signed by a key other than
the one the credential was issued to (``holder.mismatch``: presented by
someone else, RFC 9901 section 7.3 step 5) and one older than the verifier
accepts (``presentation.stale``: a replayed answer).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openler.core.errors import CoreError
from openler.core.sdjwt import decode_jwt, did_key_resolver, parse, verify_sd_jwt_vc
from openler.core.sdjwt.encoding import digest
from openler.core.sdjwt.holder import KB_JWT_TYP
from openler.core.sdjwt.jose import jws_signature_valid
from openler.core.sdjwt.verifier import SdJwtVerification
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, VerificationResult, make_check

ORDER = ("well_formed", "schema", "proof", "issuer_key", "status", "validity_period",
         "holder_binding")
CLOCK_SKEW_SECONDS = 60


def _refined_binding_code(text: str, ctx: VerificationContext, nonce: str | None) -> str | None:
    """Why a KB-JWT was refused, when the reason is "someone else" or "too old"."""
    try:
        parts = parse(text)
        if parts.kb_jwt is None:
            return None
        kb = decode_jwt(parts.kb_jwt)
        cnf = decode_jwt(parts.issuer_jwt).payload.get("cnf")
        jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
        if not isinstance(jwk, dict) or kb.header.get("typ") != KB_JWT_TYP:
            return None
        if not jws_signature_valid(parts.kb_jwt, jwk):
            return "holder.mismatch"
    except (CoreError, ValueError, TypeError):
        return None
    if kb.payload.get("sd_hash") != digest(parts.presented):
        return None
    iat, max_age = kb.payload.get("iat"), ctx.kb_max_age_seconds
    if nonce is None or max_age is None or isinstance(iat, bool) \
            or not isinstance(iat, int | float):
        return None
    if iat < ctx.clock().timestamp() - max_age - CLOCK_SKEW_SECONDS:
        return "presentation.stale"
    return None


def run_sd_jwt(text: str, ctx: VerificationContext, *,
               require_key_binding: bool | None = None,
               nonce: str | None = None, audience: str | None = None) -> SdJwtVerification:
    """Verify an SD-JWT VC with the context's resolver and clock."""
    outcome = verify_sd_jwt_vc(
        text, issuer_key_resolver=did_key_resolver(ctx.resolver),
        expected_nonce=nonce, expected_audience=audience, now=ctx.clock(),
        require_key_binding=require_key_binding,
        kb_max_age_seconds=ctx.kb_max_age_seconds, clock_skew_seconds=CLOCK_SKEW_SECONDS)
    for i, check in enumerate(outcome.checks):
        if check.name == "holder_binding" and check.code == "holder.key_binding_invalid":
            code = _refined_binding_code(text, ctx, nonce)
            if code is not None:
                outcome.checks[i] = replace(check, code=code)
    return outcome


def to_checks(outcome: SdJwtVerification, ctx: VerificationContext, *,
              include_holder: bool = True) -> list[Check]:
    """The SD-JWT verifier's outcomes as ordered, messaged checks."""
    by_name: dict[str, Check] = {
        c.name: make_check(c.name, c.status, c.code, c.detail, language=ctx.language,
                           could_not_check=c.could_not_check)
        for c in outcome.checks}
    by_name["schema"] = make_check("schema", "skipped", "schema.not_applicable",
                                   "SD-JWT VC carries no JSON Schema", language=ctx.language)
    names = ORDER if include_holder else ORDER[:-1]
    return [by_name[n] for n in names if n in by_name]


def verify_sd_jwt_credential(text: str, ctx: VerificationContext) -> VerificationResult:
    """Pipeline entry for a compact SD-JWT VC (with or without Key Binding)."""
    outcome = run_sd_jwt(text, ctx, require_key_binding=ctx.require_key_binding,
                         nonce=ctx.challenge, audience=ctx.audience or ctx.domain)
    claims: dict[str, Any] | None = outcome.claims
    return VerificationResult("credential", "sd-jwt", tuple(to_checks(outcome, ctx)),
                              claims=claims)
