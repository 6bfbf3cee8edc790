"""Reading public keys from verification methods: Multikey and JsonWebKey forms."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from openler.core.dids import public_key_from_vm
from openler.core.errors import InvalidDidError
from openler.core.keys import generate_keypair


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_ed25519_jwk_gives_the_same_key_as_multikey() -> None:
    pair = generate_keypair("Ed25519")
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64(pair.public_key().raw)}
    for vm_type in ("JsonWebKey", "JsonWebKey2020"):
        pub = public_key_from_vm({"id": "did:x:y#k", "type": vm_type, "publicKeyJwk": jwk})
        assert pub == pair.public_key()
        assert pub.verify(b"m", pair.sign(b"m"))


def test_p256_jwk_gives_the_same_key_as_multikey() -> None:
    for _ in range(4):  # both parities of y
        pair = generate_keypair("P-256")
        numbers = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), pair.public_key().raw
        ).public_numbers()
        jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64(numbers.x.to_bytes(32, "big")),
            "y": _b64(numbers.y.to_bytes(32, "big")),
        }
        pub = public_key_from_vm({"id": "did:x:y#k", "type": "JsonWebKey", "publicKeyJwk": jwk})
        assert pub == pair.public_key()


@pytest.mark.parametrize(
    "vm",
    [
        {"type": "JsonWebKey", "publicKeyJwk": {"kty": "RSA", "n": "AQAB", "e": "AQAB"}},
        {"type": "JsonWebKey", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AA"}},
        {
            "type": "JsonWebKey",
            "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"},
        },
        {"type": "JsonWebKey", "publicKeyJwk": "text"},
        {"type": "EcdsaSecp256k1VerificationKey2019", "publicKeyMultibase": "z6Mk"},
        {"type": "Multikey"},
        {"type": "Multikey", "publicKeyMultibase": "z111"},
    ],
)
def test_unusable_verification_methods(vm: dict) -> None:
    with pytest.raises(InvalidDidError):
        public_key_from_vm({"id": "did:x:y#k", **vm})
