"""Signed material for the report and verifier-page tests: an Open Badges 3.0 credential from a
did:key issuer (verifies offline), a presentation of it signed by its holder, and DCC-format
registry files."""

from __future__ import annotations

import json
from typing import Any

from helpers import ob3_example
from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys.multikey import generate_keypair
from openler.core.proofs import sign


class Party:
    """A did:key identity that can sign (or a did:web one, whose document nobody serves)."""

    def __init__(self, did_web: str | None = None) -> None:
        self.pair = generate_keypair("Ed25519")
        self.did = did_web or did_key_from_public(self.pair.public_key())
        self.vm = f"{did_web}#key-1" if did_web else did_key_vm_id(self.pair.public_key())


def credential(issuer: Party, *, subject: str = "did:example:learner-7f3a",
               signer: Party | None = None, status: bool = False,
               **changes: Any) -> dict[str, Any]:
    """A signed OB 3.0 credential of ``issuer`` (signed by ``signer``'s key when given; with
    the example's status list entry on https://university.example when ``status``)."""
    doc = ob3_example()
    if not status:
        doc.pop("credentialStatus")
    doc.pop("credentialSchema")
    doc["issuer"]["id"] = issuer.did
    doc["credentialSubject"]["id"] = subject
    doc["credentialSubject"]["activityStartDate"] = "2025-02-01T00:00:00Z"
    doc["credentialSubject"]["activityEndDate"] = "2025-05-30T00:00:00Z"
    doc.update(changes)
    key = signer or issuer
    return sign(doc, keypair=key.pair, verification_method=key.vm)


def presentation(holder: Party, credentials: list[dict[str, Any]], *,
                 challenge: str = "c-123", domain: str = "https://hire.example") -> dict[str, Any]:
    """A presentation signed by ``holder`` for a challenge and domain."""
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"],
          "type": ["VerifiablePresentation"], "holder": holder.did,
          "verifiableCredential": credentials}
    return sign(vp, keypair=holder.pair, verification_method=holder.vm,
                proof_purpose="authentication", challenge=challenge, domain=domain)


def registry_file(entries: dict[str, Any], **meta: str) -> bytes:
    """A DCC issuer registry file."""
    return json.dumps({"meta": {"created": "2024-01-01T00:00:00Z", **meta},
                       "registry": entries}).encode()
