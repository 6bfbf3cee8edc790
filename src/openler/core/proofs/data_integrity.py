"""Add and verify Data Integrity proofs (``DataIntegrityProof``) with RDFC cryptosuites.

Spec: W3C VC Data Integrity 1.0, sections 4.2 (Add Proof), 4.4 (Verify
Proof), 4.3 (proof sets: ``proof`` may be a list; each member is verified
over the document without any proof), 2.2 (Proof Purposes: the method must
be listed under the purpose in its controller document); vc-di-eddsa 3.3 and
vc-di-ecdsa 3.2 for the suite steps (see ``cryptosuite.py``).

Both run JSON-LD in safe mode (section 4): signing refuses, and verification
reports ``proof.unsigned_data`` for, data that would be left out of the
signed RDF (e.g. a property no context defines, added next to a valid proof).

Verification never raises for a bad, tampered or unresolvable document: it
returns a ProofCheck. When a check could not run (the key's document could
not be fetched, a context is unknown to the strict loader) the result is
``ok=False`` with ``could_not_check=True``, so callers can say "could not
check" instead of "invalid".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol, cast

from openler.core.dids.document import is_listed_for, public_key_from_vm
from openler.core.errors import (
    CanonicalizationError,
    DidResolutionError,
    DocumentLoaderError,
    InvalidDidError,
    KeyMaterialError,
    ProofOptionsError,
    UnsafeDataError,
)
from openler.core.jsonld import DocumentLoader
from openler.core.keys.multibase import multibase_decode, multibase_encode
from openler.core.keys.multikey import KeyPair
from openler.core.proofs.proof_config import (
    format_datetime,
    is_datetime,
    parse_datetime,
    proof_config,
    proof_options,
)
from openler.core.proofs.result import ProofCheck, failed
from openler.core.proofs.suites import get_cryptosuite

_OK = ProofCheck(ok=True, code="proof.ok", detail="Proof verified.")
# Which document property names the party a purpose binds the key to.
_BOUND_PARTY = {"assertionMethod": "issuer", "authentication": "holder"}


class VerificationMethodResolver(Protocol):
    """What verify_proof needs: a verification method id -> (controller doc, method)."""

    def resolve_verification_method(self, vm_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Raise DidResolutionError (InvalidDidError when definitely absent) on failure."""
        ...


