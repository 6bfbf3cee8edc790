"""Data Integrity proofs: sign and verify with eddsa-rdfc-2022 and ecdsa-rdfc-2019.

Spec: W3C VC Data Integrity 1.0; Data Integrity EdDSA Cryptosuites v1.0;
Data Integrity ECDSA Cryptosuites v1.0.
"""

from openler.core.proofs.cryptosuite import Cryptosuite
from openler.core.proofs.data_integrity import VerificationMethodResolver, sign, verify_proof
from openler.core.proofs.result import ProofCheck
from openler.core.proofs.suites import CRYPTOSUITES, get_cryptosuite

__all__ = [
    "CRYPTOSUITES",
    "Cryptosuite",
    "ProofCheck",
    "VerificationMethodResolver",
    "get_cryptosuite",
    "sign",
    "verify_proof",
]
