"""eddsa-rdfc-2022: Ed25519 signatures over RDFC-1.0 canonical forms, SHA-256.

Spec: W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3
(eddsa-rdfc-2022): transformation 3.3.3 (RDFC-1.0), hashing 3.3.4
(SHA-256 of proof config and of document, config hash first), proof
serialization 3.3.6 (Ed25519 over hashData), proofValue base58btc.
"""

from __future__ import annotations

import hashlib

from openler.core.proofs.cryptosuite import rdfc_suite


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


SUITE = rdfc_suite("eddsa-rdfc-2022", "Ed25519", _sha256)
