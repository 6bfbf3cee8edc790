"""The outcome of checking Data Integrity proofs: a value, never an exception.

Spec: W3C VC Data Integrity 1.0, section 4.5 (Verify Proof) returns a
verification result (verified, verifiedDocument, errors); here it carries a
stable machine code, a short English detail, and whether the check could
not run at all (``could_not_check``), which is not the same as "invalid".

Codes:
    proof.ok                    every proof verified
    proof.missing               the document has no proof
    proof.malformed             a proof lacks or mistypes a required property
    proof.unknown_cryptosuite   cryptosuite not supported here
    proof.purpose_mismatch      proofPurpose is not the one the verifier expects
    proof.challenge_mismatch    challenge absent or not the one the verifier sent
    proof.domain_mismatch       domain absent or not the verifier's
    proof.expired               the proof's ``expires`` has passed
    proof.key_unresolvable      the verification method could not be found or fetched
    proof.key_type_mismatch     the key does not fit the cryptosuite
    proof.vm_not_authorized     key not listed for the purpose, or its controller is
                                not the credential's issuer / presentation's holder
    proof.cannot_canonicalize   canonicalization failed (e.g. unknown context)
    proof.unsigned_data         the document holds data the signature does not cover
                                (undefined terms, relative types/ids: safe mode)
    proof.signature_invalid     the signature does not match: changed after signing
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProofCheck:
    """Result of verifying one proof, or of a proof set (then ``proofs`` holds each)."""

    ok: bool
    code: str
    detail: str
    could_not_check: bool = False
    verification_method: str | None = None
    controller: str | None = None
    cryptosuite: str | None = None
    proof_purpose: str | None = None
    created: str | None = None
    proofs: tuple[ProofCheck, ...] = ()

    def __bool__(self) -> bool:
        return self.ok


def failed(code: str, detail: str, **fields: object) -> ProofCheck:
    """A failed check (helper that keeps call sites short)."""
    return ProofCheck(ok=False, code=code, detail=detail, **fields)  # type: ignore[arg-type]
