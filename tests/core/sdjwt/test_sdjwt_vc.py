"""SD-JWT VC: issue, present with Key Binding, verify; tampering and misuse."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openler.core.dids import DidResolver, FetchResponse, did_key_from_public, did_key_vm_id
from openler.core.errors import DidResolutionError, SdJwtError, SdJwtIssuanceError
from openler.core.keys import generate_keypair
from openler.core.sdjwt import (
    decode_disclosure,
    decode_jwt,
    did_key_resolver,
    disclosure_paths,
    issue_sd_jwt_vc,
    make_disclosure,
    parse,
    present,
    public_jwk,
    static_key_resolver,
    verify_sd_jwt_vc,
)
from openler.core.sdjwt.encoding import digest
from openler.core.sdjwt.jose import sign_jws

NOW = 1_780_000_000
CLAIMS = {
    "given_name": "Ana",
    "family_name": "Ruiz",
    "address": {"street": "Calle Mayor 1", "city": "Madrid"},
    "skills": ["welding", "first aid", "forklift"],
}
DISCLOSABLE = {"given_name", "family_name", "address", "address.street", "skills.1", "skills[2]"}


class Unreachable:
    """A fetcher with no network, like the CLI's in this sandbox."""

    def fetch(self, url: str) -> FetchResponse:
        raise DidResolutionError(url, "network unreachable")


@pytest.fixture(scope="module", params=["P-256", "Ed25519"])
def issuer(request: pytest.FixtureRequest) -> Any:
    pair = generate_keypair(request.param)
    return pair, did_key_from_public(pair.public_key()), did_key_vm_id(pair.public_key())


@pytest.fixture(scope="module")
def holder_key() -> Any:
    return generate_keypair("Ed25519")


def issue(party: Any, holder_key: Any, **kw: Any) -> str:
    pair, did, vm = party
    args: dict[str, Any] = dict(
        disclosable=DISCLOSABLE,
        issuer_key=pair,
        issuer=did,
        vct="https://credentials.example/welder",
        kid=vm,
        holder_jwk=holder_key.public_key(),
        issued_at=NOW - 100,
    )
    args.update(kw)
    return issue_sd_jwt_vc(CLAIMS, **args)


def check(sd_jwt: str, **kw: Any) -> Any:
    kw.setdefault("now", NOW)
    return verify_sd_jwt_vc(sd_jwt, issuer_key_resolver=did_key_resolver(DidResolver()), **kw)


def test_issued_token_hides_disclosable_claims(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key, decoys=2)
    jwt = decode_jwt(parse(token).issuer_jwt)
    assert jwt.header["typ"] == "dc+sd-jwt"
    assert jwt.header["alg"] in ("ES256", "EdDSA")
    payload = jwt.payload
    assert payload["_sd_alg"] == "sha-256"
    assert "given_name" not in payload and "address" not in payload
    assert payload["_sd"] == sorted(payload["_sd"])
    assert len(payload["_sd"]) == 3 + 2  # given_name, family_name, address + 2 decoys
    assert payload["skills"][0] == "welding"
    assert set(payload["skills"][1]) == {"..."}
    assert payload["cnf"]["jwk"] == public_jwk(holder_key.public_key())
    assert set(disclosure_paths(token).values()) == {
        ("given_name",),
        ("family_name",),
        ("address",),
        ("address", "street"),
        ("skills", 1),
        ("skills", 2),
    }


