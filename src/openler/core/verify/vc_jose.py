"""VC-JOSE-COSE: a credential secured as a compact JWS whose payload is the VC itself.

Spec: W3C Securing Verifiable Credentials using JOSE and COSE, section 3.1.1
(JOSE header ``typ`` "vc+jwt", optional ``cty`` "vc"; the JWT Claims Set is
the unsecured credential, and ``iss``, when present, must equal the
credential's issuer) and section 4 (key discovery: ``kid`` is a DID URL of
the issuer, resolved by the normal DID resolver; a did:key issuer may omit
it). The older VC Data Model 1.1 JWT encoding (the credential under a ``vc``
claim, ``iss``/``nbf``/``exp`` beside it) is read too. The checks are the
same six as for Data Integrity, in the same order, and never raise for a bad
token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from openler.core.errors import DidResolutionError, InvalidDidError, KeyMaterialError, SdJwtError
from openler.core.sdjwt import decode_jwt, did_key_resolver
from openler.core.sdjwt.jose import jws_signature_valid
from openler.core.verify.checks import check_validity_period, party_id, shape_problems
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, VerificationResult, make_check
from openler.core.verify.schema_check import check_schema
from openler.core.verify.status_check import check_credential_status

_B64 = r"[A-Za-z0-9_-]+"
_COMPACT_JWS = re.compile(rf"^{_B64}\.{_B64}\.{_B64}$")
VC_JWT_TYPES = frozenset({"vc+jwt", "vc+ld+jwt", "jwt", "application/vc+jwt"})
ORDER = ("well_formed", "schema", "proof", "issuer_key", "status", "validity_period")


def looks_like_jws(text: str) -> bool:
    """Cheap shape test: three base64url parts separated by dots, nothing else."""
    return isinstance(text, str) and _COMPACT_JWS.match(text.strip()) is not None


def credential_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The credential a VC-JOSE payload carries (VC 2.0: the payload; VC 1.1: its ``vc``)."""
    inner = payload.get("vc")
    if isinstance(inner, Mapping) and "@context" not in payload:
        credential = dict(inner)
        credential.setdefault("issuer", payload.get("iss"))
        if isinstance(payload.get("jti"), str):
            credential.setdefault("id", payload["jti"])
        return credential
    return dict(payload)


def decode_vc_jwt(text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and credential of a VC-JOSE token, unchecked; SdJwtError when unreadable."""
    if not looks_like_jws(text):
        raise SdJwtError("not a compact JWS (<header>.<payload>.<signature>)")
    jwt = decode_jwt(text.strip())
    return jwt.header, credential_of(jwt.payload)


def _well_formed(header: Mapping[str, Any], payload: Mapping[str, Any],
                 credential: Mapping[str, Any]) -> list[str]:
    problems = shape_problems(credential)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        problems.append("alg is missing or 'none'")
    typ = header.get("typ")
    if typ is not None and str(typ).lower() not in VC_JWT_TYPES:
        problems.append(f"typ is {typ!r}, expected 'vc+jwt'")
    iss = payload.get("iss")
    if iss is not None and iss != party_id(credential.get("issuer")):
        problems.append(f"iss {iss!r} is not the credential's issuer")
    return problems


def _epoch_window(payload: Mapping[str, Any], ctx: VerificationContext) -> Check | None:
    now = ctx.clock().timestamp()
    exp, nbf = payload.get("exp"), payload.get("nbf")
    if isinstance(exp, int | float) and not isinstance(exp, bool) and exp < now:
        return make_check("validity_period", "failed", "validity.expired", f"exp {exp}",
                          language=ctx.language)
    if isinstance(nbf, int | float) and not isinstance(nbf, bool) and nbf > now:
        return make_check("validity_period", "failed", "validity.not_yet_valid", f"nbf {nbf}",
                          language=ctx.language)
    return None


def _key_and_signature(token: str, header: dict[str, Any], issuer: str | None,
                       ctx: VerificationContext) -> tuple[Check, Check]:
    lang = ctx.language
    if issuer is None:
        return (make_check("proof", "skipped", "check.not_run", "no issuer", language=lang),
                make_check("issuer_key", "skipped", "check.not_run", "no issuer", language=lang))
    kid = header.get("kid")
    if isinstance(kid, str) and kid.startswith("did:") and kid.split("#", 1)[0] != issuer:
        not_issuer = make_check("issuer_key", "failed", "issuer.key_not_controlled",
                                f"kid {kid} is not a key of {issuer}", language=lang)
        return (make_check("proof", "skipped", "check.not_run", "the key is not the issuer's",
                           language=lang), not_issuer)
    try:
        key = did_key_resolver(ctx.resolver)(issuer, header)
    except (KeyMaterialError, InvalidDidError) as exc:
        return (make_check("proof", "skipped", "check.not_run", "the key is not the issuer's",
                           language=lang),
                make_check("issuer_key", "failed", "issuer.key_not_controlled", str(exc),
                           language=lang))
    except DidResolutionError as exc:
        return (make_check("proof", "skipped", "proof.cannot_check", str(exc), language=lang,
                           could_not_check=True),
                make_check("issuer_key", "skipped", "issuer.unresolvable", str(exc),
                           language=lang, could_not_check=True))
    key_check = make_check("issuer_key", "passed", "issuer.key_controlled",
                           f"key {kid or '(no kid)'} belongs to {issuer}", language=lang)
    try:
        valid = jws_signature_valid(token, key)
    except (SdJwtError, KeyMaterialError) as exc:
        return (make_check("proof", "skipped", "proof.unsupported", str(exc), language=lang,
                           could_not_check=True), key_check)
    if not valid:
        return (make_check("proof", "failed", "proof.changed", "JWS signature does not match",
                           language=lang), key_check)
    return make_check("proof", "passed", "proof.valid", language=lang), key_check


def verify_vc_jwt(text: str, ctx: VerificationContext | None = None) -> VerificationResult:
    """Check a VC-JOSE compact token: shape, schema, signature, issuer key, status, dates."""
    ctx = ctx or VerificationContext()
    lang = ctx.language
    token = text.strip() if isinstance(text, str) else ""
    try:
        if not looks_like_jws(token):
            raise SdJwtError("not a compact JWS")
        jwt = decode_jwt(token)
    except SdJwtError as exc:
        failed = make_check("well_formed", "failed", "format.invalid", str(exc), language=lang)
        rest = [make_check(n, "skipped", "check.not_run", "not a JWS", language=lang)
                for n in ORDER[1:]]
        return VerificationResult("credential", "json", (failed, *rest))
    header, payload = jwt.header, jwt.payload
    credential = credential_of(payload)
    problems = _well_formed(header, payload, credential)
    well_formed = (make_check("well_formed", "failed", "format.invalid", "; ".join(problems),
                              language=lang) if problems
                   else make_check("well_formed", "passed", "format.ok", language=lang))
    proof, issuer_key = _key_and_signature(token, header, party_id(credential.get("issuer")), ctx)
    validity = _epoch_window(payload, ctx) or check_validity_period(credential, ctx)
    checks = (well_formed, check_schema(credential, ctx), proof, issuer_key,
              check_credential_status(credential, ctx), validity)
    return VerificationResult("credential", "json", checks, claims=credential)
