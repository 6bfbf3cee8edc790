"""Verifying an SD-JWT VC, with or without Key Binding (RFC 9901 sections 7.1
and 7.3; SD-JWT VC draft section 3).

Never raises for a bad token: every problem becomes a failed check with a
stable code. Checks that cannot run (the issuer's key cannot be fetched) are
reported as "skipped" with ``could_not_check`` set, distinct from "failed".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from openler.core.errors import DidResolutionError, InvalidDidError, KeyMaterialError, SdJwtError
from openler.core.sdjwt.compact import DecodedJwt, SdJwtParts, decode_jwt, parse
from openler.core.sdjwt.encoding import digest
from openler.core.sdjwt.holder import KB_JWT_TYP
from openler.core.sdjwt.jose import jws_signature_valid
from openler.core.sdjwt.paths import Path
from openler.core.sdjwt.processing import Processed, process

ACCEPTED_TYPES = frozenset({"dc+sd-jwt", "vc+sd-jwt"})
Outcome = Literal["passed", "failed", "skipped"]
IssuerKeyResolver = Callable[[str, dict[str, Any]], Any]
CHECK_ORDER = ("well_formed", "proof", "issuer_key", "status", "validity_period", "holder_binding")


@dataclass(frozen=True, slots=True)
class SdJwtCheck:
    """One named check: outcome, stable code, technical detail."""

    name: str
    status: Outcome
    code: str
    detail: str = ""
    could_not_check: bool = False


@dataclass(slots=True)
class SdJwtVerification:
    """What the verifier learned: the disclosed claims and every check."""

    checks: list[SdJwtCheck] = field(default_factory=list)
    claims: dict[str, Any] | None = None
    header: dict[str, Any] | None = None
    disclosed_paths: list[Path] = field(default_factory=list)
    key_binding: dict[str, Any] | None = None

    @property
    def verified(self) -> bool:
        """True only when no check failed and none could not be run."""
        return bool(self.checks) and not any(
            c.status == "failed" or c.could_not_check for c in self.checks)

    def check(self, name: str) -> SdJwtCheck:
        """The check with this name."""
        return next(c for c in self.checks if c.name == name)


def _epoch(now: datetime | float | None) -> float:
    if now is None:
        return time.time()
    return now.timestamp() if isinstance(now, datetime) else float(now)


def _well_formed(parts: SdJwtParts) -> tuple[DecodedJwt | None, str]:
    try:
        jwt = decode_jwt(parts.issuer_jwt)
    except SdJwtError as exc:
        return None, str(exc)
    header, payload = jwt.header, jwt.payload
    problems = []
    if header.get("typ") not in ACCEPTED_TYPES:
        problems.append(f"typ is {header.get('typ')!r}, expected 'dc+sd-jwt'")
    if not isinstance(header.get("alg"), str) or header.get("alg") == "none":
        problems.append("alg is missing or 'none'")
    for claim in ("iss", "vct"):
        if not isinstance(payload.get(claim), str) or not payload.get(claim):
            problems.append(f"{claim} is missing or not a string")
    for claim in ("iat", "exp", "nbf"):
        if claim in payload and (isinstance(payload[claim], bool)
                                 or not isinstance(payload[claim], int | float)):
            problems.append(f"{claim} is not a number")
    cnf = payload.get("cnf")
    if cnf is not None and not (isinstance(cnf, dict) and isinstance(cnf.get("jwk"), dict)):
        problems.append("cnf is not an object with a jwk")
    return (None if problems else jwt), "; ".join(problems)


def _holder_binding(parts: SdJwtParts, payload: dict[str, Any], *, now: float, skew: int,
                    max_age: int | None,
                    expected_nonce: str | None, expected_audience: str | None,
                    required: bool, out: SdJwtVerification) -> SdJwtCheck:
    name = "holder_binding"
    if parts.kb_jwt is None:
        if required:
            return SdJwtCheck(name, "failed", "holder.key_binding_missing",
                              "a Key Binding JWT is required but none was presented")
        return SdJwtCheck(name, "skipped", "holder.not_presented", "no Key Binding JWT")
    try:
        kb = decode_jwt(parts.kb_jwt)
    except SdJwtError as exc:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid", str(exc))
    out.key_binding = kb.payload
    holder_jwk = (payload.get("cnf") or {}).get("jwk")
    if holder_jwk is None:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid",
                          "the credential names no holder key (cnf.jwk)")
    if kb.header.get("typ") != KB_JWT_TYP:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid", "KB-JWT typ is not kb+jwt")
    try:
        valid = jws_signature_valid(parts.kb_jwt, holder_jwk)
    except (SdJwtError, KeyMaterialError) as exc:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid", str(exc))
    if not valid:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid",
                          "KB-JWT signature does not match cnf.jwk")
    claims = kb.payload
    if claims.get("sd_hash") != digest(parts.presented):
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid",
                          "sd_hash does not cover the presented SD-JWT")
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float) or iat > now + skew:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid",
                          "KB-JWT iat is missing or in the future")
    if max_age is not None and iat < now - max_age - skew:
        return SdJwtCheck(name, "failed", "holder.key_binding_invalid",
                          f"KB-JWT is older than {max_age} seconds (replayed?)")
    if expected_nonce is not None and claims.get("nonce") != expected_nonce:
        return SdJwtCheck(name, "failed", "presentation.challenge_mismatch",
                          f"nonce {claims.get('nonce')!r} != expected {expected_nonce!r}")
    if expected_audience is not None and claims.get("aud") != expected_audience:
        return SdJwtCheck(name, "failed", "presentation.audience_mismatch",
                          f"aud {claims.get('aud')!r} != expected {expected_audience!r}")
    return SdJwtCheck(name, "passed", "holder.ok", "KB-JWT signed with cnf.jwk")


def verify_sd_jwt_vc(
    text: str,
    *,
    issuer_key_resolver: IssuerKeyResolver,
    expected_nonce: str | None = None,
    expected_audience: str | None = None,
    now: datetime | float | None = None,
    require_key_binding: bool | None = None,
    clock_skew_seconds: int = 60,
    kb_max_age_seconds: int | None = 600,
) -> SdJwtVerification:
    """Check an SD-JWT VC and return the claims it discloses with each check's outcome."""
    out = SdJwtVerification()
    when = _epoch(now)

    def not_run(*names: str) -> SdJwtVerification:
        out.checks += [SdJwtCheck(n, "skipped", "check.not_run", "an earlier check failed")
                       for n in names]
        return out

    try:
        parts = parse(text)
    except SdJwtError as exc:
        out.checks.append(SdJwtCheck("well_formed", "failed", "format.invalid", str(exc)))
        return not_run(*CHECK_ORDER[1:])
    jwt, problems = _well_formed(parts)
    if jwt is None:
        out.checks.append(SdJwtCheck("well_formed", "failed", "format.invalid", problems))
        return not_run(*CHECK_ORDER[1:])
    out.header, payload = jwt.header, jwt.payload
    out.checks.append(SdJwtCheck("well_formed", "passed", "format.ok"))

    issuer, kid = payload["iss"], out.header.get("kid")
    key, key_check = None, None
    if isinstance(kid, str) and kid.startswith("did:") and issuer.startswith("did:") \
            and kid.split("#", 1)[0] != issuer:
        key_check = SdJwtCheck("issuer_key", "failed", "issuer.key_not_controlled",
                               f"kid {kid} is not a key of {issuer}")
    else:
        try:
            key = issuer_key_resolver(issuer, out.header)
            key_check = SdJwtCheck("issuer_key", "passed", "issuer.key_controlled",
                                   f"key {kid or '(no kid)'} belongs to {issuer}")
        except (KeyMaterialError, InvalidDidError) as exc:
            key_check = SdJwtCheck("issuer_key", "failed", "issuer.key_not_controlled", str(exc))
        except DidResolutionError as exc:
            key_check = SdJwtCheck("issuer_key", "skipped", "issuer.unresolvable", str(exc),
                                   could_not_check=True)

    processed: Processed | None = None
    if key is None:
        out.checks.append(SdJwtCheck("proof", "skipped", "check.not_run",
                                     "the issuer's key is not available",
                                     could_not_check=key_check.could_not_check))
    else:
        try:
            valid = jws_signature_valid(parts.issuer_jwt, key)
            detail = "" if valid else "issuer signature does not match"
        except (SdJwtError, KeyMaterialError) as exc:
            valid, detail = False, str(exc)
        if not valid:
            out.checks.append(SdJwtCheck("proof", "failed", "proof.changed", detail))
        else:
            processed = process(payload, parts.disclosures)
            if processed.problems:
                first = processed.problems[0]
                out.checks.append(SdJwtCheck("proof", "failed", first.code,
                                             "; ".join(p.detail for p in processed.problems)))
                processed = None
            else:
                out.checks.append(SdJwtCheck("proof", "passed", "proof.valid"))
                out.claims = processed.claims
                out.disclosed_paths = list(processed.paths.values())
    out.checks.append(key_check)

    if "status" in payload:
        out.checks.append(SdJwtCheck("status", "skipped", "status.unsupported",
                                     "token status lists are not checked yet", could_not_check=True))
    else:
        out.checks.append(SdJwtCheck("status", "skipped", "status.none"))

    exp, nbf = payload.get("exp"), payload.get("nbf")
    if exp is not None and exp <= when - clock_skew_seconds:
        out.checks.append(SdJwtCheck("validity_period", "failed", "validity.expired", f"exp {exp}"))
    elif nbf is not None and nbf > when + clock_skew_seconds:
        out.checks.append(SdJwtCheck("validity_period", "failed", "validity.not_yet_valid",
                                     f"nbf {nbf}"))
    else:
        out.checks.append(SdJwtCheck("validity_period", "passed", "validity.ok"))

    required = require_key_binding if require_key_binding is not None else (
        expected_nonce is not None or expected_audience is not None)
    # RFC 9901 7.3 step 5: a fresh KB-JWT matters when the verifier sent a nonce just now.
    max_age = kb_max_age_seconds if expected_nonce is not None else None
    out.checks.append(_holder_binding(parts, payload, now=when, skew=clock_skew_seconds,
                                      max_age=max_age,
                                      expected_nonce=expected_nonce,
                                      expected_audience=expected_audience,
                                      required=required, out=out))
    return out
