"""verify_presentation: the presentation's own checks, then each credential's.

Spec: VC Data Model 2.0 sections 4.13 and 7.1; VC Data Integrity 1.0 section
2.2 (an ``authentication`` proof with the verifier's ``challenge`` and
``domain``). Holder binding: the key that signed the presentation belongs to
its ``holder``, and each credential's ``credentialSubject.id`` is that holder
(a subject without an id cannot be compared: "skipped", with that reason). An
enveloped SD-JWT VC (section 4.13.1) may carry a Key Binding JWT (RFC 9901,
section 7.3): its nonce and audience must be the presentation's challenge and
domain, otherwise the member's holder binding fails. A VC-JOSE credential
(VC-JOSE-COSE section 3.1.1) may sit in the presentation enveloped with media
type ``application/vc+jwt`` or as its compact JWS text; it gets the same six
checks as a Data Integrity credential, then the subject/holder comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openler.core.dids import public_key_from_did_key
from openler.core.errors import CoreError
from openler.core.presentations.enveloped import SD_JWT_MEDIA_TYPES, is_enveloped, unwrap
from openler.core.sdjwt import public_jwk
from openler.core.verify.checks import (
    VC_V1,
    VC_V2,
    as_list,
    check_key_controlled,
    party_id,
    proof_check,
    proof_result,
)
from openler.core.verify.context import VerificationContext
from openler.core.verify.credential import json_credential_checks, not_run, parse_input
from openler.core.verify.result import Check, VerificationResult, make_check
from openler.core.verify.sdjwt_checks import run_sd_jwt, to_checks
from openler.core.verify.vc_jose import looks_like_jws, verify_vc_jwt

VC_JOSE_MEDIA_TYPES = ("application/vc+jwt", "application/vc+ld+jwt", "application/jwt")


def _subject_binding(subject_ids: list[str], holder: str | None,
                     ctx: VerificationContext) -> Check:
    lang = ctx.language
    if holder is None:
        return make_check("holder_binding", "skipped", "holder.unknown",
                          "the presentation names no holder", language=lang)
    if not subject_ids:
        return make_check("holder_binding", "skipped", "holder.subject_has_no_id",
                          "credentialSubject has no id", language=lang)
    if holder in subject_ids:
        return make_check("holder_binding", "passed", "holder.ok",
                          f"subject {holder} is the holder", language=lang)
    return make_check("holder_binding", "failed", "holder.mismatch",
                      f"subject {', '.join(subject_ids)} is not the holder {holder}",
                      language=lang)


def _sd_jwt_holder_ids(claims: Mapping[str, Any] | None, holder: str | None) -> list[str]:
    if not claims:
        return []
    if isinstance(claims.get("sub"), str):
        return [claims["sub"]]
    jwk = (claims.get("cnf") or {}).get("jwk") if isinstance(claims.get("cnf"), Mapping) else None
    if isinstance(jwk, Mapping) and holder and holder.startswith("did:key:"):
        try:
            mine = public_jwk(public_key_from_did_key(holder))
        except CoreError:
            return ["(holder key in cnf.jwk)"]
        return [holder] if all(jwk.get(k) == v for k, v in mine.items()) else [
            "(holder key in cnf.jwk)"]
    return []


def _subject_ids(credential: Any) -> list[str]:
    subjects = as_list(credential.get("credentialSubject")) \
        if isinstance(credential, Mapping) else []
    return [s["id"] for s in subjects if isinstance(s, Mapping) and isinstance(s.get("id"), str)]


def _verify_vc_jose_member(token: str, holder: str | None,
                           ctx: VerificationContext) -> VerificationResult:
    result = verify_vc_jwt(token, ctx)
    checks = (*result.checks, _subject_binding(_subject_ids(result.claims), holder, ctx))
    return VerificationResult("credential", result.format, checks, claims=result.claims)


def _verify_member(member: Any, holder: str | None, ctx: VerificationContext) -> VerificationResult:
    if isinstance(member, str) and looks_like_jws(member):
        return _verify_vc_jose_member(member, holder, ctx)
    if is_enveloped(member):
        found = unwrap(member)
        if found is not None and found[0] in VC_JOSE_MEDIA_TYPES:
            return _verify_vc_jose_member(found[1], holder, ctx)
        if found is None or found[0] not in SD_JWT_MEDIA_TYPES:
            checks = [make_check("well_formed", "failed", "format.invalid",
                                 "unsupported enveloped credential", language=ctx.language),
                      *not_run(("schema", "proof", "issuer_key", "status", "validity_period",
                                "holder_binding"), ctx, "unsupported enveloped credential")]
            return VerificationResult("credential", "sd-jwt", tuple(checks))
        # A KB-JWT inside a presentation answers the same request as the presentation's
        # proof: its nonce is the verifier's challenge and its aud the domain (or audience).
        outcome = run_sd_jwt(found[1], ctx, require_key_binding=bool(ctx.require_key_binding),
                             nonce=ctx.challenge, audience=ctx.domain or ctx.audience)
        checks = to_checks(outcome, ctx, include_holder=False)
        key_binding = next((c for c in outcome.checks if c.name == "holder_binding"), None)
        if key_binding is not None and key_binding.status == "failed":
            checks.append(make_check("holder_binding", "failed", key_binding.code,
                                     key_binding.detail, language=ctx.language))
        else:
            checks.append(_subject_binding(_sd_jwt_holder_ids(outcome.claims, holder), holder,
                                           ctx))
        return VerificationResult("credential", "sd-jwt", tuple(checks), claims=outcome.claims)
    checks = json_credential_checks(member, ctx)
    checks.append(_subject_binding(_subject_ids(member), holder, ctx))
    return VerificationResult("credential", "json", tuple(checks))


def _well_formed(vp: Mapping[str, Any], ctx: VerificationContext) -> Check:
    problems = []
    context = as_list(vp.get("@context"))
    if not context or context[0] not in (VC_V2, VC_V1):
        problems.append("@context must start with the VC 2.0 (or 1.1) context")
    if "VerifiablePresentation" not in as_list(vp.get("type")):
        problems.append("type must include VerifiablePresentation")
    if "holder" in vp and party_id(vp.get("holder")) is None:
        problems.append("holder must be a URL or an object with an id")
    if not all(isinstance(c, Mapping) or (isinstance(c, str) and looks_like_jws(c))
               for c in as_list(vp.get("verifiableCredential"))):
        problems.append("verifiableCredential members must be objects (or VC-JOSE tokens)")
    if problems:
        return make_check("well_formed", "failed", "format.invalid_presentation",
                          "; ".join(problems), language=ctx.language)
    return make_check("well_formed", "passed", "format.ok", language=ctx.language)


def _aggregate(results: list[VerificationResult], ctx: VerificationContext) -> Check:
    lang = ctx.language
    if not results:
        return make_check("credentials", "skipped", "credentials.none", language=lang)
    bad = [i for i, r in enumerate(results) if r.outcome == "not_verified"]
    if bad:
        return make_check("credentials", "failed", "credentials.failed",
                          f"credential(s) {bad} not verified", language=lang)
    if any(r.outcome == "incomplete" for r in results):
        return make_check("credentials", "skipped", "credentials.could_not_check",
                          language=lang, could_not_check=True)
    return make_check("credentials", "passed", "credentials.ok",
                      f"{len(results)} credential(s) verified", language=lang)


def _holder_binding(vp: Mapping[str, Any], holder: str | None,
                    members: list[VerificationResult], ctx: VerificationContext) -> Check:
    lang = ctx.language
    if holder is None:
        return make_check("holder_binding", "skipped", "holder.unknown",
                          "the presentation names no holder", language=lang)
    key = check_key_controlled(vp, ctx, party="holder", purpose="authentication",
                               name="holder_binding", ok_code="holder.ok",
                               bad_code="holder.key_not_controlled",
                               unresolvable_code="holder.unresolvable")
    if key.status != "passed":
        return key
    nested = [m.check("holder_binding") for m in members]
    failed = [i for i, c in enumerate(nested) if c.status == "failed"]
    if failed:
        # Keep the kinds apart: a member answering another request (its KB-JWT's nonce or
        # audience) is a replay, not a credential issued to someone else.
        codes = [nested[i].code for i in failed]
        code = next((c for c in codes if c != "holder.mismatch"), "holder.mismatch")
        detail = (f"credential(s) {failed} were issued to someone else"
                  if code == "holder.mismatch" else
                  f"credential(s) {failed}: {'; '.join(nested[i].detail for i in failed)}")
        return make_check("holder_binding", "failed", code, detail, language=lang)
    unnamed = [i for i, c in enumerate(nested) if c.status == "skipped"]
    detail = f"{holder} signed the presentation"
    if unnamed:
        detail += f"; credential(s) {unnamed} name no subject to compare"
    return make_check("holder_binding", "passed", "holder.ok", detail, language=lang)


def verify_presentation(document_or_text: Any, *,
                        ctx: VerificationContext | None = None) -> VerificationResult:
    """Check a presentation and every credential in it; raises only for unusable input."""
    return verify_parsed_presentation(parse_input(document_or_text), ctx or VerificationContext())


def verify_parsed_presentation(vp: Any, ctx: VerificationContext) -> VerificationResult:
    """verify_presentation after parse_input."""
    if not isinstance(vp, Mapping):
        checks = [make_check("well_formed", "failed", "format.invalid_presentation",
                             "a presentation is a JSON object", language=ctx.language),
                  *not_run(("proof", "holder_binding", "credentials"), ctx, "not a JSON object")]
        return VerificationResult("presentation", "json", tuple(checks))
    holder = party_id(vp.get("holder"))
    members = [_verify_member(m, holder, ctx) for m in as_list(vp.get("verifiableCredential"))]
    proof = proof_check(proof_result(vp, ctx, purpose="authentication", challenge=ctx.challenge,
                                     domain=ctx.domain), ctx, valid_code="proof.presentation_valid")
    checks = [_well_formed(vp, ctx), proof, _holder_binding(vp, holder, members, ctx),
              _aggregate(members, ctx)]
    return VerificationResult("presentation", "json", tuple(checks), credentials=tuple(members))
