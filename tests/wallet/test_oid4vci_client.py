"""The wallet side of OpenID4VCI without a network: offer links, metadata URL rules,
the key proof's shape (checked by the issuer's own verifier), and how every issuer
answer (errors, deferred issuance, identifiers, nonce retry, binding) is handled."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.dids.ports import FetchResponse
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.keys.multikey import KeyPair, generate_keypair
from openler.issuer.delivery.errors import Oid4vciError
from openler.issuer.delivery.key_proof import verify_key_proof
from openler.wallet.oid4vci_client import (
    bound_to_holder,
    check_tx_code,
    notify_accepted,
    read_offer,
    receive,
    refusal,
)
from openler.wallet.oid4vci_metadata import configuration, parse_issuer_metadata
from openler.wallet.oid4vci_offer import (
    OfferError,
    appended_url,
    parse_offer,
    parse_offer_link,
    pick_display,
    well_known_url,
)
from openler.wallet.oid4vci_proof import key_proof, public_jwk

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ISSUER = "https://issuer.example/tenant"
PRE = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def _pair() -> KeyPair:
    pair = generate_keypair("Ed25519")
    pair.id = did_key_vm_id(pair.public_key())
    pair.controller = did_key_from_public(pair.public_key())
    return pair


def _offer(**grant: Any) -> dict[str, Any]:
    return {"credential_issuer": ISSUER, "credential_configuration_ids": ["badge"],
            "grants": {PRE: {"pre-authorized_code": "pre-code", **grant}}}


def _metadata(**extra: Any) -> dict[str, Any]:
    return {"credential_issuer": ISSUER, "credential_endpoint": f"{ISSUER}/credential",
            "nonce_endpoint": f"{ISSUER}/nonce",
            "display": [{"name": "Example College", "locale": "en-US"},
                        {"name": "Colegio Ejemplo", "locale": "es"}],
            "credential_configurations_supported": {"badge": {
                "format": "ldp_vc",
                "cryptographic_binding_methods_supported": ["did:key"],
                "proof_types_supported": {"jwt": {
                    "proof_signing_alg_values_supported": ["EdDSA", "ES256"]}},
                "credential_metadata": {"display": [{"name": "Welding badge",
                                                     "locale": "en"}]}}},
            **extra}


def _ok(body: Any, status: int = 200) -> FetchResponse:
    return FetchResponse(status, json.dumps(body).encode(), {"content-type": "application/json"})


class FakeIssuer:
    """An issuer answering from a route table; keeps every request it saw."""

    def __init__(self, overrides: dict[tuple[str, str], Any] | None = None) -> None:
        self.seen: list[tuple[str, str, Any, dict[str, str]]] = []
        self.nonces = iter(["n1", "n2", "n3"])
        self.routes: dict[tuple[str, str], Any] = {
            ("GET", "https://issuer.example/.well-known/openid-credential-issuer/tenant"):
                lambda _: _ok(_metadata()),
            ("GET", "https://issuer.example/.well-known/oauth-authorization-server/tenant"):
                lambda _: _ok({"issuer": ISSUER, "token_endpoint": f"{ISSUER}/token",
                               "pre-authorized_grant_anonymous_access_supported": True}),
            ("POST", f"{ISSUER}/token"):
                lambda _: _ok({"access_token": "at", "token_type": "Bearer", "expires_in": 60}),
            ("POST", f"{ISSUER}/nonce"): lambda _: _ok({"c_nonce": next(self.nonces)}),
            ("POST", f"{ISSUER}/credential"): self.credential,
        }
        self.routes.update(overrides or {})

    def credential(self, body: Any) -> FetchResponse:
        proof = body["proofs"]["jwt"][0]
        result = verify_key_proof(proof, audience=ISSUER, now=NOW, use_nonce=lambda n: True)
        return _ok({"credentials": [{"credential": {
            "credentialSubject": {"id": result.holder_did}}}], "notification_id": "note-1"})

    def fetch(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResponse:
        return self._answer("GET", url, None, headers or {})

    def post(self, url: str, *, form: dict[str, str] | None = None, json_body: Any = None,
             headers: dict[str, str] | None = None) -> FetchResponse:
        return self._answer("POST", url, form if form is not None else json_body, headers or {})

    def _answer(self, method: str, url: str, body: Any, headers: dict[str, str]) -> FetchResponse:
        self.seen.append((method, url, body, headers))
        route = self.routes.get((method, url))
        if route is None:
            return FetchResponse(404, b"not found", {})
        if isinstance(route, Exception):
            raise route
        return route(body)


def _link(document: dict[str, Any]) -> str:
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(document), safe="")


# -- offer links ---------------------------------------------------------------------------


def test_offer_link_by_value_by_reference_https_and_raw_json() -> None:
    doc = _offer()
    assert parse_offer_link(_link(doc)).offer == doc
    ref = parse_offer_link("openid-credential-offer://?credential_offer_uri="
                           + quote(f"{ISSUER}/offers/1", safe=""))
    assert ref.offer_uri == f"{ISSUER}/offers/1" and ref.offer is None
    https = parse_offer_link("https://wallet.example/receive?credential_offer="
                             + quote(json.dumps(doc), safe=""))
    assert https.offer == doc
    assert parse_offer_link("  " + json.dumps(doc) + "\n").offer == doc


@pytest.mark.parametrize("text, code", [
    ("", "offer_missing"),
    ("hello", "malformed_offer"),
    ("openid-credential-offer://?foo=bar", "malformed_offer"),
    ("openid-credential-offer://?credential_offer=%7B%7D&credential_offer_uri=https%3A%2F%2Fa",
     "malformed_offer"),
    ("openid-credential-offer://?credential_offer=not-json", "malformed_offer"),
    ("openid-credential-offer://?credential_offer=%5B1%5D", "malformed_offer"),
    ("openid-credential-offer://?credential_offer_uri=ftp%3A%2F%2Fa.example%2Fx",
     "malformed_offer"),
    ("[1, 2]", "malformed_offer"),
])
def test_bad_offer_links_are_refused(text: str, code: str) -> None:
    with pytest.raises(OfferError) as caught:
        parse_offer_link(text)
    assert caught.value.code == code


@given(st.dictionaries(st.text(min_size=1, max_size=10),
                       st.one_of(st.text(max_size=20), st.integers()), max_size=5))
def test_offer_by_value_round_trips(extra: dict[str, Any]) -> None:
    doc = {**extra, **_offer()}
    assert parse_offer_link(_link(doc)).offer == doc


def test_offer_object_is_read_and_checked() -> None:
    offer = parse_offer(_offer(tx_code={"length": 6, "description": "x" * 400}))
    assert offer.credential_issuer == ISSUER and offer.configuration_ids == ("badge",)
    assert offer.pre_authorized_code == "pre-code"
    assert offer.tx_code is not None and offer.tx_code.input_mode == "numeric"
    assert offer.tx_code.length == 6 and len(offer.tx_code.description) == 300
    auth_only = parse_offer({"credential_issuer": ISSUER, "credential_configuration_ids": ["b"],
                             "grants": {"authorization_code": {"issuer_state": "s"}}})
    assert auth_only.pre_authorized_code is None and auth_only.authorization_code_grant
    for bad in ({**_offer(), "credential_issuer": "issuer.example"},
                {**_offer(), "credential_issuer": f"{ISSUER}?q=1"},
                {**_offer(), "credential_configuration_ids": []},
                {**_offer(), "credential_configuration_ids": [1]},
                _offer(tx_code={"input_mode": "voice"}),
                _offer(tx_code={"length": 0}),
                {**_offer(), "grants": {PRE: {}}}):
        with pytest.raises(OfferError) as caught:
            parse_offer(bad)
        assert caught.value.code == "malformed_offer"


# -- metadata URL rules and display ----------------------------------------------------------


@pytest.mark.parametrize("identifier, expected", [
    ("https://issuer.example", "https://issuer.example/.well-known/openid-credential-issuer"),
    ("https://issuer.example/", "https://issuer.example/.well-known/openid-credential-issuer"),
    ("https://issuer.example/tenant",
     "https://issuer.example/.well-known/openid-credential-issuer/tenant"),
    ("https://issuer.example:8443/a/b/",
     "https://issuer.example:8443/.well-known/openid-credential-issuer/a/b"),
])
def test_issuer_metadata_url_inserts_the_well_known_path(identifier: str, expected: str) -> None:
    assert well_known_url(identifier, "/.well-known/openid-credential-issuer") == expected


def test_appended_url_is_the_older_rule() -> None:
    assert appended_url("https://issuer.example/tenant/", "/.well-known/openid-configuration") \
        == "https://issuer.example/tenant/.well-known/openid-configuration"


def test_display_prefers_the_learners_language_then_english() -> None:
    entries = [{"name": "Uno", "locale": "es-ES"}, {"name": "One", "locale": "en"}, {"x": 1}]
    assert pick_display(entries, "es")["name"] == "Uno"
    assert pick_display(entries, "fr")["name"] == "One"
    assert pick_display([{"name": "Only", "locale": "de"}], "es")["name"] == "Only"
    assert pick_display("nope", "en") == {}


def test_metadata_must_name_the_same_issuer_and_configurations() -> None:
    md = parse_issuer_metadata(_metadata(), expected_issuer=ISSUER, language="es")
    assert md.name == "Colegio Ejemplo" and md.nonce_endpoint == f"{ISSUER}/nonce"
    with pytest.raises(OfferError, match="credential_issuer"):
        parse_issuer_metadata(_metadata(credential_issuer="https://evil.example"),
                              expected_issuer=ISSUER, language="en")
    with pytest.raises(OfferError) as missing:
        parse_issuer_metadata({**_metadata(), "credential_endpoint": None},
                              expected_issuer=ISSUER, language="en")
    assert missing.value.code == "bad_metadata"


@pytest.mark.parametrize("fmt, record_format", [
    ("ldp_vc", "ldp_vc"), ("jwt_vc_json", "jwt_vc"), ("dc+sd-jwt", "dc+sd-jwt"),
    ("vc+sd-jwt", "dc+sd-jwt")])
def test_formats_map_to_record_formats(fmt: str, record_format: str) -> None:
    doc = _metadata()
    doc["credential_configurations_supported"]["badge"]["format"] = fmt
    md = parse_issuer_metadata(doc, expected_issuer=ISSUER, language="en")
    conf = configuration(md, "badge", language="en")
    assert conf.record_format == record_format and conf.name == "Welding badge"


def test_unsupported_format_and_proof_are_named() -> None:
    doc = _metadata()
    doc["credential_configurations_supported"]["badge"]["format"] = "mso_mdoc"
    md = parse_issuer_metadata(doc, expected_issuer=ISSUER, language="en")
    with pytest.raises(OfferError) as caught:
        configuration(md, "badge", language="en")
    assert caught.value.code == "unsupported_format"
    doc = _metadata()
    doc["credential_configurations_supported"]["badge"]["proof_types_supported"]["jwt"][
        "proof_signing_alg_values_supported"] = ["ES256"]
    md = parse_issuer_metadata(doc, expected_issuer=ISSUER, language="en")
    with pytest.raises(OfferError) as caught:
        configuration(md, "badge", language="en")
    assert caught.value.code == "unsupported_proof"
    with pytest.raises(OfferError) as caught:
        configuration(md, "other", language="en")
    assert caught.value.code == "bad_metadata"


# -- key proof ----------------------------------------------------------------------------


def _segments(jwt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _ = jwt.split(".")
    decode = lambda s: json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))  # noqa: E731
    return decode(head), decode(body)


def test_key_proof_shape_and_issuer_acceptance() -> None:
    pair = _pair()
    proof = key_proof(pair, audience=ISSUER, nonce="c-nonce", now=NOW)
    header, claims = _segments(proof)
    assert header == {"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "kid": pair.id}
    assert claims == {"aud": ISSUER, "iat": int(NOW.timestamp()), "nonce": "c-nonce"}
    assert "iss" not in claims  # anonymous pre-authorized code flow
    seen: list[str] = []
    result = verify_key_proof(proof, audience=ISSUER, now=NOW,
                              use_nonce=lambda n: seen.append(n) or True)
    assert result.holder_did == pair.controller and seen == ["c-nonce"]
    with pytest.raises(Oid4vciError):  # another audience is refused by the issuer
        verify_key_proof(proof, audience="https://other.example", now=NOW,
                         use_nonce=lambda n: True)


def test_key_proof_with_a_jwk_header_and_without_nonce() -> None:
    pair = _pair()
    header, claims = _segments(key_proof(pair, audience=ISSUER, nonce=None, now=NOW,
                                         binding="jwk"))
    assert header["jwk"] == public_jwk(pair) and "d" not in header["jwk"]
    assert "kid" not in header and "nonce" not in claims


# -- the flow against a fake issuer --------------------------------------------------------


def test_full_flow_sends_spec_requests_and_binds_to_the_learner() -> None:
    pair = _pair()
    issuer = FakeIssuer()
    preview = read_offer(_link(_offer(tx_code={"length": 4})), http=issuer, language="en")
    assert (preview.issuer_name, preview.credential_name) == ("Example College", "Welding badge")
    got = receive(preview, http=issuer, keypair=pair, tx_code="1234", now=NOW)
    assert got.credential["credentialSubject"]["id"] == pair.controller
    assert got.notification_id == "note-1" and got.record_format == "ldp_vc"
    token = next(s for s in issuer.seen if s[1].endswith("/token"))
    assert token[2] == {"grant_type": PRE, "pre-authorized_code": "pre-code", "tx_code": "1234"}
    request = next(s for s in issuer.seen if s[1].endswith("/credential"))
    assert request[3]["Authorization"] == "Bearer at"
    assert request[2]["credential_configuration_id"] == "badge"
    assert _segments(request[2]["proofs"]["jwt"][0])[1]["nonce"] == "n1"
    meta = issuer.seen[0]
    assert meta[3]["Accept-Language"] == "en"


def test_credential_identifier_from_the_token_is_used() -> None:
    issuer = FakeIssuer({("POST", f"{ISSUER}/token"): lambda _: _ok({
        "access_token": "at", "token_type": "bearer", "authorization_details": [{
            "type": "openid_credential", "credential_configuration_id": "badge",
            "credential_identifiers": ["badge-2026"]}]})})
    preview = read_offer(_link(_offer()), http=issuer)
    receive(preview, http=issuer, keypair=_pair(), tx_code="", now=NOW)
    request = next(s for s in issuer.seen if s[1].endswith("/credential"))
    assert request[2]["credential_identifier"] == "badge-2026"
    assert "credential_configuration_id" not in request[2]


def test_invalid_nonce_is_retried_once_with_the_fresh_nonce() -> None:
    calls: list[str] = []
    issuer = FakeIssuer()

    def picky(body: Any) -> FetchResponse:
        nonce = _segments(body["proofs"]["jwt"][0])[1]["nonce"]
        calls.append(nonce)
        if nonce != "fresh":
            return _ok({"error": "invalid_nonce", "c_nonce": "fresh"}, 400)
        return issuer.credential(body)

    issuer.routes[("POST", f"{ISSUER}/credential")] = picky
    preview = read_offer(_link(_offer()), http=issuer)
    receive(preview, http=issuer, keypair=_pair(), tx_code="", now=NOW)
    assert calls == ["n1", "fresh"]


def _fails(issuer: FakeIssuer, *, offer: dict[str, Any] | None = None, tx: str = "",
           pair: KeyPair | None = None) -> str:
    with pytest.raises(OfferError) as caught:
        preview = read_offer(_link(offer or _offer()), http=issuer)
        receive(preview, http=issuer, keypair=pair or _pair(), tx_code=tx, now=NOW)
    return caught.value.code


@pytest.mark.parametrize("status, body, code", [
    (400, {"error": "invalid_grant", "error_description": "The transaction code is not right."},
     "tx_code_wrong"),
    (400, {"error": "invalid_grant", "error_description": "Code expired."}, "offer_gone"),
    (400, {"error": "invalid_grant"}, "code_or_offer"),
    (401, {"error": "invalid_client"}, "needs_client"),
    (400, {"error": "invalid_request"}, "issuer_error"),
    (503, "down", "issuer_unreachable"),
])
def test_token_errors_are_named(status: int, body: Any, code: str) -> None:
    issuer = FakeIssuer({("POST", f"{ISSUER}/token"): lambda _: _ok(body, status)})
    assert _fails(issuer, offer=_offer(tx_code={"length": 4}), tx="1234") == code


@pytest.mark.parametrize("answer, code", [
    (_ok({"error": "invalid_proof"}, 400), "proof_refused"),
    (_ok({"error": "credential_request_denied"}, 400), "request_denied"),
    (_ok({"error": "unknown_credential_configuration"}, 400), "issuer_error"),
    (_ok({"transaction_id": "t-1", "interval": 5}, 202), "deferred"),
    (_ok({"transaction_id": "t-1"}), "deferred"),
    (_ok({"credentials": []}), "bad_credential"),
    (_ok({"credentials": [{"credential": "a.b.c"}]}), "bad_credential"),
    (_ok({"credentials": [{"credential": {"credentialSubject": {"id": "did:key:zOther"}}}]}),
     "not_bound"),
    (FetchResponse(200, b"<html>", {}), "bad_credential"),
])
def test_credential_errors_are_named(answer: FetchResponse, code: str) -> None:
    issuer = FakeIssuer({("POST", f"{ISSUER}/credential"): lambda _: answer})
    assert _fails(issuer) == code


def test_offer_and_metadata_failures_are_named() -> None:
    sign_in_only = {"credential_issuer": ISSUER, "credential_configuration_ids": ["badge"],
                    "grants": {"authorization_code": {}}}
    assert _fails(FakeIssuer(), offer=sign_in_only) == "needs_sign_in"
    gone = FakeIssuer({("GET", f"{ISSUER}/offers/1"): lambda _: _ok({"error": "x"}, 404)})
    with pytest.raises(OfferError) as caught:
        read_offer("openid-credential-offer://?credential_offer_uri="
                   + quote(f"{ISSUER}/offers/1", safe=""), http=gone)
    assert caught.value.code == "offer_gone"
    private = FakeIssuer({("GET", "https://issuer.example/.well-known/openid-credential-issuer"
                                    "/tenant"): AddressNotAllowedError(
        "x", "'issuer.example' resolves to non-public address 10.1.2.3")})
    assert _fails(private) == "address_refused"
    down = FakeIssuer({("GET", "https://issuer.example/.well-known/openid-credential-issuer"
                                 "/tenant"): DidResolutionError("x", "refused")})
    assert _fails(down) == "issuer_unreachable"
    encrypted = FakeIssuer({("GET", "https://issuer.example/.well-known/"
                                      "openid-credential-issuer/tenant"): lambda _: _ok(
        _metadata(credential_response_encryption={"encryption_required": True}))})
    assert _fails(encrypted) == "encryption_required"
    no_metadata = FakeIssuer({("GET", "https://issuer.example/.well-known/"
                                        "openid-credential-issuer/tenant"): lambda _: _ok(
        {}, 404)})
    assert _fails(no_metadata) == "bad_metadata"


def test_metadata_at_the_appended_path_is_found_too() -> None:
    inserted = "https://issuer.example/.well-known/openid-credential-issuer/tenant"
    issuer = FakeIssuer({("GET", inserted): lambda _: _ok({}, 404),
                           ("GET", f"{ISSUER}/.well-known/openid-credential-issuer"):
                               lambda _: _ok(_metadata())})
    assert read_offer(_link(_offer()), http=issuer).issuer_name == "Example College"


def test_authorization_server_from_metadata() -> None:
    other = "https://login.example"
    issuer = FakeIssuer({
        ("GET", "https://issuer.example/.well-known/openid-credential-issuer/tenant"):
            lambda _: _ok(_metadata(authorization_servers=[other])),
        ("GET", f"{other}/.well-known/oauth-authorization-server"):
            lambda _: _ok({"issuer": other, "token_endpoint": f"{other}/token"}),
        ("POST", f"{other}/token"): lambda _: _ok({"access_token": "at"})})
    preview = read_offer(_link(_offer()), http=issuer)
    assert preview.server.token_endpoint == f"{other}/token"
    receive(preview, http=issuer, keypair=_pair(), tx_code="", now=NOW)
    wrong = _offer(authorization_server="https://elsewhere.example")
    assert _fails(issuer, offer=wrong) == "malformed_offer"


@pytest.mark.parametrize("spec, value, code", [
    ({"length": 4}, "", "tx_code_missing"),
    ({"length": 4}, "12a4", "tx_code_digits"),
    ({"length": 4}, "123", "tx_code_length"),
])
def test_tx_code_is_checked_before_it_is_sent(spec: dict[str, Any], value: str,
                                              code: str) -> None:
    offer = parse_offer(_offer(tx_code=spec))
    with pytest.raises(OfferError) as caught:
        check_tx_code(offer.tx_code, value)
    assert caught.value.code == code
    text = parse_offer(_offer(tx_code={"input_mode": "text"}))
    assert check_tx_code(text.tx_code, " ab-9 ") == "ab-9"
    assert check_tx_code(None, "ignored") is None


def _jwt(claims: dict[str, Any], tail: str = "") -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{enc({'alg': 'EdDSA'})}.{enc(claims)}.sig{tail}"


def test_binding_is_read_from_every_format() -> None:
    pair = _pair()
    did, jwk = pair.controller or "", public_jwk(pair)
    assert bound_to_holder({"credentialSubject": {"id": did}}, "ldp_vc", did=did, jwk=jwk)
    assert bound_to_holder({"credentialSubject": [{"id": "x"}]}, "ldp_vc", did=did,
                           jwk=jwk) is False
    assert bound_to_holder({"credentialSubject": {}}, "ldp_vc", did=did, jwk=jwk) is None
    assert bound_to_holder(_jwt({"cnf": {"jwk": jwk}}, "~d1~"), "dc+sd-jwt", did=did, jwk=jwk)
    assert bound_to_holder(_jwt({"cnf": {"kid": pair.id}}, "~"), "dc+sd-jwt", did=did, jwk=jwk)
    assert bound_to_holder(_jwt({"cnf": {"jwk": {**jwk, "x": "AAAA"}}}, "~"), "dc+sd-jwt",
                           did=did, jwk=jwk) is False
    assert bound_to_holder(_jwt({"sub": did}), "jwt_vc", did=did, jwk=jwk)
    assert bound_to_holder(_jwt({"vc": {"credentialSubject": {"id": "did:key:zNo"}}}),
                           "jwt_vc", did=did, jwk=jwk) is False


def test_notification_is_sent_with_the_access_token() -> None:
    issuer = FakeIssuer({
        ("GET", "https://issuer.example/.well-known/openid-credential-issuer/tenant"):
            lambda _: _ok(_metadata(notification_endpoint=f"{ISSUER}/notify")),
        ("POST", f"{ISSUER}/notify"): lambda _: FetchResponse(204, b"", {})})
    preview = read_offer(_link(_offer()), http=issuer)
    got = receive(preview, http=issuer, keypair=_pair(), tx_code="", now=NOW)
    assert notify_accepted(got, preview, http=issuer)
    sent = issuer.seen[-1]
    assert sent[2] == {"notification_id": "note-1", "event": "credential_accepted"}
    assert sent[3]["Authorization"] == "Bearer at"


@pytest.mark.parametrize("url, reason, code", [
    ("https://issuer.example/x", "'issuer.example' resolves to non-public address 10.0.0.1",
     "address_refused"),
    ("http://127.0.0.1:8000/x", "only https is allowed", "address_refused"),
    ("http://localhost:8000/x", "only https is allowed", "address_refused"),
    ("http://issuer.example/x", "only https is allowed", "issuer_unreachable"),
    ("https://nope.invalid/x", "cannot resolve 'nope.invalid'", "issuer_unreachable"),
])
def test_guard_refusals_are_named(url: str, reason: str, code: str) -> None:
    assert refusal(AddressNotAllowedError(url, reason), url).code == code


@given(st.one_of(
    st.text(max_size=300),
    st.text(max_size=200).map(lambda t: "openid-credential-offer://?credential_offer=" + t),
    st.text(max_size=200).map(lambda t: "openid-credential-offer://?credential_offer_uri=" + t),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.sampled_from(
                     ["credential_issuer", "credential_configuration_ids", "grants", PRE,
                      "pre-authorized_code", "tx_code", "length", "input_mode"]), inner,
                     max_size=4), max_leaves=12).map(lambda d: _link({"x": d}) if not
                                                     isinstance(d, dict) else _link(d)),
))
def test_any_pasted_text_fails_only_with_an_offer_error(text: str) -> None:
    try:
        read_offer(text, http=FakeIssuer())
    except OfferError as exc:
        assert exc.code  # a named reason the page can put into words


def test_the_first_configuration_the_wallet_can_keep_is_chosen() -> None:
    doc = _metadata()
    doc["credential_configurations_supported"]["licence"] = {"format": "mso_mdoc"}
    issuer = FakeIssuer({("GET", "https://issuer.example/.well-known/openid-credential-issuer"
                                  "/tenant"): lambda _: _ok(doc)})
    both = {**_offer(), "credential_configuration_ids": ["licence", "badge"]}
    assert read_offer(_link(both), http=issuer).configuration.id == "badge"
    only_mdoc = {**_offer(), "credential_configuration_ids": ["licence"]}
    assert _fails(issuer, offer=only_mdoc) == "unsupported_format"


def test_the_server_that_takes_pre_authorized_codes_is_chosen() -> None:
    first, second = "https://login.example", "https://codes.example"
    issuer = FakeIssuer({
        ("GET", "https://issuer.example/.well-known/openid-credential-issuer/tenant"):
            lambda _: _ok(_metadata(authorization_servers=[first, second])),
        ("GET", f"{first}/.well-known/oauth-authorization-server"):
            lambda _: _ok({"issuer": first, "token_endpoint": f"{first}/token",
                           "grant_types_supported": ["authorization_code"]}),
        ("GET", f"{second}/.well-known/oauth-authorization-server"):
            lambda _: _ok({"issuer": second, "token_endpoint": f"{second}/token",
                           "grant_types_supported": [PRE]})})
    assert read_offer(_link(_offer()), http=issuer).server.token_endpoint == f"{second}/token"


def test_required_request_encryption_is_refused() -> None:
    issuer = FakeIssuer({("GET", "https://issuer.example/.well-known/openid-credential-issuer"
                                  "/tenant"): lambda _: _ok(_metadata(
        credential_request_encryption={"jwks": {"keys": []}, "enc_values_supported": ["A"],
                                       "encryption_required": True}))})
    assert _fails(issuer) == "encryption_required"
