"""The cryptosuites this implementation knows, by the name a proof carries.

Spec: W3C VC Data Integrity 1.0, section 2.1 (``cryptosuite`` property).
"""

from __future__ import annotations

from openler.core.proofs import ecdsa_rdfc_2019, eddsa_rdfc_2022
from openler.core.proofs.cryptosuite import Cryptosuite

CRYPTOSUITES: dict[str, Cryptosuite] = {
    s.name: s for s in (eddsa_rdfc_2022.SUITE, ecdsa_rdfc_2019.SUITE)
}


def get_cryptosuite(name: str) -> Cryptosuite | None:
    """The suite called ``name``, or None if unknown."""
    return CRYPTOSUITES.get(name)
