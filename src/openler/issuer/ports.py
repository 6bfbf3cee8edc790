"""The signing port: where a hardware or cloud key service can replace local keys.

Spec: W3C VC Data Integrity 1.0, section 4.2 (Add Proof) needs only "sign these
bytes" from a key; the verification method id names the public half that
verifiers find in the organization's did:web document.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from openler.core.keys.multikey import KeyPair


@runtime_checkable
class Signer(Protocol):
    """A signing key the issuer can use without holding its secret."""

    @property
    def verification_method(self) -> str:
        """The DID URL of the public key (``did:web:...#<key id>``)."""
        ...

    @property
    def algorithm(self) -> str:
        """``Ed25519`` or ``P-256``: picks the cryptosuite."""
        ...

    def sign(self, data: bytes) -> bytes:
        """The raw signature over ``data`` (64 bytes for both algorithms)."""
        ...


class LocalKeySigner:
    """A Signer over a secret key held in this process (decrypted from the database)."""

    __slots__ = ("_pair", "_vm")

    def __init__(self, keypair: KeyPair, verification_method: str) -> None:
        self._pair = keypair
        self._vm = verification_method

    @property
    def verification_method(self) -> str:
        """The DID URL of the public key."""
        return self._vm

    @property
    def algorithm(self) -> str:
        """The key's algorithm."""
        return self._pair.algorithm

    @property
    def public_multibase(self) -> str:
        """The publicKeyMultibase text of the key."""
        return self._pair.public_multibase

    def sign(self, data: bytes) -> bytes:
        """Sign with the local secret key."""
        return self._pair.sign(data)

    def __repr__(self) -> str:
        return f"LocalKeySigner({self._vm!r}, {self._pair.algorithm!r})"
