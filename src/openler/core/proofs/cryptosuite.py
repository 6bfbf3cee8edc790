"""A cryptosuite as a small record of functions the generic Data Integrity code composes.

Spec: W3C VC Data Integrity 1.0, section 3 (Algorithms) and 4 (Cryptographic
Suites): a suite names its transformation (canonicalization), hashing, proof
serialization (sign) and proof verification. The RDFC suites share the shape
hashData = H(canonical proof config) || H(canonical document); only the key
algorithm and hash differ, so each suite module just fills this record.

The document is transformed in JSON-LD "safe mode" (VC Data Integrity 1.0
section 4): data that would not reach the signed RDF (an undefined term, a
relative type or id) raises UnsafeDataError instead of going unsigned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openler.core.jsonld import DocumentLoader, canonize
from openler.core.keys.multikey import KeyPair, PublicKey
from openler.core.proofs.proof_config import canonize_proof_config


@dataclass(frozen=True, slots=True)
class Cryptosuite:
    """The steps of one cryptosuite (its name is the proof's ``cryptosuite`` value)."""

    name: str
    key_algorithm: str
    hash: Callable[[bytes], bytes]
    transform: Callable[..., str]
    canonize_config: Callable[..., str]

    def hash_data(self, proof_config: dict[str, Any], document: dict[str, Any], *,
                  loader: DocumentLoader | None, safe: bool = True) -> bytes:
        """H(canonical proof config) || H(canonical document): the bytes that are signed.

        Raises UnsafeDataError (``safe``) when the document holds data the hash would miss.
        """
        config_hash = self.hash(self.canonize_config(proof_config, loader=loader).encode())
        doc_hash = self.hash(self.transform(document, loader=loader, safe=safe).encode())
        return config_hash + doc_hash

    def sign(self, keypair: KeyPair, hash_data: bytes) -> bytes:
        """Proof serialization: the raw signature over hashData."""
        return keypair.sign(hash_data)

    def verify(self, public_key: PublicKey, hash_data: bytes, signature: bytes) -> bool:
        """Proof verification: never raises for a bad signature."""
        return public_key.verify(hash_data, signature)


def rdfc_transform(document: dict[str, Any], *, loader: DocumentLoader | None = None,
                   safe: bool = True) -> str:
    """Transformation for the *-rdfc-* suites: RDFC-1.0 canonical N-Quads."""
    return canonize(document, loader=loader, safe=safe)


def rdfc_suite(name: str, key_algorithm: str, hash_fn: Callable[[bytes], bytes]) -> Cryptosuite:
    """Build the record for an RDFC-based suite."""
    return Cryptosuite(name=name, key_algorithm=key_algorithm, hash=hash_fn,
                       transform=rdfc_transform, canonize_config=canonize_proof_config)
