"""Reading controller (DID) documents: find a verification method, check a relationship.

Spec: W3C Controlled Identifiers 1.0, sections 2.2 (Verification Methods: Multikey
and JsonWebKey) and 2.3 (Verification Relationships); DID Core 1.0, section 5.3. A relationship
lists a method either by reference (a string, possibly relative ``#frag``)
or embedded (an object with its own ``id``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from openler.core.errors import InvalidDidError, KeyMaterialError
from openler.core.keys.multikey import PublicKey

RELATIONSHIPS = ("authentication", "assertionMethod", "keyAgreement",
                 "capabilityInvocation", "capabilityDelegation")
# Types whose key sits in publicKeyMultibase with a multicodec header.
MULTIBASE_VM_TYPES = frozenset({"Multikey", "Ed25519VerificationKey2020"})
# Types whose key is a JWK (W3C Controlled Identifiers 2.2.3 JsonWebKey; the 2020 suite name).
JWK_VM_TYPES = frozenset({"JsonWebKey", "JsonWebKey2020"})


def absolute_id(ref: str, base: str) -> str:
    """Resolve a relative ``#fragment`` reference against the document id."""
    return base + ref if ref.startswith("#") else ref


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def find_verification_method(doc: Mapping[str, Any], vm_id: str) -> dict[str, Any]:
    """The verification method object named ``vm_id`` in ``doc`` (listed or embedded)."""
    base = doc.get("id", "")
    candidates = _as_list(doc.get("verificationMethod"))
    for rel in RELATIONSHIPS:
        candidates.extend(v for v in _as_list(doc.get(rel)) if isinstance(v, Mapping))
    for vm in candidates:
        if isinstance(vm, Mapping) and isinstance(vm.get("id"), str) \
                and absolute_id(vm["id"], base) == vm_id:
            return dict(vm)
    raise InvalidDidError(vm_id, "verification method not found in its controller document")


def is_listed_for(doc: Mapping[str, Any], vm_id: str, relationship: str) -> bool:
    """Whether ``doc`` lists ``vm_id`` under ``relationship`` (by reference or embedded)."""
    base = doc.get("id", "")
    for entry in _as_list(doc.get(relationship)):
        ref = entry if isinstance(entry, str) else (
            entry.get("id") if isinstance(entry, Mapping) else None)
        if isinstance(ref, str) and absolute_id(ref, base) == vm_id:
            return True
    return False


def _from_jwk(jwk: Any, vm_id: str) -> PublicKey:
    """An Ed25519 (OKP) or P-256 (EC) public JWK (RFC 8037 / RFC 7518 6.2) as a PublicKey."""
    if not isinstance(jwk, Mapping) or "d" in jwk:
        raise InvalidDidError(vm_id, "publicKeyJwk must be a public JWK object")
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return PublicKey("Ed25519", _b64url(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            x, y = _b64url(jwk["x"]), _b64url(jwk["y"])
            if len(x) != 32 or len(y) != 32:
                raise KeyMaterialError("P-256 coordinates are 32 bytes")
            return PublicKey("P-256", bytes([2 + (y[-1] & 1)]) + x)
    except (KeyError, TypeError, ValueError, KeyMaterialError) as exc:
        raise InvalidDidError(vm_id, f"bad publicKeyJwk: {exc}") from None
    raise InvalidDidError(vm_id, "publicKeyJwk is not an Ed25519 or P-256 key")


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_from_vm(vm: Mapping[str, Any]) -> PublicKey:
    """The public key a verification method carries (publicKeyMultibase or publicKeyJwk)."""
    vm_type = vm.get("type")
    if vm_type in JWK_VM_TYPES:
        return _from_jwk(vm.get("publicKeyJwk"), str(vm.get("id")))
    if vm_type not in MULTIBASE_VM_TYPES:
        raise InvalidDidError(str(vm.get("id")), f"unsupported verification method type {vm_type!r}")
    text = vm.get("publicKeyMultibase")
    if not isinstance(text, str):
        raise InvalidDidError(str(vm.get("id")), "verification method has no publicKeyMultibase")
    try:
        return PublicKey.from_multibase(text)
    except KeyMaterialError as exc:
        raise InvalidDidError(str(vm.get("id")), f"bad publicKeyMultibase: {exc}") from None
