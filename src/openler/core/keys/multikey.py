"""Multikey public and secret keys for Ed25519 and P-256, backed by ``cryptography``.

Spec: W3C Controlled Identifiers 1.0, section 2.2.2 (Multikey): an Ed25519
public key is ``z`` + base58btc(0xed01 || 32 bytes); a P-256 public key is
``z`` + base58btc(0x8024 || 33-byte compressed point). Secret keys use
0x8026 (ed25519-priv, 32-byte seed) and 0x8626 (p256-priv, 32-byte scalar).
Signatures: Ed25519 (RFC 8032) and ECDSA P-256 with SHA-256, raw r||s
(64 bytes), as vc-di-ecdsa requires.

The ``cryptography`` key objects are built once per key and kept on the
instance, so signing and verifying never re-decode the multibase text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from openler.core.errors import KeyMaterialError
from openler.core.keys.multibase import (
    ED25519_PRIV,
    ED25519_PUB,
    P256_PRIV,
    P256_PUB,
    multibase_decode,
    multibase_encode,
    split_multicodec,
)

Algorithm = Literal["Ed25519", "P-256"]
ALGORITHMS: tuple[str, ...] = ("Ed25519", "P-256")
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class PublicKey:
    """A verification key: its algorithm, raw bytes and Multikey text."""

    __slots__ = ("algorithm", "raw", "multibase", "_key")
    _key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey

    def __init__(self, algorithm: Algorithm, raw: bytes) -> None:
        self.algorithm = algorithm
        self.raw = bytes(raw)
        try:
            if algorithm == "Ed25519":
                self._key = ed25519.Ed25519PublicKey.from_public_bytes(self.raw)
                header = ED25519_PUB
            elif algorithm == "P-256":
                if len(self.raw) != 33:
                    raise ValueError("a P-256 Multikey holds a 33-byte compressed point")
                self._key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), self.raw)
                header = P256_PUB
            else:
                raise KeyMaterialError(f"unsupported algorithm {algorithm!r}")
        except ValueError as exc:
            raise KeyMaterialError(f"invalid {algorithm} public key: {exc}") from None
        self.multibase = multibase_encode(header + self.raw)

    @classmethod
    def from_multibase(cls, text: str) -> PublicKey:
        """Parse a ``publicKeyMultibase`` value (Ed25519 or P-256)."""
        return _public_from_multibase(text)

    def verify(self, data: bytes, signature: bytes) -> bool:
        """True when ``signature`` is this key's signature over ``data``; never raises."""
        try:
            if isinstance(self._key, ed25519.Ed25519PublicKey):
                self._key.verify(signature, data)
            else:
                if len(signature) != 64:
                    return False
                r = int.from_bytes(signature[:32], "big")
                s = int.from_bytes(signature[32:], "big")
                if not (0 < r < _P256_ORDER and 0 < s < _P256_ORDER):
                    return False
                self._key.verify(encode_dss_signature(r, s), data, _ECDSA_SHA256)
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and other.multibase == self.multibase

    def __hash__(self) -> int:
        return hash(self.multibase)

    def __repr__(self) -> str:
        return f"PublicKey({self.algorithm!r}, {self.multibase!r})"


class KeyPair:
    """A signing key with its public half; optionally named by a VM id and controller."""

    __slots__ = ("algorithm", "_secret", "_public", "id", "controller")
    _secret: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey

    def __init__(self, algorithm: Algorithm, secret: bytes, *, id: str | None = None,
                 controller: str | None = None) -> None:
        self.algorithm = algorithm
        self.id = id
        self.controller = controller
        secret = bytes(secret)
        if len(secret) != 32:
            raise KeyMaterialError(f"a {algorithm} secret key is 32 bytes, got {len(secret)}")
        if algorithm == "Ed25519":
            self._secret = ed25519.Ed25519PrivateKey.from_private_bytes(secret)
            raw_pub = self._secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        elif algorithm == "P-256":
            scalar = int.from_bytes(secret, "big")
            if not 0 < scalar < _P256_ORDER:
                raise KeyMaterialError("P-256 secret scalar out of range")
            self._secret = ec.derive_private_key(scalar, ec.SECP256R1())
            raw_pub = self._secret.public_key().public_bytes(
                Encoding.X962, PublicFormat.CompressedPoint)
        else:
            raise KeyMaterialError(f"unsupported algorithm {algorithm!r}")
        self._public = PublicKey(algorithm, raw_pub)

    @property
    def public_multibase(self) -> str:
        """The ``publicKeyMultibase`` text of this pair."""
        return self._public.multibase

    @property
    def secret_multibase(self) -> str:
        """The ``secretKeyMultibase`` text; handle as a secret."""
        if isinstance(self._secret, ed25519.Ed25519PrivateKey):
            return multibase_encode(ED25519_PRIV + self._secret.private_bytes_raw())
        value = self._secret.private_numbers().private_value
        return multibase_encode(P256_PRIV + value.to_bytes(32, "big"))

    def public_key(self) -> PublicKey:
        """The verification half, to publish in a DID document."""
        return self._public

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``: 64-byte Ed25519 signature or raw r||s P-256/SHA-256."""
        if isinstance(self._secret, ed25519.Ed25519PrivateKey):
            return self._secret.sign(data)
        r, s = decode_dss_signature(self._secret.sign(data, _ECDSA_SHA256))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    @classmethod
    def from_multibase(cls, secret_multibase: str, *, public_multibase: str | None = None,
                       id: str | None = None, controller: str | None = None) -> KeyPair:
        """Rebuild a pair from its secret text, checking the public text if given."""
        header, body = split_multicodec(multibase_decode(secret_multibase))
        if header == ED25519_PRIV:
            pair = cls("Ed25519", body, id=id, controller=controller)
        elif header == P256_PRIV:
            pair = cls("P-256", body, id=id, controller=controller)
        else:
            raise KeyMaterialError("secretKeyMultibase does not hold a secret key")
        if public_multibase is not None and public_multibase != pair.public_multibase:
            raise KeyMaterialError("publicKeyMultibase does not match the secret key")
        return pair

    def __repr__(self) -> str:
        return f"KeyPair({self.algorithm!r}, {self.public_multibase!r}, id={self.id!r})"


@lru_cache(maxsize=1024)
def _public_from_multibase(text: str) -> PublicKey:
    header, body = split_multicodec(multibase_decode(text))
    if header == ED25519_PUB:
        return PublicKey("Ed25519", body)
    if header == P256_PUB:
        return PublicKey("P-256", body)
    raise KeyMaterialError("publicKeyMultibase does not hold a public key")


def generate_keypair(algorithm: Algorithm = "Ed25519", *, id: str | None = None,
                     controller: str | None = None) -> KeyPair:
    """A fresh key pair from the operating system's randomness."""
    if algorithm == "Ed25519":
        secret = ed25519.Ed25519PrivateKey.generate().private_bytes_raw()
    elif algorithm == "P-256":
        value = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
        secret = value.to_bytes(32, "big")
    else:
        raise KeyMaterialError(f"unsupported algorithm {algorithm!r}")
    return KeyPair(algorithm, secret, id=id, controller=controller)
