"""JWS signing and checking for SD-JWT through joserfc (RFC 7515, RFC 8037).

Keys arrive in several forms (a joserfc key, a JWK dict, a ``cryptography``
key object, or an OpenLER key pair); this module turns each into a joserfc
key and picks the JWS algorithm from the key type: ES256 for P-256, EdDSA for
Ed25519.
"""

from __future__ import annotations

import warnings
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from joserfc import jwk, jws
from joserfc.errors import BadSignatureError, JoseError

from openler.core.errors import KeyMaterialError, SdJwtError
from openler.core.keys import KeyPair, PublicKey, multibase_decode
from openler.core.keys.multibase import split_multicodec

JoseKey = jwk.ECKey | jwk.OKPKey
ALGORITHMS = ("ES256", "EdDSA", "Ed25519")


def to_jose_key(key: Any) -> JoseKey:
    """Accept any supported key form and return the joserfc key."""
    if isinstance(key, jwk.ECKey | jwk.OKPKey):
        return key
    try:
        if isinstance(key, dict):
            return jwk.import_key(key)  # type: ignore[return-value]
        if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
            return jwk.ECKey.import_key(key)
        if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
            return jwk.OKPKey.import_key(key)
    except (JoseError, ValueError, TypeError) as exc:
        raise KeyMaterialError(f"unusable JWK: {exc}") from None
    if isinstance(key, KeyPair):
        return to_jose_key(_private_from_keypair(key))
    if isinstance(key, PublicKey):
        return to_jose_key(_public_from_multikey(key))
    raise KeyMaterialError(f"unsupported key type for JWS: {type(key).__name__}")


def _private_from_keypair(pair: KeyPair) -> Any:
    _, secret = split_multicodec(multibase_decode(pair.secret_multibase))
    if pair.algorithm == "Ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(secret)
    return ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())


def _public_from_multikey(pub: PublicKey) -> Any:
    if pub.algorithm == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(pub.raw)
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub.raw)


def algorithm_for(key: JoseKey) -> str:
    """The JWS ``alg`` matching a key: ES256 (P-256) or EdDSA (Ed25519)."""
    curve = key.as_dict(private=False).get("crv")
    if isinstance(key, jwk.ECKey) and curve == "P-256":
        return "ES256"
    if isinstance(key, jwk.OKPKey) and curve == "Ed25519":
        return "EdDSA"
    raise KeyMaterialError(f"unsupported key for SD-JWT: {type(key).__name__} {curve}")


def public_jwk(key: Any) -> dict[str, Any]:
    """The public JWK of a key, e.g. for ``cnf.jwk``."""
    data = to_jose_key(key).as_dict(private=False)
    return {k: data[k] for k in ("kty", "crv", "x", "y") if k in data}


def sign_jws(header: dict[str, Any], payload: bytes, key: Any) -> str:
    """Compact JWS over ``payload`` with the algorithm implied by the key."""
    jose_key = to_jose_key(key)
    protected = {"alg": algorithm_for(jose_key), **header}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc flags "EdDSA" as superseded by "Ed25519"
        return jws.serialize_compact(protected, payload, jose_key, algorithms=[protected["alg"]])


def jws_signature_valid(token: str, key: Any) -> bool:
    """True when the JWS signature verifies; SdJwtError if it cannot be checked."""
    jose_key = to_jose_key(key)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jws.deserialize_compact(token, jose_key, algorithms=list(ALGORITHMS))
    except BadSignatureError:
        return False
    except (JoseError, ValueError, TypeError) as exc:
        raise SdJwtError(f"JWS could not be checked: {exc}") from None
    return True
