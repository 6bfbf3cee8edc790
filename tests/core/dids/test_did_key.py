"""did:key create and resolve (The did:key Method v0.9), offline."""

from __future__ import annotations

import pytest

from openler.core.dids import (
    DidResolver,
    did_key_from_public,
    did_key_vm_id,
    public_key_from_did_key,
    public_key_from_vm,
    resolve_did_key,
)
from openler.core.errors import InvalidDidError, UnsupportedDidMethodError
from openler.core.keys import generate_keypair

ED_DID = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
P256_DID = "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"


@pytest.mark.parametrize("did", [ED_DID, P256_DID])
def test_resolve_did_key_document_shape(did: str) -> None:
    doc = resolve_did_key(did)
    mb = did.removeprefix("did:key:")
    vm_id = f"{did}#{mb}"
    assert doc["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    assert doc["id"] == did
    assert doc["verificationMethod"] == [
        {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": mb}
    ]
    for rel in (
        "assertionMethod",
        "authentication",
        "capabilityInvocation",
        "capabilityDelegation",
    ):
        assert doc[rel] == [vm_id]
    assert "keyAgreement" not in doc


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_create_then_resolve_gives_back_the_key(algorithm: str) -> None:
    pair = generate_keypair(algorithm)
    pub = pair.public_key()
    did = did_key_from_public(pub)
    assert did_key_vm_id(pub) == f"{did}#{pub.multibase}"
    assert public_key_from_did_key(did) == pub
    doc, vm = DidResolver().resolve_verification_method(did_key_vm_id(pub))
    assert doc["id"] == did
    assert public_key_from_vm(vm).verify(b"m", pair.sign(b"m"))


@pytest.mark.parametrize(
    "bad",
    [
        "did:key:",
        "did:key:abc",
        "did:key:z1111",
        "did:web:example.com",
        "did:key:1:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    ],
)
def test_malformed_did_key_is_invalid(bad: str) -> None:
    with pytest.raises(InvalidDidError):
        resolve_did_key(bad)


def test_vm_with_unknown_fragment_is_not_found() -> None:
    with pytest.raises(InvalidDidError):
        DidResolver().resolve_verification_method(ED_DID + "#other")


def test_unsupported_method_is_invalid() -> None:
    with pytest.raises(InvalidDidError, match="unsupported DID method 'example'"):
        DidResolver().resolve("did:example:123")


@pytest.mark.parametrize(
    "identifier",
    ["did:example:123", "did:ion:EiAbc#key-1", "https://college.example/issuer#key-1", "x"],
)
def test_unsupported_methods_raise_their_own_subclass(identifier: str) -> None:
    with pytest.raises(UnsupportedDidMethodError) as caught:
        DidResolver().resolve(identifier)
    assert isinstance(caught.value, InvalidDidError)  # callers catching the parent still work


@pytest.mark.parametrize(
    "vm_id", [ED_DID + "#other", "did:key:z1111#z1111", "did:example:123"]
)
def test_absent_or_malformed_is_not_called_unsupported(vm_id: str) -> None:
    with pytest.raises(InvalidDidError) as caught:
        DidResolver().resolve_verification_method(vm_id)
    assert not isinstance(caught.value, UnsupportedDidMethodError)
