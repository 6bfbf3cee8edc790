"""Changing any signed value makes verification fail with proof.signature_invalid,
never an exception (every leaf of the signed vectors and of an OB3 credential)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from di_fixtures import DATA, VECTORS, vector_loader
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.core.dids import DidResolver, did_key_from_public, did_key_vm_id
from openler.core.keys import generate_keypair
from openler.core.proofs import sign, verify_proof

SHARED = VECTORS
SIGNED_VECTORS = {
    "eddsa": SHARED / "vc-di-eddsa" / "eddsa-rdfc-2022" / "signedDataInt.json",
    "eddsa-employ": SHARED / "vc-di-eddsa" / "eddsa-rdfc-2022" / "employ" / "signedDataInt.json",
    "ecdsa": SHARED / "vc-di-ecdsa" / "ecdsa-rdfc-2019-p256" / "signedECDSAP256.json",
    "ecdsa-employ": SHARED
    / "vc-di-ecdsa"
    / "ecdsa-rdfc-2019-p256"
    / "employ"
    / "signedECDSAP256.json",
}
LOADER = vector_loader()


def _leaves(node: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if re.match(r"^\d{4}-\d\d-\d\dT", value):  # keep dates valid: move them a year on
        return str(int(value[:4]) + 1) + value[4:]
    return value + "x"


def _tamper(document: dict, path: tuple) -> dict:
    out = copy.deepcopy(document)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = _changed(node[path[-1]])
    return out


def _signed_leaves(document: dict) -> list[tuple]:
    """Every leaf of the signed content: the document body and the proof's signed options.

    @context values are excluded (a changed context URL is no longer servable
    offline: covered separately); so are proof fields with their own outcome codes.
    """
    own_code = {"proofValue", "cryptosuite", "proofPurpose", "verificationMethod", "type"}
    return [
        p
        for p in _leaves(document)
        if p[0] != "@context"
        and not (p[0] == "proof" and p[-1] in own_code)
        and "@context" not in p
    ]


def _ob3_signed(algorithm: str) -> tuple[dict, DidResolver]:
    pair = generate_keypair(algorithm)
    did = did_key_from_public(pair.public_key())
    text = (DATA / "ob3-achievement-credential.json").read_text().replace("did:key:ISSUER", did)
    suite = "eddsa-rdfc-2022" if algorithm == "Ed25519" else "ecdsa-rdfc-2019"
    signed = sign(
        json.loads(text),
        keypair=pair,
        cryptosuite=suite,
        verification_method=did_key_vm_id(pair.public_key()),
        created="2026-01-15T09:00:00Z",
    )
    return signed, DidResolver()


def _vector_cases() -> Iterator[Any]:
    for name, path in SIGNED_VECTORS.items():
        document = json.loads(path.read_text())
        for leaf in _signed_leaves(document):
            yield pytest.param(name, leaf, id=f"{name}:{'/'.join(map(str, leaf))}")


@pytest.mark.parametrize("name, leaf", list(_vector_cases()))
def test_every_signed_leaf_of_the_vectors(name: str, leaf: tuple) -> None:
    document = json.loads(SIGNED_VECTORS[name].read_text())
    assert verify_proof(document, resolver=DidResolver(), loader=LOADER, check_controller=False).ok
    result = verify_proof(
        _tamper(document, leaf), resolver=DidResolver(), loader=LOADER, check_controller=False
    )
    assert (result.ok, result.code) == (False, "proof.signature_invalid"), result


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_every_signed_leaf_of_an_ob3_credential(algorithm: str) -> None:
    signed, resolver = _ob3_signed(algorithm)
    assert verify_proof(signed, resolver=resolver).ok
    leaves = _signed_leaves(signed)
    assert len(leaves) > 40
    for leaf in leaves:
        result = verify_proof(_tamper(signed, leaf), resolver=resolver)
        assert (result.ok, result.code) == (False, "proof.signature_invalid"), (leaf, result)


def test_removing_or_adding_a_property_fails() -> None:
    signed, resolver = _ob3_signed("Ed25519")
    removed = copy.deepcopy(signed)
    del removed["credentialStatus"]
    added = copy.deepcopy(signed)
    added["credentialSubject"]["achievement"]["alignment"].append(
        {"type": ["Alignment"], "targetName": "extra", "targetUrl": "https://x.example/a"}
    )
    for doc in (removed, added):
        assert verify_proof(doc, resolver=resolver).code == "proof.signature_invalid"


def test_changed_context_cannot_be_checked_offline() -> None:
    signed, resolver = _ob3_signed("Ed25519")
    signed["@context"] = [*signed["@context"], "https://evil.example/context.json"]
    result = verify_proof(signed, resolver=resolver)
    assert (result.ok, result.code, result.could_not_check) == (
        False,
        "proof.cannot_canonicalize",
        True,
    )


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("proofValue", "z" + "1" * 10, "proof.signature_invalid"),
        ("proofValue", "not-multibase", "proof.malformed"),
        ("cryptosuite", "bbs-2023", "proof.unknown_cryptosuite"),
        ("proofPurpose", "authentication", "proof.purpose_mismatch"),
        ("type", "Ed25519Signature2020", "proof.malformed"),
        ("created", "yesterday", "proof.malformed"),
        (
            "verificationMethod",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#"
            "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "proof.signature_invalid",
        ),
        ("verificationMethod", "did:key:zBad#zBad", "proof.key_unresolvable"),
    ],
)
def test_proof_fields_with_their_own_outcome(field: str, value: str, code: str) -> None:
    signed, resolver = _ob3_signed("Ed25519")
    signed["proof"][field] = value
    result = verify_proof(signed, resolver=resolver, check_controller=False)
    assert (result.ok, result.code) == (False, code), result


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        [],
        "text",
        {"proof": "text"},
        {"proof": {}},
        {"proof": [1, 2]},
        {"proof": {"type": "DataIntegrityProof"}},
    ],
)
def test_garbage_never_raises(garbage: Any) -> None:
    result = verify_proof(garbage, resolver=DidResolver())
    assert not result.ok
    assert result.code in {"proof.malformed", "proof.missing"}


PAIR = generate_keypair()
PAIR_DID = did_key_from_public(PAIR.public_key())


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=30), other=st.text(max_size=30))
def test_round_trip_and_any_changed_name_fails(name: str, other: str) -> None:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": PAIR_DID,
        "credentialSubject": {"id": "did:example:s", "name": name},
    }
    signed = sign(credential, keypair=PAIR, verification_method=did_key_vm_id(PAIR.public_key()))
    assert verify_proof(signed, resolver=DidResolver()).ok
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["name"] = other
    result = verify_proof(changed, resolver=DidResolver())
    assert result.ok is (other == name)
    if other != name:
        assert result.code == "proof.signature_invalid"
