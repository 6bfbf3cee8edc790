"""Credentials OpenLER issues verify in Digital Bazaar's JavaScript libraries.

Acceptance (issuer, issue): an OB 3.0 AchievementCredential signed by OpenLER
(eddsa-rdfc-2022 and ecdsa-rdfc-2019; via core.proofs.sign with a did:key and
via the VC-API POST /credentials/issue with the organization's did:web)
verifies with @digitalbazaar/vc's verifyCredential, validates against the
official OB 3.0 JSON Schema, and a tampered copy fails in JS.
"""

from __future__ import annotations

import copy

import jsonschema
import pytest
from interop_material import (
    JS_NOW,
    SUITES,
    DidKeyParty,
    achievement_credential,
    official_ob3_schema,
    tampered_copies,
)

from openler.core.proofs import sign
from openler.core.schema import validate
from openler.issuer import keys, tokens
from openler.issuer.keys import KeyVault
from openler.storage import db as storage_db
from openler.storage.tables import User

pytestmark = pytest.mark.interop

TEST_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py's app secret


@pytest.fixture(scope="module")
def did_key_signed() -> dict[str, dict]:
    """One AchievementCredential per cryptosuite, signed with a did:key."""
    out = {}
    for suite, algorithm in SUITES.items():
        party = DidKeyParty(algorithm)
        doc = achievement_credential()
        doc["issuer"]["id"] = party.did
        out[suite] = sign(doc, keypair=party.keypair, verification_method=party.vm,
                          cryptosuite=suite, created="2025-06-01T09:00:00Z")
    return out


def official_validator() -> jsonschema.Draft201909Validator:
    """jsonschema on the official file (formats it knows: email, uuid, ...; date-time
    needs rfc3339-validator, which openler.core.schema checks itself)."""
    schema = official_ob3_schema()
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


def assert_official_schema(vc: dict) -> None:
    assert validate(vc) == []
    errors = [f"{e.json_path}: {e.message}" for e in official_validator().iter_errors(vc)]
    assert errors == []


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_did_key_credential_verifies_in_js(js_verify, did_key_signed, suite):
    vc = did_key_signed[suite]
    assert vc["proof"]["cryptosuite"] == suite
    [result] = js_verify([vc], now=JS_NOW)
    assert result == {"verified": True, "errors": [], "cryptosuites": [suite]}


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_did_key_credential_meets_the_official_schema(did_key_signed, suite):
    vc = copy.deepcopy(did_key_signed[suite])
    vc["proof"] = [vc["proof"]]  # the OB 3.0 schema wants proof as an array
    assert_official_schema(vc)


def test_official_schema_rejects_what_it_should(did_key_signed):
    vc = copy.deepcopy(did_key_signed["eddsa-rdfc-2022"])
    vc["proof"] = [vc["proof"]]
    del vc["credentialSubject"]["achievement"]["criteria"]
    assert validate(vc) != []
    assert list(official_validator().iter_errors(vc))


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_tampered_did_key_credentials_fail_in_js(js_verify, did_key_signed, suite):
    copies = tampered_copies(did_key_signed[suite])
    results = js_verify(list(copies.values()), now=JS_NOW)
    for (name, _doc), result in zip(copies.items(), results, strict=True):
        assert result["verified"] is False, name
        assert result["errors"], name


# -- the real VC-API issue path --------------------------------------------------


def _org_token(accounts, engine, suite: str) -> tuple[str, str]:
    """An issuer organization with an API token; a P-256 key first when ECDSA is wanted."""
    user_id, org_id = accounts.org_owner(f"owner-{suite}@college.example", "Example College")
    with storage_db.make_sessionmaker(engine)() as s:
        if SUITES[suite] != "Ed25519":
            keys.create_key(s, vault=KeyVault(TEST_SECRET), org_id=org_id,
                            now=accounts.clock(), algorithm=SUITES[suite])
        _row, token = tokens.create_api_token(s, user=s.get(User, user_id), org_id=org_id,
                                              name="interop", now=accounts.clock())
        s.commit()
    return org_id, token


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_vc_api_issued_credential_verifies_in_js(client, accounts, clean_db, js_verify, suite):
    org_id, token = _org_token(accounts, clean_db, suite)
    unsigned = achievement_credential()
    del unsigned["credentialStatus"]  # the service adds its own status entry
    del unsigned["issuer"]["id"]      # ... and sets the issuer to the organization's did:web
    response = client.post("/credentials/issue", json={"credential": unsigned},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    did = vc["issuer"]["id"]
    assert did.startswith("did:web:") and did.endswith(org_id)
    assert [p["cryptosuite"] for p in vc["proof"]] == [suite]
    did_doc = client.get(f"/orgs/{org_id}/did.json")
    assert did_doc.status_code == 200
    documents = {did: did_doc.json()}

    assert_official_schema(vc)
    copies = tampered_copies(vc)
    results = js_verify([vc, *copies.values()], documents=documents, now=JS_NOW)
    assert results[0] == {"verified": True, "errors": [], "cryptosuites": [suite]}
    for name, result in zip(copies, results[1:], strict=True):
        assert result["verified"] is False, name
    # Without the did:web document the JS side cannot find the key: no silent pass.
    [unresolved] = js_verify([vc], now=JS_NOW)
    assert unresolved["verified"] is False
    assert any("not in the interop mapping" in e for e in unresolved["errors"])