def test_full_disclosure_roundtrip(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    result = check(token)
    assert result.verified, result.checks
    claims = result.claims
    assert {k: claims[k] for k in CLAIMS} == CLAIMS
    assert "_sd" not in json.dumps(claims) and "_sd_alg" not in claims
    assert result.check("holder_binding").code == "holder.not_presented"


def test_selective_presentation_with_key_binding(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    shown = present(
        token,
        disclose={"address.city", "skills.2"},
        holder_key=holder_key,
        nonce="n-123",
        audience="https://employer.example",
        issued_at=NOW,
    )
    result = check(shown, expected_nonce="n-123", expected_audience="https://employer.example")
    assert result.verified, result.checks
    assert result.claims["address"] == {"city": "Madrid"}  # street stays hidden
    assert result.claims["skills"] == ["welding", "forklift"]
    assert "given_name" not in result.claims and "family_name" not in result.claims
    assert result.key_binding["nonce"] == "n-123"
    assert result.check("holder_binding").status == "passed"


def test_disclosing_a_parent_reveals_its_children(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    result = check(present(token, disclose={"address"}))
    assert result.claims["address"] == CLAIMS["address"]


@pytest.mark.parametrize(
    "field, code",
    [("nonce", "presentation.challenge_mismatch"), ("aud", "presentation.audience_mismatch")],
)
def test_wrong_nonce_or_audience(issuer: Any, holder_key: Any, field: str, code: str) -> None:
    token = issue(issuer, holder_key)
    shown = present(
        token,
        disclose={"given_name"},
        holder_key=holder_key,
        nonce="n-1",
        audience="https://a.example",
        issued_at=NOW,
    )
    expected = {"expected_nonce": "n-1", "expected_audience": "https://a.example"}
    expected["expected_nonce" if field == "nonce" else "expected_audience"] = "other"
    result = check(shown, **expected)
    assert not result.verified
    assert result.check("holder_binding").code == code


def test_missing_key_binding_when_required(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    result = check(present(token, disclose={"given_name"}), expected_nonce="n-1")
    assert result.check("holder_binding").code == "holder.key_binding_missing"
    assert not result.verified


def test_key_binding_by_someone_else(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    thief = generate_keypair("Ed25519")
    shown = present(
        token, disclose={"given_name"}, holder_key=thief, nonce="n", audience="a", issued_at=NOW
    )
    result = check(shown, expected_nonce="n", expected_audience="a")
    assert result.check("holder_binding").code == "holder.key_binding_invalid"


def test_key_binding_does_not_cover_added_disclosure(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    shown = present(
        token,
        disclose={"given_name"},
        holder_key=holder_key,
        nonce="n",
        audience="a",
        issued_at=NOW,
    )
    parts = parse(shown)
    extra = next(d for d in parse(token).disclosures if d not in parts.disclosures)
    widened = "~".join((parts.issuer_jwt, *parts.disclosures, extra)) + "~" + parts.kb_jwt
    result = check(widened, expected_nonce="n", expected_audience="a")
    assert result.check("holder_binding").code == "holder.key_binding_invalid"
    assert result.check("proof").status == "passed"


def test_tampered_disclosure_is_unknown(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    parts = parse(token)
    original = next(
        decode_disclosure(d) for d in parts.disclosures if decode_disclosure(d).name == "given_name"
    )
    forged = make_disclosure(original.salt, "given_name", "Eve").encoded
    result = check(token.replace(original.encoded, forged))
    assert not result.verified
    assert result.check("proof").code == "sdjwt.unknown_disclosure"
    assert check(token).verified


def test_disclosure_from_another_credential_is_unknown(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    stranger = make_disclosure("c2FsdHNhbHRzYWx0", "degree", "PhD").encoded
    result = check(token + stranger + "~")
    assert result.check("proof").code == "sdjwt.unknown_disclosure"


def test_duplicate_digest_is_rejected(issuer: Any) -> None:
    pair, did, vm = issuer
    disclosure = make_disclosure("c2FsdA", "name", "Ana")
    payload = {
        "iss": did,
        "vct": "v",
        "iat": NOW,
        "_sd_alg": "sha-256",
        "_sd": [disclosure.digest],
        "nested": {"_sd": [disclosure.digest]},
    }
    jwt = sign_jws({"typ": "dc+sd-jwt", "kid": vm}, json.dumps(payload).encode(), pair)
    result = check(f"{jwt}~{disclosure.encoded}~")
    assert result.check("proof").code == "sdjwt.duplicate_digest"
    assert digest(disclosure.encoded) == disclosure.digest


def test_changed_issuer_payload_is_reported_as_changed(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key)
    parts = parse(token)
    head, body, sig = parts.issuer_jwt.split(".")
    payload = decode_jwt(parts.issuer_jwt).payload | {"vct": "https://evil.example"}
    from openler.core.sdjwt.compact import encode_json

    forged = ".".join((head, encode_json(payload), sig))
    result = check(token.replace(parts.issuer_jwt, forged))
    assert result.check("proof").code == "proof.changed"


def test_expired_and_not_yet_valid(issuer: Any, holder_key: Any) -> None:
    expired = check(issue(issuer, holder_key, expires_at=NOW - 3600))
    assert expired.check("validity_period").code == "validity.expired"
    early = check(issue(issuer, holder_key, not_before=NOW + 3600))
    assert early.check("validity_period").code == "validity.not_yet_valid"
    assert not expired.verified and not early.verified


def test_kid_of_another_did_is_not_controlled(issuer: Any, holder_key: Any) -> None:
    other = generate_keypair("Ed25519")
    token = issue(issuer, holder_key, kid=did_key_vm_id(other.public_key()), issuer_key=other)
    assert check(token).check("issuer_key").code == "issuer.key_not_controlled"


def test_unreachable_did_web_issuer_is_could_not_check(issuer: Any, holder_key: Any) -> None:
    token = issue(
        issuer, holder_key, issuer="did:web:issuer.example", kid="did:web:issuer.example#key-1"
    )
    result = verify_sd_jwt_vc(
        token, now=NOW, issuer_key_resolver=did_key_resolver(DidResolver(fetcher=Unreachable()))
    )
    key = result.check("issuer_key")
    assert key.code == "issuer.unresolvable" and key.could_not_check
    assert not result.verified
    assert not any(c.status == "failed" for c in result.checks)


def test_static_jwk_resolver(issuer: Any, holder_key: Any) -> None:
    pair = issuer[0]
    token = issue(issuer, holder_key, kid=None)
    ok = verify_sd_jwt_vc(
        token, now=NOW, issuer_key_resolver=static_key_resolver(public_jwk(pair.public_key()))
    )
    assert ok.verified
    wrong = verify_sd_jwt_vc(
        token,
        now=NOW,
        issuer_key_resolver=static_key_resolver(
            public_jwk(generate_keypair(pair.algorithm).public_key())
        ),
    )
    assert wrong.check("proof").code == "proof.changed"


@pytest.mark.parametrize("text", ["", "hello", "a.b.c", "~~~", "eyJ.eyJ.x~", "a.b~c~d.e"])
def test_garbage_is_a_failed_result_not_an_exception(text: str) -> None:
    result = check(text)
    assert result.check("well_formed").status == "failed"
    assert not result.verified


def test_parse_raises_sd_jwt_error_for_unparseable_input() -> None:
    with pytest.raises(SdJwtError):
        parse("not an sd-jwt")


@pytest.mark.parametrize("disclosable", [{"iss"}, {"cnf"}, {"vct"}, {"missing.claim"}])
def test_issuer_refuses_bad_disclosable_paths(
    issuer: Any, holder_key: Any, disclosable: set[str]
) -> None:
    with pytest.raises(SdJwtIssuanceError):
        issue(issuer, holder_key, disclosable=disclosable)


def test_key_binding_needs_nonce_and_audience(issuer: Any, holder_key: Any) -> None:
    with pytest.raises(SdJwtIssuanceError):
        present(issue(issuer, holder_key), disclose=set(), holder_key=holder_key)


def test_stale_key_binding_is_refused_when_a_nonce_was_sent(issuer: Any, holder_key: Any) -> None:
    shown = present(issue(issuer, holder_key), disclose={"given_name"}, holder_key=holder_key,
                    nonce="n", audience="a", issued_at=NOW - 3600)
    stale = check(shown, expected_nonce="n", expected_audience="a")
    assert stale.check("holder_binding").code == "holder.key_binding_invalid"
    assert check(shown).check("holder_binding").status == "passed"  # archived copy, no nonce


def test_https_issuer_without_static_key_could_not_check(issuer: Any, holder_key: Any) -> None:
    token = issue(issuer, holder_key, issuer="https://college.example", kid="key-1")
    key = check(token).check("issuer_key")
    assert (key.status, key.code, key.could_not_check) == ("skipped", "issuer.unresolvable", True)
