"""did:web: map a DID to its HTTPS URL, fetch and check the document, build one.

Spec: did:web Method Specification (W3C CCG), sections 3.2.1 (Create:
the document an issuer publishes) and 3.2.2 (Read/Resolve): the identifier
after ``did:web:`` is a domain (a port is written ``%3A``), optionally
followed by ``:``-separated path segments; ``did:web:example.com`` maps to
``https://example.com/.well-known/did.json`` and ``did:web:example.com:u:a``
to ``https://example.com/u/a/did.json``. The fetched document's ``id`` must
equal the DID.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from openler.core.dids.key import DID_CONTEXTS
from openler.core.dids.ports import Fetcher
from openler.core.errors import DidResolutionError, InvalidDidError
from openler.core.keys.multikey import PublicKey

PREFIX = "did:web:"
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=@-]+$")
MAX_DOCUMENT_BYTES = 256 * 1024


def did_web_to_url(did: str, *, scheme: str = "https") -> str:
    """The URL of a did:web's document (``scheme='http'`` only for local tests)."""
    bare = did.split("#", 1)[0]
    if not bare.startswith(PREFIX) or "?" in bare or "/" in bare:
        raise InvalidDidError(did, "not a did:web DID")
    parts = bare[len(PREFIX):].split(":")
    host_port = unquote(parts[0])
    host, _, port = host_port.partition(":")
    if not _HOST.match(host) or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        raise InvalidDidError(did, f"invalid did:web domain {host_port!r}")
    path = [unquote(p) for p in parts[1:]]
    if any(not p or not _SEGMENT.match(p) or p in (".", "..") for p in path):
        raise InvalidDidError(did, "invalid did:web path segment")
    authority = host.lower() + (f":{port}" if port else "")
    tail = "/".join(path) + "/did.json" if path else ".well-known/did.json"
    return f"{scheme}://{authority}/{tail}"


def resolve_did_web(did: str, *, fetcher: Fetcher, scheme: str = "https") -> dict[str, Any]:
    """Fetch and check a did:web document; its ``id`` must be the DID."""
    bare = did.split("#", 1)[0]
    url = did_web_to_url(bare, scheme=scheme)
    response = fetcher.fetch(url)
    if response.status == 404 or response.status == 410:
        raise InvalidDidError(bare, f"no DID document at {url} (HTTP {response.status})")
    if response.status != 200:
        raise DidResolutionError(bare, f"HTTP {response.status} from {url}")
    if len(response.body) > MAX_DOCUMENT_BYTES:
        raise InvalidDidError(bare, "DID document too large")
    try:
        doc = json.loads(response.body)
    except ValueError as exc:
        raise InvalidDidError(bare, f"DID document is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise InvalidDidError(bare, "DID document is not a JSON object")
    if doc.get("id") != bare:
        raise InvalidDidError(bare, f"document id {doc.get('id')!r} does not match the DID")
    return doc


def did_web_document(did: str, verification_methods: Iterable[tuple[str, PublicKey]]
                     ) -> dict[str, Any]:
    """The did.json an issuer publishes; several keys allow rotation without breaking old proofs."""
    did_web_to_url(did)  # validates the DID
    vms: list[dict[str, str]] = []
    for vm_id, pub in verification_methods:
        full = did + vm_id if vm_id.startswith("#") else vm_id
        if not full.startswith(did + "#"):
            raise InvalidDidError(did, f"verification method {vm_id!r} is not under this DID")
        vms.append({"id": full, "type": "Multikey", "controller": did,
                    "publicKeyMultibase": pub.multibase})
    if len({vm["id"] for vm in vms}) != len(vms):
        raise InvalidDidError(did, "verification method ids must be unique")
    if not vms:
        raise InvalidDidError(did, "a DID document needs at least one verification method")
    ids = [vm["id"] for vm in vms]
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": vms,
        "assertionMethod": list(ids),
        "authentication": list(ids),
    }
