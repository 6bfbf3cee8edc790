"""Data Integrity proofs and JSON-LD safe mode (VC Data Integrity 1.0 §4; w3c/vc-data-
integrity issue 131): signing refuses data the proof would not cover, verification
reports a credential carrying such data next to a valid proof."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from di_fixtures import DATA, VECTORS

from openler.core.dids import DidResolver, did_key_from_public, did_key_vm_id
from openler.core.errors import UnsafeDataError
from openler.core.jsonld import canonize
from openler.core.keys import generate_keypair
from openler.core.proofs import sign, verify_proof

PAIR = generate_keypair("Ed25519")
DID = did_key_from_public(PAIR.public_key())
VM = did_key_vm_id(PAIR.public_key())


def credential() -> dict[str, Any]:
    return json.loads((DATA / "ob3-achievement-credential.json").read_text()
                      .replace("did:key:ISSUER", DID))


def signed(document: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    return sign(document or credential(), keypair=PAIR, verification_method=VM,
                created="2026-01-15T09:00:00Z", **kwargs)


def test_sign_refuses_an_undefined_property_and_names_it() -> None:
    document = credential()
    document["credentialSubject"]["grade"] = "A"
    before = copy.deepcopy(document)
    with pytest.raises(UnsafeDataError) as info:
        signed(document)
    assert info.value.paths == ["$.credentialSubject.grade"]
    assert "$.credentialSubject.grade" in str(info.value)
    assert document == before  # input untouched


def test_sign_refuses_a_relative_type() -> None:
    document = credential()
    document["credentialSubject"]["type"] = ["AchievementSubject", "HonoursSubject"]
    with pytest.raises(UnsafeDataError) as info:
        signed(document, cryptosuite="eddsa-rdfc-2022")
    assert info.value.items == [("$.credentialSubject.type[1]", "relative @type reference",
                                 "HonoursSubject")]


def test_sign_refuses_in_the_pyld_fallback_too() -> None:
    document = credential()
    # an embedded reverse property sends the document to pyld
    document["@context"] = [*document["@context"],
                            {"ex": "https://example.org/vocab#",
                             "awardedBy": {"@reverse": "ex:awarded"}}]
    document["credentialSubject"]["awardedBy"] = {"id": "urn:uuid:panel"}
    assert signed(copy.deepcopy(document))["proof"]["proofValue"]  # clean: signs
    document["credentialSubject"]["grade"] = "A"
    with pytest.raises(UnsafeDataError) as info:
        signed(document)
    assert "$.credentialSubject.grade" in info.value.paths


def test_unsigned_property_next_to_a_valid_proof_is_reported() -> None:
    vc = signed()
    assert verify_proof(vc, resolver=DidResolver()).ok
    smuggled = copy.deepcopy(vc)
    smuggled["credentialSubject"]["grade"] = "A+"  # the VC 2.0 context has no @vocab
    # without safe mode the canonical form (the signed bytes) would not change at all:
    unsecured = {k: v for k, v in smuggled.items() if k != "proof"}
    original = {k: v for k, v in vc.items() if k != "proof"}
    assert canonize(unsecured) == canonize(original)
    result = verify_proof(smuggled, resolver=DidResolver())
    assert (result.ok, result.code, result.could_not_check) == (
        False, "proof.unsigned_data", False)
    assert "$.credentialSubject.grade" in result.detail


def test_hand_made_credential_with_an_unsigned_property_and_a_valid_proof() -> None:
    vc = signed()
    hand_made = {key: vc[key] for key in vc if key != "proof"}
    hand_made["evidenceNote"] = "Passed with distinction"  # top level, undefined
    hand_made["proof"] = dict(vc["proof"])
    result = verify_proof(hand_made, resolver=DidResolver())
    assert result.code == "proof.unsigned_data"
    assert "$.evidenceNote (invalid property)" in result.detail


def test_changed_type_that_is_no_longer_defined_is_a_changed_signature() -> None:
    vc = signed()
    vc["credentialSubject"]["type"] = ["AchievementSubjectX"]
    result = verify_proof(vc, resolver=DidResolver())
    assert (result.ok, result.code) == (False, "proof.signature_invalid")


@pytest.mark.parametrize("relative", [
    "vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
    "vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json",
    "vc-di-ecdsa/ecdsa-rdfc-2019-p256/signedECDSAP256.json",
    "vc-di-ecdsa/ecdsa-rdfc-2019-p256/employ/signedECDSAP256.json",
])
def test_spec_vectors_still_verify_in_safe_mode(relative: str, loader) -> None:
    document = json.loads((VECTORS / relative).read_text())
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    assert canonize(unsecured, loader=loader, safe=True) == canonize(unsecured, loader=loader)
    assert verify_proof(document, resolver=DidResolver(), loader=loader,
                        check_controller=False).ok
