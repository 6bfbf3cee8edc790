"""did:key for Ed25519 and P-256 Multikeys: create and resolve, offline.

Spec: The did:key Method v0.9 (W3C CCG), sections 3.1.1 (Create) and 3.1.2
(Read): the method-specific identifier is the key's ``publicKeyMultibase``;
the single verification method has id ``did:key:z...#z...`` and is listed
under every relationship that signing keys support. The document uses the
Multikey representation (W3C Controlled Identifiers 1.0, section 2.2.2).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from openler.core.dids.document import RELATIONSHIPS
from openler.core.errors import InvalidDidError, KeyMaterialError
from openler.core.keys.multikey import PublicKey

PREFIX = "did:key:"
DID_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1")
_SIGNING_RELATIONSHIPS = tuple(r for r in RELATIONSHIPS if r != "keyAgreement")


def did_key_from_public(pub: PublicKey) -> str:
    """The did:key naming ``pub``: issuers without a web domain use it."""
    return PREFIX + pub.multibase


def did_key_vm_id(pub: PublicKey) -> str:
    """The verification method id (``did:key:z..#z..``) to put in a proof."""
    return f"{PREFIX}{pub.multibase}#{pub.multibase}"


def public_key_from_did_key(did: str) -> PublicKey:
    """The key encoded in a did:key (a DID URL's fragment, if any, is ignored)."""
    bare = did.split("#", 1)[0]
    if not bare.startswith(PREFIX):
        raise InvalidDidError(did, "not a did:key")
    return _decode(bare)


@lru_cache(maxsize=1024)
def _decode(bare: str) -> PublicKey:
    ident = bare[len(PREFIX):]
    if ":" in ident:  # did:key:<version>:<mb> is not in use; refuse rather than guess
        raise InvalidDidError(bare, "unexpected ':' in did:key identifier")
    try:
        return PublicKey.from_multibase(ident)
    except KeyMaterialError as exc:
        raise InvalidDidError(bare, f"not a supported Multikey: {exc}") from None


def resolve_did_key(did: str) -> dict[str, Any]:
    """The DID document of a did:key, derived from the key itself (no I/O)."""
    bare = did.split("#", 1)[0]
    pub = public_key_from_did_key(bare)
    vm_id = f"{bare}#{pub.multibase}"
    doc: dict[str, Any] = {
        "@context": list(DID_CONTEXTS),
        "id": bare,
        "verificationMethod": [{
            "id": vm_id,
            "type": "Multikey",
            "controller": bare,
            "publicKeyMultibase": pub.multibase,
        }],
    }
    for rel in _SIGNING_RELATIONSHIPS:
        doc[rel] = [vm_id]
    return doc
