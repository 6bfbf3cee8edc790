"""verify_proof outcomes: purposes, challenge/domain, key listing, controller binding,
did:web keys through a fake fetcher, proof sets, expiry and could-not-check."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from di_fixtures import DATA

from openler.core.dids import (
    DidResolver,
    FetchResponse,
    MemoryFetcher,
    did_key_from_public,
    did_key_vm_id,
    did_web_document,
    did_web_to_url,
)
from openler.core.errors import KeyMaterialError, ProofOptionsError
from openler.core.keys import generate_keypair
from openler.core.proofs import sign, verify_proof

ISSUER_DID = "did:web:college.example"


def _credential(issuer: str) -> dict:
    text = (DATA / "ob3-achievement-credential.json").read_text()
    return json.loads(text.replace("did:key:ISSUER", issuer))


def _presentation(holder: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder,
    }


def _web_issuer(keys: int = 2, *, listed: bool = True):
    pairs = [generate_keypair() for _ in range(keys)]
    doc = did_web_document(
        ISSUER_DID, [(f"#key-{i + 1}", p.public_key()) for i, p in enumerate(pairs)]
    )
    if not listed:
        doc["assertionMethod"] = doc["assertionMethod"][:-1]
    fetcher = MemoryFetcher({did_web_to_url(ISSUER_DID): json.dumps(doc).encode()})
    return pairs, DidResolver(fetcher=fetcher), fetcher


def test_did_web_issuer_signs_and_verifies_with_rotated_keys() -> None:
    pairs, resolver, fetcher = _web_issuer(keys=2)
    for i, pair in enumerate(pairs):
        signed = sign(
            _credential(ISSUER_DID), keypair=pair, verification_method=f"{ISSUER_DID}#key-{i + 1}"
        )
        result = verify_proof(signed, resolver=resolver)
        assert result.ok, result
        assert result.controller == ISSUER_DID
    assert fetcher.requests == [did_web_to_url(ISSUER_DID)]  # cached between proofs


def test_key_not_listed_for_the_purpose_is_not_authorized() -> None:
    pairs, resolver, _ = _web_issuer(keys=2, listed=False)
    signed = sign(
        _credential(ISSUER_DID), keypair=pairs[1], verification_method=f"{ISSUER_DID}#key-2"
    )
    result = verify_proof(signed, resolver=resolver)
    assert (result.ok, result.code) == (False, "proof.vm_not_authorized")


def test_key_of_someone_else_than_the_issuer_is_not_authorized() -> None:
    pair = generate_keypair()
    signed = sign(
        _credential(ISSUER_DID), keypair=pair, verification_method=did_key_vm_id(pair.public_key())
    )
    result = verify_proof(signed, resolver=DidResolver())
    assert (result.ok, result.code) == (False, "proof.vm_not_authorized")
    assert "issuer" in result.detail


def test_wrong_public_key_in_vm_gives_signature_invalid() -> None:
    pairs, resolver, _ = _web_issuer(keys=2)
    signed = sign(
        _credential(ISSUER_DID), keypair=pairs[0], verification_method=f"{ISSUER_DID}#key-2"
    )
    assert verify_proof(signed, resolver=resolver).code == "proof.signature_invalid"


def test_authentication_proof_binds_to_holder_with_challenge_and_domain() -> None:
    pair = generate_keypair("P-256")
    holder = did_key_from_public(pair.public_key())
    vp = sign(
        _presentation(holder),
        keypair=pair,
        cryptosuite="ecdsa-rdfc-2019",
        verification_method=did_key_vm_id(pair.public_key()),
        proof_purpose="authentication",
        challenge="n-0S6_WzA2Mj",
        domain="verifier.example",
    )
    resolver = DidResolver()
    ok = verify_proof(
        vp,
        resolver=resolver,
        expected_purpose="authentication",
        challenge="n-0S6_WzA2Mj",
        domain="verifier.example",
    )
    assert ok.ok, ok
    checks = {
        "proof.challenge_mismatch": dict(challenge="other", domain="verifier.example"),
        "proof.domain_mismatch": dict(challenge="n-0S6_WzA2Mj", domain="evil.example"),
        "proof.purpose_mismatch": dict(
            expected_purpose="assertionMethod", challenge="n-0S6_WzA2Mj"
        ),
    }
    for code, kwargs in checks.items():
        kwargs.setdefault("expected_purpose", "authentication")
        result = verify_proof(vp, resolver=resolver, **kwargs)
        assert (result.ok, result.code) == (False, code)
    other = generate_keypair()
    stolen = sign(
        _presentation(holder),
        keypair=other,
        proof_purpose="authentication",
        verification_method=did_key_vm_id(other.public_key()),
        challenge="c",
    )
    result = verify_proof(
        stolen, resolver=resolver, expected_purpose="authentication", challenge="c"
    )
    assert (result.ok, result.code) == (False, "proof.vm_not_authorized")


def test_missing_challenge_when_one_is_expected_fails() -> None:
    pair = generate_keypair()
    vp = sign(
        _presentation(did_key_from_public(pair.public_key())),
        keypair=pair,
        verification_method=did_key_vm_id(pair.public_key()),
        proof_purpose="authentication",
    )
    result = verify_proof(
        vp, resolver=DidResolver(), expected_purpose="authentication", challenge="expected"
    )
    assert result.code == "proof.challenge_mismatch"


def test_proof_set_verifies_each_and_reports_the_failure() -> None:
    pairs, resolver, _ = _web_issuer(keys=2)
    once = sign(
        _credential(ISSUER_DID), keypair=pairs[0], verification_method=f"{ISSUER_DID}#key-1"
    )
    twice = sign(once, keypair=pairs[1], verification_method=f"{ISSUER_DID}#key-2")
    assert isinstance(twice["proof"], list) and len(twice["proof"]) == 2
    assert isinstance(once["proof"], dict)  # the input was not changed
    result = verify_proof(twice, resolver=resolver)
    assert result.ok and len(result.proofs) == 2
    twice["proof"][1]["created"] = "2020-01-01T00:00:00Z"
    result = verify_proof(twice, resolver=resolver)
    assert (result.ok, result.code) == (False, "proof.signature_invalid")
    assert [p.ok for p in result.proofs] == [True, False]


def test_unreachable_issuer_is_could_not_check() -> None:
    pairs, _, _ = _web_issuer()
    signed = sign(
        _credential(ISSUER_DID), keypair=pairs[0], verification_method=f"{ISSUER_DID}#key-1"
    )
    down = MemoryFetcher({did_web_to_url(ISSUER_DID): FetchResponse(503, b"")})
    result = verify_proof(signed, resolver=DidResolver(fetcher=down))
    assert (result.ok, result.code, result.could_not_check) == (
        False,
        "proof.key_unresolvable",
        True,
    )
    gone = MemoryFetcher()
    result = verify_proof(signed, resolver=DidResolver(fetcher=gone))
    assert (result.ok, result.code, result.could_not_check) == (
        False,
        "proof.key_unresolvable",
        False,
    )


def test_expired_proof() -> None:
    pair = generate_keypair()
    did = did_key_from_public(pair.public_key())
    signed = sign(
        _credential(did),
        keypair=pair,
        verification_method=did_key_vm_id(pair.public_key()),
        created=datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC),
        expires="2026-02-01T00:00:00Z",
    )
    assert signed["proof"]["created"] == "2026-01-01T12:00:00Z"
    before = verify_proof(signed, resolver=DidResolver(), now=datetime(2026, 1, 20, tzinfo=UTC))
    after = verify_proof(signed, resolver=DidResolver(), now=datetime(2026, 3, 1, tzinfo=UTC))
    assert before.ok and (after.ok, after.code) == (False, "proof.expired")


def test_default_created_comes_from_the_clock() -> None:
    pair = generate_keypair()
    signed = sign(
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]},
        keypair=pair,
        verification_method=did_key_vm_id(pair.public_key()),
        clock=lambda: datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC),
    )
    assert signed["proof"]["created"] == "2030-05-06T07:08:09Z"


def test_key_type_must_fit_the_cryptosuite() -> None:
    ed = generate_keypair("Ed25519")
    with pytest.raises(KeyMaterialError):
        sign(
            _credential("did:example:x"),
            keypair=ed,
            cryptosuite="ecdsa-rdfc-2019",
            verification_method="did:example:x#k",
        )
    did = did_key_from_public(ed.public_key())
    signed = sign(_credential(did), keypair=ed, verification_method=did_key_vm_id(ed.public_key()))
    signed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    assert verify_proof(signed, resolver=DidResolver()).code == "proof.key_type_mismatch"


def test_proof_context_must_prefix_the_document_context() -> None:
    pair = generate_keypair()
    did = did_key_from_public(pair.public_key())
    signed = sign(
        _credential(did), keypair=pair, verification_method=did_key_vm_id(pair.public_key())
    )
    signed["proof"]["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    assert verify_proof(signed, resolver=DidResolver()).ok
    signed["proof"]["@context"] = ["https://w3id.org/security/data-integrity/v2"]
    assert verify_proof(signed, resolver=DidResolver()).code == "proof.malformed"


def test_missing_proof() -> None:
    result = verify_proof(_credential("did:example:x"), resolver=DidResolver())
    assert (result.ok, result.code) == (False, "proof.missing")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cryptosuite": "bbs-2023"},
        {"created": "yesterday"},
        {"expires": "never"},
        {"verification_method": "key-1"},
    ],
)
def test_bad_sign_options_raise_proof_options_error(kwargs: dict) -> None:
    pair = generate_keypair()
    options = {"verification_method": did_key_vm_id(pair.public_key())} | kwargs
    with pytest.raises(ProofOptionsError):
        sign(_credential("did:example:x"), keypair=pair, **options)
