"""ecdsa-rdfc-2019 with P-256: ECDSA/SHA-256 over RDFC-1.0 canonical forms.

Spec: W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.2
(ecdsa-rdfc-2019): transformation 3.2.3 (RDFC-1.0), hashing 3.2.4 (SHA-256
for P-256, proof config hash first), proof serialization 3.2.6 (ECDSA,
signature as raw r||s, 64 bytes for P-256). P-384 (SHA-384) is not supported.
"""

from __future__ import annotations

import hashlib

from openler.core.proofs.cryptosuite import rdfc_suite


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


SUITE = rdfc_suite("ecdsa-rdfc-2019", "P-256", _sha256)
