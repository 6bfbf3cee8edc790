"""Shared material of the verifier tests: the instance's base URL, types asked for, and an
SD-JWT VC bound to a holder key (issued by a did:key issuer, so it verifies offline)."""

from __future__ import annotations

from datetime import datetime

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys.multikey import generate_keypair
from openler.core.sdjwt import issue_sd_jwt_vc

SECRET = "verifier-test-secret"
BASE = "https://openler.example.org"
VCT = "https://credentials.example/forklift-licence"
OB_TYPE = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
VC_TYPE = "https://www.w3.org/2018/credentials#VerifiableCredential"


def sd_jwt_for(holder_public, now: datetime) -> str:
    """An SD-JWT VC from a did:key issuer, bound to ``holder_public`` (cnf.jwk)."""
    pair = generate_keypair("Ed25519")
    did = did_key_from_public(pair.public_key())
    return issue_sd_jwt_vc(
        {"given_name": "Ana", "family_name": "Ruiz", "licence_class": "B"},
        disclosable={"given_name", "family_name", "licence_class"}, issuer_key=pair,
        issuer=did, vct=VCT, kid=did_key_vm_id(pair.public_key()), holder_jwk=holder_public,
        issued_at=int(now.timestamp()) - 60)
