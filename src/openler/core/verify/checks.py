"""The checks of a JSON credential, each a small function returning a Check.

Spec: VC Data Model 2.0 sections 4 (basic concepts: @context, type, issuer,
credentialSubject, validFrom/validUntil) and 7.1 (verification); VC Data
Integrity 1.0 section 4.4 (verify proof); Controlled Identifiers 1.0 section
3.3 (the key must belong to the issuer and be listed for assertionMethod).
Each check tolerates any JSON value: a bad credential is a result.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from openler.core.dids import is_listed_for
from openler.core.errors import DidResolutionError, InvalidDidError, UnsupportedDidMethodError
from openler.core.proofs import ProofCheck, verify_proof
from openler.core.proofs.proof_config import is_datetime, parse_datetime
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, make_check

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
DATE_FIELDS = ("validFrom", "validUntil", "issuanceDate", "expirationDate")

# proofs.ProofCheck codes -> our stable codes (the proof check's own wording).
PROOF_CODES = {
    "proof.ok": "proof.valid",
    "proof.missing": "proof.missing",
    "proof.malformed": "proof.invalid",
    "proof.unknown_cryptosuite": "proof.unsupported",
    "proof.purpose_mismatch": "proof.wrong_purpose",
    "proof.challenge_mismatch": "presentation.challenge_mismatch",
    "proof.domain_mismatch": "presentation.domain_mismatch",
    "proof.expired": "proof.expired",
    "proof.key_type_mismatch": "proof.invalid",
    "proof.signature_invalid": "proof.changed",
    "proof.cannot_canonicalize": "proof.invalid",
    "proof.unsigned_data": "proof.unsigned_data",
}


def as_list(value: Any) -> list[Any]:
    """A JSON value as a list (absent -> empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def party_id(value: Any) -> str | None:
    """The id of an ``issuer``/``holder`` value given as a string or an object."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _types(doc: Mapping[str, Any]) -> list[Any]:
    return as_list(doc.get("type"))


def shape_problems(doc: Mapping[str, Any]) -> list[str]:
    """What makes a JSON object not a credential (VC DM 2.0 section 4)."""
    problems: list[str] = []
    context = as_list(doc.get("@context"))
    if not context or context[0] not in (VC_V2, VC_V1):
        problems.append("@context must start with the VC 2.0 (or 1.1) context")
    if "VerifiableCredential" not in _types(doc):
        problems.append("type must include VerifiableCredential")
    if party_id(doc.get("issuer")) is None:
        problems.append("issuer must be a URL or an object with an id")
    subjects = as_list(doc.get("credentialSubject"))
    if not subjects or not all(isinstance(s, Mapping) for s in subjects):
        problems.append("credentialSubject must be an object (or a list of objects)")
    for name in DATE_FIELDS:
        if name in doc and not is_datetime(doc[name]):
            problems.append(f"{name} is not a date-time")
    for name in ("credentialStatus", "proof"):
        if name in doc and not all(isinstance(x, Mapping) for x in as_list(doc[name])):
            problems.append(f"{name} must be an object (or a list of objects)")
    return problems


def check_well_formed(doc: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """Is this recognisably a credential?"""
    problems = shape_problems(doc)
    if problems:
        return make_check("well_formed", "failed", "format.invalid", "; ".join(problems),
                          language=ctx.language)
    return make_check("well_formed", "passed", "format.ok", language=ctx.language)


def proof_result(doc: Mapping[str, Any], ctx: VerificationContext, *, purpose: str,
                 challenge: str | None = None, domain: str | None = None) -> ProofCheck:
    """Run Data Integrity verification; the pipeline checks key ownership separately."""
    return verify_proof(doc, resolver=ctx.resolver, loader=ctx.loader, expected_purpose=purpose,
                        challenge=challenge, domain=domain, now=ctx.clock(),
                        check_controller=False)


def proof_check(result: ProofCheck, ctx: VerificationContext, *,
                valid_code: str = "proof.valid") -> Check:
    """Translate a ProofCheck into the pipeline's "proof" check."""
    lang = ctx.language
    if result.ok:
        return make_check("proof", "passed", valid_code, result.detail, language=lang)
    if result.code in ("proof.key_unresolvable", "proof.vm_not_authorized"):
        if result.could_not_check:  # the key's document could not be fetched
            return make_check("proof", "skipped", "proof.cannot_check",
                              f"the signing key could not be fetched: {result.detail}",
                              language=lang, could_not_check=True)
        return make_check("proof", "skipped", "check.not_run",
                          f"the signing key is not usable: {result.detail}",
                          language=lang, could_not_check=result.could_not_check)
    code = PROOF_CODES.get(result.code, "proof.invalid")
    if result.could_not_check:
        return make_check("proof", "skipped", "proof.cannot_check", result.detail,
                          language=lang, could_not_check=True)
    if code == "proof.unsupported":
        return make_check("proof", "skipped", code, result.detail, language=lang,
                          could_not_check=True)
    return make_check("proof", "failed", code, result.detail, language=lang)


def unsupported_method(exc: InvalidDidError) -> bool:
    """An identifier we cannot resolve at all (another DID method, an https profile):
    "could not check", not "not the issuer's key"."""
    return isinstance(exc, UnsupportedDidMethodError)


def check_key_controlled(doc: Mapping[str, Any], ctx: VerificationContext, *, party: str,
                         purpose: str, name: str, ok_code: str, bad_code: str,
                         unresolvable_code: str = "issuer.unresolvable") -> Check:
    """Does every proof's key belong to ``party`` and is it listed for ``purpose``?"""
    lang = ctx.language
    owner = party_id(doc.get(party))
    proofs = [p for p in as_list(doc.get("proof")) if isinstance(p, Mapping)]
    vms = [p["verificationMethod"] for p in proofs if isinstance(p.get("verificationMethod"), str)]
    if owner is None or not vms or len(vms) != len(proofs):
        return make_check(name, "skipped", "check.not_run",
                          f"no {party} id or no proof naming a key", language=lang)
    for vm_id in vms:
        try:
            controller_doc, vm = ctx.resolver.resolve_verification_method(vm_id)
        except InvalidDidError as exc:
            if not unsupported_method(exc):
                return make_check(name, "failed", bad_code, f"{vm_id}: {exc.reason}",
                                  language=lang)
            return make_check(name, "skipped", unresolvable_code, f"{vm_id}: {exc.reason}",
                              language=lang, could_not_check=True)
        except DidResolutionError as exc:
            return make_check(name, "skipped", unresolvable_code, f"{vm_id}: {exc.reason}",
                              language=lang, could_not_check=True)
        controller = vm.get("controller")
        if controller != owner:
            return make_check(name, "failed", bad_code,
                              f"key {vm_id} is controlled by {controller}, not the {party} {owner}",
                              language=lang)
        if not is_listed_for(controller_doc, vm_id, purpose):
            return make_check(name, "failed", bad_code,
                              f"key {vm_id} is not listed for {purpose} by {owner}", language=lang)
    return make_check(name, "passed", ok_code, f"{owner} controls the signing key", language=lang)


def _moment(doc: Mapping[str, Any], *names: str) -> datetime | None:
    for name in names:
        value = doc.get(name)
        if isinstance(value, str) and is_datetime(value):
            return parse_datetime(value)
    return None


def check_validity_period(doc: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """Is the credential inside its validFrom / validUntil window now?"""
    lang = ctx.language
    now = ctx.clock()
    try:
        start = _moment(doc, "validFrom", "issuanceDate")
        end = _moment(doc, "validUntil", "expirationDate")
    except ValueError as exc:
        return make_check("validity_period", "failed", "format.invalid", str(exc), language=lang)
    if end is not None and end < now:
        return make_check("validity_period", "failed", "validity.expired",
                          f"valid until {end.isoformat()}", language=lang)
    if start is not None and start > now:
        return make_check("validity_period", "failed", "validity.not_yet_valid",
                          f"valid from {start.isoformat()}", language=lang)
    return make_check("validity_period", "passed", "validity.ok", language=lang)
