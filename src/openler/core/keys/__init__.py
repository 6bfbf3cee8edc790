"""Multikey key pairs (Ed25519, P-256): generate, load, sign, verify.

Spec: W3C Controlled Identifiers 1.0, section 2.2.2 (Multikey).
"""

from openler.core.keys.keyfile import keypair_from_json, keypair_to_json
from openler.core.keys.multibase import multibase_decode, multibase_encode
from openler.core.keys.multikey import ALGORITHMS, Algorithm, KeyPair, PublicKey, generate_keypair

# ``to_json`` is the short name the task description uses.
to_json = keypair_to_json

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "KeyPair",
    "PublicKey",
    "generate_keypair",
    "keypair_from_json",
    "keypair_to_json",
    "multibase_decode",
    "multibase_encode",
    "to_json",
]
