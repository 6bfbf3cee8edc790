"""Decentralized identifiers: did:key (offline) and did:web (through a Fetcher).

Spec: DID Core 1.0; The did:key Method v0.9; did:web Method Specification.
"""

from openler.core.dids.document import (
    find_verification_method,
    is_listed_for,
    public_key_from_vm,
)
from openler.core.dids.key import (
    did_key_from_public,
    did_key_vm_id,
    public_key_from_did_key,
    resolve_did_key,
)
from openler.core.dids.ports import Fetcher, FetchResponse, MemoryFetcher
from openler.core.dids.resolver import DidResolver
from openler.core.dids.web import did_web_document, did_web_to_url, resolve_did_web

__all__ = [
    "DidResolver",
    "FetchResponse",
    "Fetcher",
    "MemoryFetcher",
    "did_key_from_public",
    "did_key_vm_id",
    "did_web_document",
    "did_web_to_url",
    "find_verification_method",
    "is_listed_for",
    "public_key_from_did_key",
    "public_key_from_vm",
    "resolve_did_key",
    "resolve_did_web",
]
