"""Verify an OpenID4VCI key proof JWT and name the holder's DID from it.

Spec: OpenID4VCI 1.0, Appendix F.1 (``jwt`` proof type: ``typ``
``openid4vci-proof+jwt``; ``alg`` not ``none``; exactly one of ``kid`` (a DID URL)
or ``jwk``; claims ``aud`` = the Credential Issuer Identifier, ``iat``, ``nonce`` =
a ``c_nonce`` from the Nonce Endpoint) and section 8.3.1.2 (``invalid_proof``,
``invalid_nonce``). did:key (W3C CCG did:key v0.7) and did:jwk (did:jwk spec
section 2) name the key itself, so no resolution over the network is needed.
"""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey

from openler.core.dids.key import public_key_from_did_key
from openler.core.errors import CoreError
from openler.issuer.delivery.errors import Oid4vciError

PROOF_TYP = "openid4vci-proof+jwt"
ALGORITHMS = ("ES256", "EdDSA", "Ed25519")
BINDING_METHODS = ("did:key", "did:jwk")
MAX_AGE = timedelta(minutes=5)
MAX_SKEW = timedelta(minutes=1)
MAX_PROOF_LENGTH = 8_000

Key = ECKey | OKPKey


@dataclass(frozen=True)
class ProofResult:
    """Who proved possession: the holder's DID and the nonce they used."""

    holder_did: str
    nonce: str


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _invalid(description: str) -> Oid4vciError:
    return Oid4vciError("invalid_proof", description)


def _public_jwk(jwk: Any) -> dict[str, str]:
    if not isinstance(jwk, dict) or "d" in jwk:
        raise _invalid("The jwk header must be a public JSON Web Key.")
    kty = jwk.get("kty")
    keep = {"OKP": ("kty", "crv", "x"), "EC": ("kty", "crv", "x", "y")}.get(str(kty))
    if keep is None or not all(isinstance(jwk.get(k), str) for k in keep):
        raise _invalid("Only OKP (Ed25519) and EC (P-256) keys are supported.")
    return {k: jwk[k] for k in keep}


def _import(jwk: dict[str, str]) -> Key:
    data: dict[str, str | list[str]] = dict(jwk)
    try:
        return OKPKey.import_key(data) if jwk["kty"] == "OKP" else ECKey.import_key(data)
    except (JoseError, ValueError, TypeError):
        raise _invalid("The key in the proof cannot be read.") from None


def _did_key_jwk(did: str) -> dict[str, str]:
    try:
        pub = public_key_from_did_key(did)
    except CoreError:
        raise _invalid("The did:key in kid is not valid.") from None
    if pub.algorithm == "Ed25519":
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64encode(pub.raw)}
    point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub.raw).public_numbers()
    return {"kty": "EC", "crv": "P-256", "x": _b64encode(point.x.to_bytes(32, "big")),
            "y": _b64encode(point.y.to_bytes(32, "big"))}


def _did_jwk_jwk(did: str) -> dict[str, str]:
    try:
        return _public_jwk(json.loads(_b64decode(did[len("did:jwk:"):])))
    except (ValueError, UnicodeDecodeError):
        raise _invalid("The did:jwk in kid is not valid.") from None


def did_jwk_of(jwk: dict[str, str]) -> str:
    """The did:jwk naming a public key given in a ``jwk`` header."""
    text = json.dumps(jwk, separators=(",", ":"), sort_keys=True)
    return "did:jwk:" + _b64encode(text.encode("utf-8"))


def _holder(header: dict[str, Any]) -> tuple[str, Key]:
    kid, jwk = header.get("kid"), header.get("jwk")
    if (kid is None) == (jwk is None) or "x5c" in header:
        raise _invalid("The proof must name its key with exactly one of kid or jwk.")
    if jwk is not None:
        public = _public_jwk(jwk)
        return did_jwk_of(public), _import(public)
    if not isinstance(kid, str) or len(kid) > 2_000:
        raise _invalid("kid must be a DID URL.")
    did = kid.split("#", 1)[0]
    if did.startswith("did:key:"):
        return did, _import(_did_key_jwk(did))
    if did.startswith("did:jwk:"):
        return did, _import(_did_jwk_jwk(did))
    raise _invalid("kid must be a did:key or did:jwk DID URL.")


def _header_of(proof: str) -> dict[str, Any]:
    parts = proof.split(".")
    if len(parts) != 3:
        raise _invalid("The proof is not a compact JWS.")
    try:
        header = json.loads(_b64decode(parts[0]))
    except (ValueError, UnicodeDecodeError):
        raise _invalid("The proof header is not base64url JSON.") from None
    if not isinstance(header, dict):
        raise _invalid("The proof header is not a JSON object.")
    return header


def verify_key_proof(proof: Any, *, audience: str, now: datetime,
                     use_nonce: Callable[[str], bool]) -> ProofResult:
    """Check the holder signed our audience and a fresh nonce with the key they name."""
    if not isinstance(proof, str) or not proof or len(proof) > MAX_PROOF_LENGTH:
        raise _invalid("The proof must be a JWT string.")
    header = _header_of(proof)
    if header.get("typ") != PROOF_TYP:
        raise _invalid(f"The proof's typ must be {PROOF_TYP}.")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise _invalid("The proof's alg must be one of " + ", ".join(ALGORITHMS) + ".")
    holder_did, key = _holder(header)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            token = jwt.decode(proof, key, algorithms=[alg])
    except (JoseError, ValueError, TypeError):
        raise _invalid("The proof's signature does not match its key.") from None
    claims = token.claims
    audiences = claims.get("aud")
    if audience not in (audiences if isinstance(audiences, list) else [audiences]):
        raise _invalid(f"The proof's aud must be {audience}.")
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise _invalid("The proof must carry iat.")
    issued = datetime.fromtimestamp(iat, tz=now.tzinfo)
    if issued > now + MAX_SKEW or issued < now - MAX_AGE:
        raise _invalid("The proof's iat is not recent.")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not use_nonce(nonce):
        raise Oid4vciError("invalid_nonce", "The proof's nonce is missing, unknown or used.")
    return ProofResult(holder_did=holder_did, nonce=nonce)
