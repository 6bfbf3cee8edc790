"""SD-JWT VC verification expressed as pipeline checks.

Spec: RFC 9901 section 7 and the SD-JWT VC draft, via
``openler.core.sdjwt.verify_sd_jwt_vc``; this module only adds the issuer
key lookup through the context's DID resolver and the plain-language
messages, and places "schema" (not applicable to SD-JWT VC) in the order.
"""

from __future__ import annotations

from typing import Any

from openler.core.sdjwt import did_key_resolver, verify_sd_jwt_vc
from openler.core.sdjwt.verifier import SdJwtVerification
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, VerificationResult, make_check

ORDER = ("well_formed", "schema", "proof", "issuer_key", "status", "validity_period",
         "holder_binding")


def run_sd_jwt(text: str, ctx: VerificationContext, *,
               require_key_binding: bool | None = None,
               nonce: str | None = None, audience: str | None = None) -> SdJwtVerification:
    """Verify an SD-JWT VC with the context's resolver and clock."""
    return verify_sd_jwt_vc(
        text, issuer_key_resolver=did_key_resolver(ctx.resolver),
        expected_nonce=nonce, expected_audience=audience, now=ctx.clock(),
        require_key_binding=require_key_binding,
        kb_max_age_seconds=ctx.kb_max_age_seconds)


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
