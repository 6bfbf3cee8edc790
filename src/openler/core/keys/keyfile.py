"""The key file the CLI and issuer keep: a Multikey verification method plus its secret.

Spec: W3C Controlled Identifiers 1.0, section 2.2.2 (Multikey) for the public
part; ``secretKeyMultibase`` as in the vc-di-ecdsa test vectors. The name
``privateKeyMultibase`` (used by the vc-di-eddsa test vectors) is read too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from openler.core.errors import KeyMaterialError
from openler.core.keys.multikey import KeyPair


def keypair_from_json(data: Mapping[str, Any] | str | bytes) -> KeyPair:
    """Load a key pair from its JSON file form (object or text)."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise KeyMaterialError(f"key file is not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise KeyMaterialError("key file must be a JSON object")
    kind = data.get("type", "Multikey")
    if kind != "Multikey":
        raise KeyMaterialError(f"unsupported key type {kind!r} (expected 'Multikey')")
    secret = data.get("secretKeyMultibase", data.get("privateKeyMultibase"))
    if not isinstance(secret, str):
        raise KeyMaterialError("key file has no secretKeyMultibase")
    public = data.get("publicKeyMultibase")
    if public is not None and not isinstance(public, str):
        raise KeyMaterialError("publicKeyMultibase must be a string")
    ident, controller = data.get("id"), data.get("controller")
    if ident is not None and not isinstance(ident, str):
        raise KeyMaterialError("id must be a string")
    if controller is not None and not isinstance(controller, str):
        raise KeyMaterialError("controller must be a string")
    return KeyPair.from_multibase(secret, public_multibase=public, id=ident,
                                  controller=controller)


def keypair_to_json(pair: KeyPair) -> dict[str, str]:
    """The JSON file form of a key pair (contains the secret: store it safely)."""
    out: dict[str, str] = {"type": "Multikey"}
    if pair.id is not None:
        out["id"] = pair.id
    if pair.controller is not None:
        out["controller"] = pair.controller
    out["publicKeyMultibase"] = pair.public_multibase
    out["secretKeyMultibase"] = pair.secret_multibase
    return out
