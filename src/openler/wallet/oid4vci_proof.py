"""The key proof a wallet sends with its credential request, signed by the learner's key.

Spec: OpenID4VCI 1.0, Appendix F.1 (``jwt`` proof type: JOSE header ``typ``
``openid4vci-proof+jwt``, ``alg`` (here ``EdDSA``), and ``kid`` naming a DID URL
or ``jwk`` carrying the public key; claims ``aud`` = the Credential Issuer
Identifier, ``iat``, ``nonce`` = the ``c_nonce`` when the issuer has a Nonce
Endpoint, and no ``iss`` in the anonymous pre-authorized code flow); RFC 7515
section 7.1 (JWS Compact Serialization); RFC 8037 section 2 (OKP Ed25519 JWK).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from openler.core.keys.multikey import KeyPair

PROOF_TYP = "openid4vci-proof+jwt"


def b64url(data: bytes) -> str:
    """base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(pair: KeyPair) -> dict[str, str]:
    """The learner's public key as an OKP JWK (never the private part)."""
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(pair.public_key().raw)}


def key_proof(pair: KeyPair, *, audience: str, nonce: str | None, now: datetime,
              binding: str = "did:key") -> str:
    """Prove to the issuer that the learner holds the key the credential will be bound to."""
    if pair.algorithm != "Ed25519":
        raise ValueError("the wallet key must be Ed25519")
    header: dict[str, Any] = {"typ": PROOF_TYP, "alg": "EdDSA"}
    if binding == "jwk":
        header["jwk"] = public_jwk(pair)
    else:
        if not pair.id:
            raise ValueError("the key pair carries no did:key verification method id")
        header["kid"] = pair.id
    claims: dict[str, Any] = {"aud": audience, "iat": int(now.timestamp())}
    if nonce is not None:
        claims["nonce"] = nonce
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(claims, separators=(",", ":")).encode()))
    return signing_input + "." + b64url(pair.sign(signing_input.encode("ascii")))
