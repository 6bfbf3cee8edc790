"""VC-JOSE-COSE (section 3.1.1) checks: a compact JWS whose payload is the credential, signed
by a did:key made here (Ed25519 and P-256); the same six ordered checks as Data Integrity,
each failure named, nothing raised for a bad token."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from openler.core.keys import generate_keypair
from openler.core.sdjwt.jose import sign_jws
from openler.core.verify import CATALOG, VerificationContext
from openler.core.verify.vc_jose import credential_of, decode_vc_jwt, looks_like_jws, verify_vc_jwt
from wallet_import_samples import OtherIssuer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ED = OtherIssuer()
P256 = OtherIssuer("P-256 College", generate_keypair("P-256"))


def _verify(token: str):
    return verify_vc_jwt(token, VerificationContext(now=NOW))


def _codes(result) -> dict[str, str]:
    return {c.name: c.code for c in result.checks}


@pytest.mark.parametrize("issuer", [ED, P256], ids=["EdDSA", "ES256"])
def test_a_vc_jose_token_verifies(issuer):
    result = _verify(issuer.vc_jwt())
    assert result.outcome == "verified", result.checks
    assert [c.name for c in result.checks] == ["well_formed", "schema", "proof", "issuer_key",
                                               "status", "validity_period"]
    assert result.claims["issuer"]["id"] == issuer.did


def test_a_changed_payload_fails_the_proof():
    header, _, signature = ED.vc_jwt().split(".")
    other = ED.vc_jwt(name="Forged").split(".")[1]
    result = _verify(f"{header}.{other}.{signature}")
    assert result.outcome == "not_verified" and _codes(result)["proof"] == "proof.changed"


def _signed(header: dict, payload: dict, issuer: OtherIssuer = ED) -> str:
    return sign_jws(header, json.dumps(payload).encode(), issuer.keypair)


def test_a_key_of_someone_else_is_refused():
    token = _signed({"typ": "vc+jwt", "kid": P256.vm}, ED.credential(), P256)
    codes = _codes(_verify(token))
    assert codes["issuer_key"] == "issuer.key_not_controlled" and codes["proof"] == "check.not_run"


def test_a_did_key_issuer_may_omit_the_kid():
    assert _verify(_signed({"typ": "vc+jwt"}, ED.credential())).outcome == "verified"


@pytest.mark.parametrize("header,payload_change,problem", [
    ({"typ": "dc+sd-jwt"}, {}, "typ"),
    ({"typ": "vc+jwt"}, {"iss": "did:key:z6Mkother"}, "iss"),
    ({"typ": "vc+jwt"}, {"type": ["Nothing"]}, "VerifiableCredential"),
])
def test_malformed_tokens_fail_well_formed(header, payload_change, problem):
    token = _signed({**header, "kid": ED.vm}, {**ED.credential(), **payload_change})
    check = _verify(token).checks[0]
    assert check.status == "failed" and problem in check.detail


def test_an_unresolvable_issuer_is_could_not_check():
    credential = ED.credential()
    credential["issuer"] = {"id": "did:web:far.example", "type": ["Profile"], "name": "Far"}
    token = _signed({"typ": "vc+jwt", "kid": "did:web:far.example#k1"}, credential)
    result = _verify(token)
    assert result.outcome == "incomplete"
    assert _codes(result)["issuer_key"] == "issuer.unresolvable"


@pytest.mark.parametrize("claims,code", [({"exp": 1_600_000_000}, "validity.expired"),
                                         ({"nbf": 4_000_000_000}, "validity.not_yet_valid")])
def test_jwt_time_claims_are_respected(claims, code):
    token = _signed({"typ": "vc+jwt", "kid": ED.vm}, {**ED.credential(), **claims})
    assert _codes(_verify(token))["validity_period"] == code


def test_the_vc_1_1_jwt_encoding_is_read():
    inner = {"@context": ["https://www.w3.org/2018/credentials/v1"],
             "type": ["VerifiableCredential"], "issuanceDate": "2026-01-01T00:00:00Z",
             "credentialSubject": {"id": "did:example:ana", "name": "Ana"}}
    token = _signed({"typ": "JWT", "kid": ED.vm},
                    {"iss": ED.did, "jti": "urn:uuid:1", "vc": inner})
    header, credential = decode_vc_jwt(token)
    assert credential["issuer"] == ED.did and credential["id"] == "urn:uuid:1"
    assert header["kid"] == ED.vm
    assert credential_of({"vc": inner, "iss": "x"})["credentialSubject"]["name"] == "Ana"
    assert _codes(_verify(token))["proof"] == "proof.valid"


@pytest.mark.parametrize("text", ["", "a.b", "a.b.c.d", "not a token", "e30.e30.~"])
def test_input_that_is_not_a_jws_is_a_failed_result(text):
    result = _verify(text)
    assert result.outcome == "not_verified" and result.checks[0].code == "format.invalid"
    assert not looks_like_jws(text) or text.count(".") == 2


def test_every_code_has_words():
    results = [_verify(ED.vc_jwt()), _verify("x"),
               _verify(_signed({"typ": "vc+jwt", "kid": P256.vm}, ED.credential(), P256))]
    assert {c.code for r in results for c in r.checks} <= set(CATALOG)