def sign(document: Mapping[str, Any], *, keypair: KeyPair, verification_method: str,
         cryptosuite: str = "eddsa-rdfc-2022", proof_purpose: str = "assertionMethod",
         created: datetime | str | None = None, expires: datetime | str | None = None,
         challenge: str | None = None, domain: str | list[str] | None = None,
         loader: DocumentLoader | None = None,
         clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """A new document with a Data Integrity proof added (existing proofs are kept as a set).

    Raises ProofOptionsError for an unknown cryptosuite or a bad date,
    KeyMaterialError when the key does not fit the cryptosuite, and
    UnsafeDataError (its ``paths`` name them) when the document holds data the
    proof would not cover: undefined terms, relative types or ids (safe mode).
    """
    suite = get_cryptosuite(cryptosuite)
    if suite is None:
        raise ProofOptionsError(f"unknown cryptosuite {cryptosuite!r}")
    if keypair.algorithm != suite.key_algorithm:
        raise KeyMaterialError(f"{cryptosuite} needs a {suite.key_algorithm} key, "
                               f"not {keypair.algorithm}")
    if created is None:
        created = (clock or _utc_now)()
    try:
        created_text = format_datetime(created)
        expires_text = None if expires is None else format_datetime(expires)
    except ValueError as exc:
        raise ProofOptionsError(str(exc)) from None
    if not isinstance(verification_method, str) or ":" not in verification_method:
        raise ProofOptionsError("verification_method must be an absolute IRI")
    options = proof_options(
        cryptosuite=cryptosuite, created=created_text,
        verification_method=verification_method, proof_purpose=proof_purpose,
        challenge=challenge, domain=domain, expires=expires_text)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = proof_config(options, unsecured.get("@context"))
    signature = suite.sign(keypair, suite.hash_data(config, unsecured, loader=loader))
    options["proofValue"] = multibase_encode(signature)
    existing = document.get("proof")
    secured = dict(unsecured)
    if existing is None:
        secured["proof"] = options
    else:
        secured["proof"] = [*(existing if isinstance(existing, list) else [existing]), options]
    return secured


def verify_proof(document: Any, *, resolver: VerificationMethodResolver,
                 loader: DocumentLoader | None = None,
                 expected_purpose: str = "assertionMethod", challenge: str | None = None,
                 domain: str | None = None, now: datetime | None = None,
                 check_controller: bool = True) -> ProofCheck:
    """Check every proof on ``document``; ``ok`` only when all of them verify."""
    if not isinstance(document, Mapping):
        return failed("proof.malformed", "The document is not a JSON object.")
    proof = document.get("proof")
    if proof is None or proof == []:
        return failed("proof.missing", "The document has no proof.")
    proofs = proof if isinstance(proof, list) else [proof]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    ctx = _Context(resolver, loader, expected_purpose, challenge, domain,
                   now or datetime.now(UTC), check_controller)
    results = tuple(_verify_one(p, unsecured, ctx) for p in proofs)
    if len(results) == 1:
        return results[0]
    bad = next((r for r in results if not r.ok), None)
    if bad is None:
        return ProofCheck(ok=True, code="proof.ok",
                          detail=f"All {len(results)} proofs verified.", proofs=results)
    return ProofCheck(ok=False, code=bad.code, detail=bad.detail,
                      could_not_check=bad.could_not_check, proofs=results)


class _Context:
    __slots__ = ("resolver", "loader", "purpose", "challenge", "domain", "now",
                 "check_controller")

    def __init__(self, resolver: VerificationMethodResolver, loader: DocumentLoader | None,
                 purpose: str, challenge: str | None, domain: str | None, now: datetime,
                 check_controller: bool) -> None:
        self.resolver, self.loader, self.purpose = resolver, loader, purpose
        self.challenge, self.domain, self.now = challenge, domain, now
        self.check_controller = check_controller


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _verify_one(proof: Any, unsecured: dict[str, Any], ctx: _Context) -> ProofCheck:
    if not isinstance(proof, Mapping):
        return failed("proof.malformed", "A proof is not a JSON object.")
    vm_id, purpose = proof.get("verificationMethod"), proof.get("proofPurpose")
    suite_name, value = proof.get("cryptosuite"), proof.get("proofValue")
    info = {"verification_method": vm_id if isinstance(vm_id, str) else None,
            "cryptosuite": suite_name if isinstance(suite_name, str) else None,
            "proof_purpose": purpose if isinstance(purpose, str) else None,
            "created": proof.get("created") if isinstance(proof.get("created"), str) else None}
    if proof.get("type") != "DataIntegrityProof":
        return failed("proof.malformed", f"Unsupported proof type {proof.get('type')!r}.", **info)
    for name, item in (("verificationMethod", vm_id), ("proofPurpose", purpose),
                       ("cryptosuite", suite_name), ("proofValue", value)):
        if not isinstance(item, str) or not item:
            return failed("proof.malformed", f"The proof has no valid {name}.", **info)
    vm_id, purpose, suite_name, value = (
        cast(str, vm_id), cast(str, purpose), cast(str, suite_name), cast(str, value))
    for name in ("created", "expires"):
        if name in proof and not is_datetime(proof[name]):
            return failed("proof.malformed", f"The proof's {name} is not a date-time.", **info)
    suite = get_cryptosuite(suite_name)
    if suite is None:
        return failed("proof.unknown_cryptosuite",
                      f"Cryptosuite {suite_name!r} is not supported.", **info)
    if purpose != ctx.purpose:
        return failed("proof.purpose_mismatch",
                      f"Proof purpose is {purpose!r}, expected {ctx.purpose!r}.", **info)
    if ctx.challenge is not None and proof.get("challenge") != ctx.challenge:
        return failed("proof.challenge_mismatch", "The proof's challenge is not the one sent.",
                      **info)
    if ctx.domain is not None:
        got = proof.get("domain")
        if ctx.domain not in (got if isinstance(got, list) else [got]):
            return failed("proof.domain_mismatch", "The proof is for another domain.", **info)
    if "expires" in proof and parse_datetime(proof["expires"]) < ctx.now:
        return failed("proof.expired", "The proof has expired.", **info)
    context = unsecured.get("@context")
    if "@context" in proof:
        if not _starts_with(context, proof["@context"]):
            return failed("proof.malformed",
                          "The proof's @context does not match the document's.", **info)
        context = proof["@context"]
    try:
        signature = multibase_decode(value)
    except KeyMaterialError:
        return failed("proof.malformed", "proofValue is not base58btc multibase.", **info)

    try:
        controller_doc, vm = ctx.resolver.resolve_verification_method(vm_id)
        public_key = public_key_from_vm(vm)
    except InvalidDidError as exc:
        return failed("proof.key_unresolvable", f"The signing key was not found: {exc.reason}.",
                      **info)
    except DidResolutionError as exc:
        return failed("proof.key_unresolvable", f"The signing key could not be fetched: "
                      f"{exc.reason}.", could_not_check=True, **info)
    controller = vm.get("controller")
    info["controller"] = controller if isinstance(controller, str) else None
    if not is_listed_for(controller_doc, vm_id, purpose):
        return failed("proof.vm_not_authorized",
                      f"The key is not listed for {purpose} by its controller.", **info)
    if public_key.algorithm != suite.key_algorithm:
        return failed("proof.key_type_mismatch",
                      f"{suite_name} needs a {suite.key_algorithm} key, the method holds "
                      f"{public_key.algorithm}.", **info)

    config = proof_config(proof, context)
    try:
        hash_data = suite.hash_data(config, unsecured, loader=ctx.loader)
    except UnsafeDataError as exc:
        return _unsafe_outcome(exc, suite, public_key, signature, config, unsecured, ctx, info)
    except Exception as exc:  # canonicalizers wrap loader errors in their own types
        cause = _root_cause(exc)
        could_not = isinstance(cause, DocumentLoaderError | CanonicalizationError)
        return failed("proof.cannot_canonicalize", f"Could not canonicalize: {cause}.",
                      could_not_check=could_not, **info)
    if not suite.verify(public_key, hash_data, signature):
        return failed("proof.signature_invalid",
                      "The signature does not match: the document was changed after signing.",
                      **info)
    if ctx.check_controller:
        party_prop = _BOUND_PARTY.get(purpose)
        party = _party_id(unsecured.get(party_prop)) if party_prop else None
        if party is not None and party != controller:
            return failed("proof.vm_not_authorized",
                          f"The key belongs to {controller!r}, not the {party_prop} {party!r}.",
                          **info)
    return ProofCheck(ok=True, code=_OK.code, detail=_OK.detail, **info)  # type: ignore[arg-type]


def _unsafe_outcome(exc: UnsafeDataError, suite: Any, public_key: Any, signature: bytes,
                    config: dict[str, Any], unsecured: dict[str, Any], ctx: _Context,
                    info: dict[str, Any]) -> ProofCheck:
    """Data the proof does not cover: "changed" if the signature fails even over what is
    covered (e.g. a type was altered), else "unsigned data" (e.g. a property was added)."""
    try:
        covered = suite.hash_data(config, unsecured, loader=ctx.loader, safe=False)
    except Exception:  # noqa: BLE001 - the unsafe finding is the answer then
        covered = None
    if covered is not None and not suite.verify(public_key, covered, signature):
        return failed("proof.signature_invalid",
                      "The signature does not match: the document was changed after signing.",
                      **info)
    return failed("proof.unsigned_data",
                  "The document holds data the proof does not cover: "
                  + ", ".join(f"{path} ({event})" for path, event, _ in exc.items) + ".",
                  **info)


def _root_cause(exc: BaseException) -> BaseException:
    """The first DocumentLoaderError/CanonicalizationError in the chain, else ``exc``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, DocumentLoaderError | CanonicalizationError):
            return current
        seen.add(id(current))
        nxt = getattr(current, "cause", None)  # pyld's JsonLdError keeps its cause here
        current = nxt if isinstance(nxt, BaseException) else (
            current.__cause__ or current.__context__)
    return exc


def _party_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _starts_with(context: Any, prefix: Any) -> bool:
    have = context if isinstance(context, list) else [context]
    want = prefix if isinstance(prefix, list) else [prefix]
    return have[:len(want)] == want
