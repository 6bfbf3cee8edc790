"""Malformed requests get a 400/401/413 with a plain message, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ob3_credentials

VC_V2 = "https://www.w3.org/ns/credentials/v2"
GOOD = {
    "@context": [VC_V2, "https://www.w3.org/ns/credentials/undefined-terms/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:1", "x": 1},
}


def _with(**changes):
    doc = dict(GOOD)
    for key, value in changes.items():
        if value is ...:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


RAW_BODIES = [
    b"",
    b"   ",
    b"not json",
    b"{not json",
    b"[1, 2]",
    b'"a string"',
    b"null",
    b"42",
    b"\xff\xfe\x00garbage",
    b'{"credential": NaN}',
    b'{"credential": Infinity}',
    b'{"a": 1,}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"x":' * 200 + b"1" + b"}" * 200,
]

ISSUE_BODIES = [
    {},
    {"credential": None},
    {"credential": 5},
    {"credential": "text"},
    {"credential": []},
    {"credential": {}},
    {"credential": GOOD, "options": []},
    {"credential": GOOD, "options": "fast"},
    {"credential": _with(**{"@context": ["https://unknown.example/context"]})},
    {"credential": _with(**{"@context": [VC_V2, "https://unknown.example/context"]})},
    {"credential": _with(**{"@context": [VC_V2, 5]})},
    {"credential": _with(**{"@context": [VC_V2, {"id": "https://example.org/redefined"}]})},
    {"credential": _with(**{"@context": [VC_V2, {"@version": 2.0}]})},
    {"credential": _with(**{"@context": ...})},
    {"credential": _with(type=...)},
    {"credential": _with(type=["SomethingElse"])},
    {"credential": _with(type=5)},
    {"credential": _with(credentialSubject=...)},
    {"credential": _with(credentialSubject="did:example:1")},
    {"credential": _with(credentialSubject=[1, 2])},
    {"credential": _with(issuer=5)},
    {"credential": _with(issuer="did:web:someone-else.example")},
    {"credential": _with(issuer={"id": 7})},
    {"credential": _with(id=5)},
    {"credential": _with(id="")},
    {"credential": _with(id="urn:x:" + "a" * 600)},
    {"credential": _with(validFrom="yesterday")},
    {"credential": _with(validUntil=12)},
    {"credential": _with(proof={"type": "DataIntegrityProof"})},
    {"credential": _with(credentialStatus={"type": "BitstringStatusListEntry"})},
    {"credential": _with(credentialSubject={"id": "did:example:1", "@type": 5})},
    {"credential": _with(credentialSubject={"id": "did:example:1", "x": {"@value": [1]}})},
]

VERIFY_BODIES = [
    {},
    {"verifiableCredential": None},
    {"verifiableCredential": 5},
    {"verifiableCredential": []},
    {"verifiableCredential": "neither json nor an sd-jwt"},
    {"verifiableCredential": GOOD, "options": []},
    {"verifiableCredential": _with(**{"@context": [VC_V2, "https://unknown.example/ctx"]})},
    {"credential": GOOD},
]

PRESENTATION_BODIES = [
    {},
    {"verifiablePresentation": None},
    {"verifiablePresentation": []},
    {"verifiablePresentation": {}, "options": {"challenge": 5}},
    {"verifiablePresentation": {}, "options": {"domain": ["a"]}},
    {"verifiablePresentation": {"@context": ["https://unknown.example/ctx"]}},
    {
        "verifiablePresentation": {
            "@context": [VC_V2],
            "verifiableCredential": [{"@context": [VC_V2, "https://unknown.example/ctx"]}],
        }
    },
]


def _post(client, path, content, headers=None):
    return client.post(
        path, content=content, headers={"Content-Type": "application/json", **(headers or {})}
    )


@pytest.mark.parametrize(
    "path",
    ["/credentials/issue", "/credentials/verify", "/presentations/verify", "/credentials/status"],
)
@pytest.mark.parametrize("raw", RAW_BODIES, ids=range(len(RAW_BODIES)))
def test_unusable_bodies_are_400(client, issuer_org, path, raw):
    response = _post(client, path, raw, issuer_org.headers)
    assert response.status_code == 400, response.text
    assert response.json()["message"]


@pytest.mark.parametrize("body", ISSUE_BODIES, ids=range(len(ISSUE_BODIES)))
def test_bad_issue_requests_are_400_with_a_message(client, issuer_org, body):
    response = _post(client, "/credentials/issue", json.dumps(body), issuer_org.headers)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["error"] and payload["message"]


def test_unknown_context_names_the_url(client, issuer_org):
    body = {"credential": _with(**{"@context": [VC_V2, "https://unknown.example/context"]})}
    response = _post(client, "/credentials/issue", json.dumps(body), issuer_org.headers)
    assert response.json()["error"] == "unknown_context"
    assert "https://unknown.example/context" in response.json()["message"]


@pytest.mark.parametrize("body", VERIFY_BODIES, ids=range(len(VERIFY_BODIES)))
def test_bad_verify_requests_are_400(client, body):
    response = _post(client, "/credentials/verify", json.dumps(body))
    assert response.status_code == 400, response.text
    assert response.json()["message"]


@pytest.mark.parametrize("body", PRESENTATION_BODIES, ids=range(len(PRESENTATION_BODIES)))
def test_bad_presentation_requests_are_400(client, body):
    response = _post(client, "/presentations/verify", json.dumps(body))
    assert response.status_code == 400, response.text


def test_huge_body_is_413(client, issuer_org):
    big = json.dumps({"credential": {"x": "a" * 1_200_000}}).encode()
    for path in ("/credentials/issue", "/credentials/verify"):
        response = _post(client, path, big, issuer_org.headers)
        assert response.status_code == 413
        assert response.json()["error"] == "too_large"


@pytest.mark.parametrize(
    "vc",
    [
        {},
        {"@context": [VC_V2]},
        GOOD,
        _with(
            proof={
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "verificationMethod": "did:web:127.0.0.1%3A9:orgs:x#key-1",
                "proofPurpose": "assertionMethod",
                "proofValue": "z3",
            }
        ),
        _with(
            credentialStatus={
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "1",
                "statusListCredential": "http://127.0.0.1:9/status/1",
            }
        ),
    ],
)
def test_invalid_credentials_are_200_with_errors(client, vc):
    response = _post(client, "/credentials/verify", json.dumps({"verifiableCredential": vc}))
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is False
    assert body["errors"] or body["warnings"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@context",
                    "type",
                    "id",
                    "issuer",
                    "proof",
                    "credentialSubject",
                    "validFrom",
                    "credentialStatus",
                    "verifiableCredential",
                    "holder",
                    "@id",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)

_CASES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_CASES
@given(
    value=json_values,
    wrap=st.sampled_from(["raw", "credential", "verifiableCredential", "verifiablePresentation"]),
)
def test_generated_json_never_breaks_the_api(client, issuer_org, value, wrap):
    body = value if wrap == "raw" else {wrap: value}
    if wrap == "credential" and isinstance(value, dict):
        value.setdefault("@context", [VC_V2])
    for path in ("/credentials/issue", "/credentials/verify", "/presentations/verify"):
        response = _post(client, path, json.dumps(body), issuer_org.headers)
        assert response.status_code in (200, 201, 400), (path, response.text)
        assert isinstance(response.json(), dict)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(credential=ob3_credentials())
def test_generated_open_badges_issue_or_refuse_cleanly(client, issuer_org, credential):
    for key in ("proof", "credentialStatus"):
        credential.pop(key, None)
    credential["issuer"] = {"name": "Generated"}
    response = _post(
        client, "/credentials/issue", json.dumps({"credential": credential}), issuer_org.headers
    )
    assert response.status_code in (201, 400), response.text
    if response.status_code == 201:
        vc = response.json()["verifiableCredential"]
        check = _post(client, "/credentials/verify", json.dumps({"verifiableCredential": vc}))
        assert check.status_code == 200
        proof = next(r for r in check.json()["results"] if r["name"] == "proof")
        assert proof["status"] == "passed", check.json()
