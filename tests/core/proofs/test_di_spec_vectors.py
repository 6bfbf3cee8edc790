"""The W3C vc-di-eddsa and vc-di-ecdsa test vectors, and the 1EdTech CLR 2.0 example,
reproduced step by step: canonical forms, hashes, signature, proofValue."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from di_fixtures import VECTORS

from openler.core.dids import DidResolver
from openler.core.jsonld import DocumentLoader, canonize
from openler.core.keys import generate_keypair, keypair_from_json, multibase_decode
from openler.core.proofs import get_cryptosuite, sign, verify_proof

SHARED = VECTORS
EDDSA = SHARED / "vc-di-eddsa"
ECDSA = SHARED / "vc-di-ecdsa"
CLR = SHARED / "ob3" / "clrv2p0"

# (suite folder, file suffix, key file, unsigned input) for each variant.
CASES = [
    pytest.param(
        EDDSA / "eddsa-rdfc-2022",
        "DataInt",
        EDDSA / "keyPair.json",
        EDDSA / "unsigned.json",
        id="eddsa-alumni",
    ),
    pytest.param(
        EDDSA / "eddsa-rdfc-2022" / "employ",
        "DataInt",
        EDDSA / "keyPair.json",
        EDDSA / "employmentAuth.json",
        id="eddsa-employ",
    ),
    pytest.param(
        ECDSA / "ecdsa-rdfc-2019-p256",
        "ECDSAP256",
        ECDSA / "p256KeyPair.json",
        ECDSA / "unsigned.json",
        id="ecdsa-alumni",
    ),
    pytest.param(
        ECDSA / "ecdsa-rdfc-2019-p256" / "employ",
        "ECDSAP256",
        ECDSA / "p256KeyPair.json",
        ECDSA / "employmentAuth.json",
        id="ecdsa-employ",
    ),
]


def _read(folder: Path, name: str, suffix: str) -> str:
    return (folder / f"{name}{suffix}.txt").read_text().strip()


def _json(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.mark.parametrize("folder, suffix, key_file, unsigned", CASES)
def test_canonical_forms_and_hashes(
    folder: Path, suffix: str, key_file: Path, unsigned: Path, loader: DocumentLoader
) -> None:
    config = _json(folder / f"proofConfig{suffix}.json")
    suite = get_cryptosuite(config["cryptosuite"])
    assert suite is not None
    canon_doc = canonize(_json(unsigned), loader=loader)
    canon_proof = canonize(config, loader=loader)
    assert canon_doc == (folder / f"canonDoc{suffix}.txt").read_text()
    assert canon_proof == (folder / f"proofCanon{suffix}.txt").read_text()
    assert hashlib.sha256(canon_doc.encode()).hexdigest() == _read(folder, "docHash", suffix)
    assert hashlib.sha256(canon_proof.encode()).hexdigest() == _read(folder, "proofHash", suffix)
    unsecured = _json(unsigned)
    hash_data = suite.hash_data(config, unsecured, loader=loader)
    assert hash_data.hex() == _read(folder, "combinedHash", suffix)


@pytest.mark.parametrize("folder, suffix, key_file, unsigned", CASES)
def test_published_signature_verifies(
    folder: Path, suffix: str, key_file: Path, unsigned: Path, loader: DocumentLoader
) -> None:
    signed = _json(folder / f"signed{suffix}.json")
    assert signed["proof"]["proofValue"] == _read(folder, "sigBTC58", suffix)
    assert multibase_decode(signed["proof"]["proofValue"]).hex() == _read(folder, "sigHex", suffix)
    result = verify_proof(signed, resolver=DidResolver(), loader=loader, check_controller=False)
    assert result.ok, result
    assert result.code == "proof.ok"
    assert result.verification_method == signed["proof"]["verificationMethod"]
    # The vectors' issuer is not the signing key's controller: the binding check says so.
    bound = verify_proof(signed, resolver=DidResolver(), loader=loader)
    assert (bound.ok, bound.code) == (False, "proof.vm_not_authorized")


@pytest.mark.parametrize("folder, suffix, key_file, unsigned", CASES[:2])
def test_eddsa_reproduces_the_exact_signed_credential(
    folder: Path, suffix: str, key_file: Path, unsigned: Path, loader: DocumentLoader
) -> None:
    config = _json(folder / f"proofConfig{suffix}.json")
    pair = keypair_from_json(_json(key_file))
    secured = sign(
        _json(unsigned),
        keypair=pair,
        cryptosuite=config["cryptosuite"],
        verification_method=config["verificationMethod"],
        proof_purpose=config["proofPurpose"],
        created=config["created"],
        loader=loader,
    )
    assert secured["proof"]["proofValue"] == _read(folder, "sigBTC58", suffix)
    assert secured == _json(folder / f"signed{suffix}.json")


@pytest.mark.parametrize("folder, suffix, key_file, unsigned", CASES[2:])
def test_ecdsa_sign_round_trip_with_vector_key(
    folder: Path, suffix: str, key_file: Path, unsigned: Path, loader: DocumentLoader
) -> None:
    config = _json(folder / f"proofConfig{suffix}.json")
    pair = keypair_from_json(_json(key_file))
    document = _json(unsigned)
    secured = sign(
        document,
        keypair=pair,
        cryptosuite="ecdsa-rdfc-2019",
        verification_method=config["verificationMethod"],
        created=config["created"],
        loader=loader,
    )
    assert document == _json(unsigned)  # input untouched
    expected = {
        k: v
        for k, v in _json(folder / f"signed{suffix}.json")["proof"].items()
        if k != "proofValue"
    }
    assert {k: v for k, v in secured["proof"].items() if k != "proofValue"} == expected
    assert len(multibase_decode(secured["proof"]["proofValue"])) == 64
    assert verify_proof(secured, resolver=DidResolver(), loader=loader, check_controller=False).ok


def test_unsigned_input_is_not_mutated_and_output_is_new(loader: DocumentLoader) -> None:
    document = _json(EDDSA / "unsigned.json")
    before = json.dumps(document, sort_keys=True)
    pair = generate_keypair()
    secured = sign(document, keypair=pair, verification_method="did:example:x#k", loader=loader)
    assert json.dumps(document, sort_keys=True) == before
    assert "proof" not in document and "proof" in secured


# --- 1EdTech CLR 2.0 example: its key is named by an https URL whose fragment is the
# Multikey; the issuer profile is not fetchable offline, so the test pins a controller
# document built from that fragment (what the issuer would publish at its id).


def _clr_resolver() -> DidResolver:
    signed = _json(CLR / "signed-credential.json")
    vm_id = signed["proof"][0]["verificationMethod"]
    controller, fragment = vm_id.split("#")
    profile = {
        "id": controller,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": fragment,
            }
        ],
        "assertionMethod": [vm_id],
    }
    return DidResolver(documents={controller: profile})


def test_clr_canonical_forms_match_published() -> None:
    before = _json(CLR / "document-before-signing.json")
    assert canonize(before) == (CLR / "document-canon.txt").read_text()
    proof = _json(CLR / "proof.json")
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": before["@context"]
    }
    assert canonize(config) == (CLR / "proof-canon.txt").read_text()


def test_clr_signed_example_verifies_with_pinned_issuer_profile() -> None:
    signed = _json(CLR / "signed-credential.json")
    result = verify_proof(signed, resolver=_clr_resolver())
    assert result.ok, result
    assert result.controller == signed["issuer"]["id"]


def test_clr_tampered_name_fails() -> None:
    signed = _json(CLR / "signed-credential.json")
    signed["name"] = signed["name"] + " (edited)"
    result = verify_proof(signed, resolver=_clr_resolver())
    assert (result.ok, result.code) == (False, "proof.signature_invalid")
