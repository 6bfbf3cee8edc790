"""Creating and signing presentations (VC DM 2.0 s4.13, authentication proofs)."""

from __future__ import annotations

import copy

import pytest

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.errors import PresentationError
from openler.core.keys import generate_keypair
from openler.core.presentations import (
    create_presentation,
    envelope,
    is_enveloped,
    sign_presentation,
    unwrap,
)

A = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:school",
    "credentialSubject": {"id": "did:example:me"},
}
B = {**A, "issuer": "did:example:employer"}
SD_JWT = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln~WyJzIiwibiIsInYiXQ~"


def test_create_combines_credentials_from_several_issuers() -> None:
    before = copy.deepcopy([A, B])
    vp = create_presentation([A, B, SD_JWT], holder="did:example:me", id="urn:uuid:vp-1")
    assert vp["type"] == ["VerifiablePresentation"]
    assert vp["holder"] == "did:example:me" and vp["id"] == "urn:uuid:vp-1"
    assert vp["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    members = vp["verifiableCredential"]
    assert [m.get("issuer") for m in members[:2]] == ["did:example:school", "did:example:employer"]
    assert is_enveloped(members[2])
    assert unwrap(members[2]) == ("application/dc+sd-jwt", SD_JWT)
    assert before == [A, B]  # inputs untouched
    members[0]["issuer"] = "changed"
    assert A["issuer"] == "did:example:school"


def test_create_refuses_missing_holder_and_plain_text() -> None:
    with pytest.raises(PresentationError):
        create_presentation([A], holder="")
    with pytest.raises(PresentationError):
        create_presentation(["just text"], holder="did:example:me")


def test_sign_presentation_uses_authentication_with_challenge_and_domain() -> None:
    pair = generate_keypair("Ed25519")
    did = did_key_from_public(pair.public_key())
    vp = create_presentation([A], holder=did)
    signed = sign_presentation(
        vp,
        keypair=pair,
        verification_method=did_key_vm_id(pair.public_key()),
        challenge="c-42",
        domain="https://employer.example",
    )
    proof = signed["proof"]
    assert proof["proofPurpose"] == "authentication"
    assert proof["challenge"] == "c-42" and proof["domain"] == "https://employer.example"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert "proof" not in vp
    with pytest.raises(PresentationError):
        sign_presentation(vp, keypair=pair, verification_method="x#y", challenge="")


def test_envelope_round_trip() -> None:
    wrapped = envelope(SD_JWT)
    assert wrapped["type"] == "EnvelopedVerifiableCredential"
    assert unwrap(wrapped) == ("application/dc+sd-jwt", SD_JWT)
    assert unwrap({"id": "https://not-data"}) is None
