"""Credentials and DID material shared by the interop tests."""

from __future__ import annotations

import copy
import json
from typing import Any

from helpers import ob3_example, shared_dir
from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys import KeyPair, generate_keypair

OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
UNDEFINED_TERMS = "https://www.w3.org/ns/credentials/undefined-terms/v2"
SUITES = {"eddsa-rdfc-2022": "Ed25519", "ecdsa-rdfc-2019": "P-256"}
# verify.mjs judges validity periods at this instant (the examples are valid then).
JS_NOW = "2027-01-01T00:00:00Z"


def official_ob3_schema() -> dict[str, Any]:
    """The 1EdTech AchievementCredential JSON Schema kept in shared/vectors/schemas."""
    path = shared_dir() / "vectors" / "schemas" / "ob_v3p0_achievementcredential_schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def achievement_credential() -> dict[str, Any]:
    """An unsigned OB 3.0 AchievementCredential (extensions context for its credentialSchema)."""
    doc = ob3_example()
    doc["@context"] = [*doc["@context"], OB_EXTENSIONS]
    doc["type"] = ["VerifiableCredential", "AchievementCredential"]
    # The OB 3.0 schema wants date-times here (helpers' example has plain dates).
    doc["credentialSubject"]["activityStartDate"] = "2025-02-01T00:00:00Z"
    doc["credentialSubject"]["activityEndDate"] = "2025-05-30T00:00:00Z"
    return doc


class DidKeyParty:
    """A fresh key with its did:key and verification method id."""

    def __init__(self, algorithm: str) -> None:
        self.keypair: KeyPair = generate_keypair(algorithm)  # type: ignore[arg-type]
        self.did = did_key_from_public(self.keypair.public_key())
        self.vm = did_key_vm_id(self.keypair.public_key())


def tampered_copies(signed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Small changes to a signed credential, each of which must break its proof."""
    out: dict[str, dict[str, Any]] = {}

    def change(name: str, edit) -> None:
        doc = copy.deepcopy(signed)
        edit(doc)
        assert doc != signed, name
        out[name] = doc

    def proof(doc: dict[str, Any]) -> dict[str, Any]:
        return doc["proof"][0] if isinstance(doc["proof"], list) else doc["proof"]

    def flip_signature(doc: dict[str, Any]) -> None:
        value = proof(doc)["proofValue"]
        proof(doc)["proofValue"] = value[:-3] + ("1" if value[-3] != "1" else "2") + value[-2:]

    change("name", lambda d: d.__setitem__("name", d["name"] + "!"))
    change("achievement name", lambda d: d["credentialSubject"]["achievement"].__setitem__(
        "name", "Advanced " + d["credentialSubject"]["achievement"]["name"]))
    change("subject id", lambda d: d["credentialSubject"].__setitem__(
        "id", "did:example:someone-else"))
    change("validUntil", lambda d: d.__setitem__("validUntil", "2099-01-01T00:00:00Z"))
    change("proof created", lambda d: proof(d).__setitem__("created", "2020-01-01T00:00:00Z"))
    change("signature", flip_signature)
    return out
