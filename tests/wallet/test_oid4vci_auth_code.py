"""The authorization code flow of OpenID4VCI, wallet side, without a network: the offer's
grant, the PKCE challenge (RFC 7636 Appendix B), the Authorization Request by details
or by scope, Pushed Authorization Requests, the callback checks (expiry, ``iss``,
errors), the Token Request and what the signed session keeps between the two steps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.dids.ports import FetchResponse
from openler.core.keys.multikey import KeyPair, generate_keypair
from openler.issuer.delivery.key_proof import verify_key_proof
from openler.wallet.oid4vci_authorize import (
    LIFETIME_SECONDS,
    MAX_PENDING,
    SESSION_BUDGET,
    PendingSignIn,
    UsedStates,
    callback_code,
    code_challenge,
    redeem_code,
    remember,
    remember_used,
    start_sign_in,
    state_digest,
    with_query,
)
from openler.wallet.oid4vci_client import collect, read_offer
from openler.wallet.oid4vci_offer import OfferError, parse_offer

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ISSUER = "https://issuer.example/tenant"
SERVER = "https://login.example"
CLIENT = "https://wallet.example"
REDIRECT = f"{CLIENT}/wallet/offers/callback"


def _ok(body: Any, status: int = 200) -> FetchResponse:
    return FetchResponse(status, json.dumps(body).encode(), {"content-type": "application/json"})


def _issuer_metadata(servers: list[str] | None = None) -> dict[str, Any]:
    proofs = {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}
    doc: dict[str, Any] = {
        "credential_issuer": ISSUER, "credential_endpoint": f"{ISSUER}/credential",
        "nonce_endpoint": f"{ISSUER}/nonce",
        "display": [{"name": "Example College", "locale": "en"}],
        "credential_configurations_supported": {
            "badge": {"format": "ldp_vc", "proof_types_supported": proofs,
                      "cryptographic_binding_methods_supported": ["did:key"]},
            "scoped": {"format": "ldp_vc", "scope": "college_badge",
                       "proof_types_supported": proofs}}}
    if servers is not None:
        doc["authorization_servers"] = servers
    return doc


def _server_metadata(issuer: str, **extra: Any) -> dict[str, Any]:
    return {"issuer": issuer, "authorization_endpoint": f"{issuer}/authorize?tenant=7",
            "token_endpoint": f"{issuer}/token", "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"], **extra}


class Fake:
    """An issuer answering from a route table; keeps every request it saw."""

    def __init__(self, *, servers: list[str] | None = None, **server: Any) -> None:
        as_id = servers[0] if servers else ISSUER
        as_path = urlsplit(as_id).path
        self.seen: list[tuple[str, str, Any]] = []
        self.routes: dict[tuple[str, str], Any] = {
            ("GET", "https://issuer.example/.well-known/openid-credential-issuer/tenant"):
                _ok(_issuer_metadata(servers)),
            ("GET", f"https://{urlsplit(as_id).netloc}/.well-known/oauth-authorization-server"
                    f"{as_path}"): _ok(_server_metadata(as_id, **server)),
            ("POST", f"{as_id}/token"): _ok({"access_token": "at", "token_type": "Bearer"}),
            ("POST", f"{as_id}/par"): _ok({"request_uri": "urn:par:1", "expires_in": 60}, 201),
            ("POST", f"{ISSUER}/nonce"): _ok({"c_nonce": "n1"}),
        }

    def fetch(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResponse:
        return self._answer("GET", url, None)

    def post(self, url: str, *, form: dict[str, str] | None = None, json_body: Any = None,
             headers: dict[str, str] | None = None) -> FetchResponse:
        return self._answer("POST", url, form if form is not None else json_body)

    def _answer(self, method: str, url: str, body: Any) -> FetchResponse:
        self.seen.append((method, url, body))
        route = self.routes.get((method, url))
        if route is None:
            return FetchResponse(404, b"not found", {})
        return route(body) if callable(route) else route


def _link(config: str = "badge", **grant: Any) -> str:
    doc = {"credential_issuer": ISSUER, "credential_configuration_ids": [config],
           "grants": {"authorization_code": {"issuer_state": "st-1", **grant}}}
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(doc), safe="")


def _secrets() -> Any:
    values = iter(["v" * 64, "s" * 32, "v2" * 32, "s2" * 16])
    return lambda _n: next(values)


def _start(http: Fake, link: str | None = None):
    preview = read_offer(link or _link(), http=http)
    return start_sign_in(preview, http=http, client_id=CLIENT, redirect_uri=REDIRECT,
                         user_id="u1", now=NOW, new_secret=_secrets())


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# -- the offer and PKCE ------------------------------------------------------------------


def test_the_authorization_code_grant_is_read_from_the_offer() -> None:
    offer = parse_offer({"credential_issuer": ISSUER, "credential_configuration_ids": ["badge"],
                         "grants": {"authorization_code": {
                             "issuer_state": "abc", "authorization_server": SERVER}}})
    assert offer.pre_authorized_code is None and offer.authorization_code_grant
    assert offer.issuer_state == "abc" and offer.authorization_server == SERVER
    for bad in ({"issuer_state": 7}, {"issuer_state": ""}, "yes"):
        with pytest.raises(OfferError) as caught:
            parse_offer({"credential_issuer": ISSUER, "credential_configuration_ids": ["b"],
                         "grants": {"authorization_code": bad}})
        assert caught.value.code == "malformed_offer"


def test_pkce_s256_matches_rfc_7636_appendix_b() -> None:
    assert code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == \
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~",
               min_size=43, max_size=128))
def test_a_challenge_is_43_base64url_characters(verifier: str) -> None:
    challenge = code_challenge(verifier)
    assert len(challenge) == 43 and "=" not in challenge and "+" not in challenge
    assert code_challenge(verifier + "x") != challenge


# -- the authorization request -----------------------------------------------------------


def test_the_learner_is_sent_with_details_state_and_challenge() -> None:
    http = Fake()
    start = _start(http)
    assert start.url.startswith(f"{ISSUER}/authorize?")
    query = _query(start.url)
    assert query["tenant"] == "7"  # the endpoint's own query is kept
    assert query["response_type"] == "code" and query["client_id"] == CLIENT
    assert query["redirect_uri"] == REDIRECT and query["state"] == "s" * 32
    assert query["code_challenge"] == code_challenge("v" * 64)
    assert query["code_challenge_method"] == "S256" and query["issuer_state"] == "st-1"
    assert json.loads(query["authorization_details"]) == [
        {"type": "openid_credential", "credential_configuration_id": "badge"}]
    assert start.pending.code_verifier == "v" * 64 and start.pending.user_id == "u1"
    assert start.pending.expires_at == int(NOW.timestamp()) + LIFETIME_SECONDS
    assert all(method == "GET" for method, _, _ in http.seen)  # nothing redeemed yet


def test_a_separate_server_gets_locations_or_resource() -> None:
    http = Fake(servers=[SERVER])
    details = json.loads(_query(_start(http, _link(authorization_server=SERVER)).url)
                         ["authorization_details"])
    assert details[0]["locations"] == [ISSUER]
    scoped = _query(_start(Fake(servers=[SERVER]), _link("scoped")).url)
    assert scoped["scope"] == "college_badge" and scoped["resource"] == ISSUER
    assert "authorization_details" not in scoped
    rar = Fake(servers=[SERVER], authorization_details_types_supported=["openid_credential"])
    assert "authorization_details" in _query(_start(rar, _link("scoped")).url)


def test_a_pushed_request_carries_everything_and_the_browser_only_a_reference() -> None:
    http = Fake(pushed_authorization_request_endpoint=f"{ISSUER}/par",
                require_pushed_authorization_requests=True)
    start = _start(http)
    assert _query(start.url) == {"tenant": "7", "client_id": CLIENT, "request_uri": "urn:par:1"}
    method, url, form = http.seen[-1]
    assert (method, url) == ("POST", f"{ISSUER}/par")
    assert form["code_challenge"] == code_challenge("v" * 64) and form["state"] == "s" * 32
    http.routes[("POST", f"{ISSUER}/par")] = _ok({"error": "invalid_client"}, 401)
    with pytest.raises(OfferError) as caught:
        _start(http)
    assert caught.value.code == "needs_client"


@pytest.mark.parametrize("server, code", [
    ({"require_pushed_authorization_requests": True}, "bad_metadata"),
    ({"code_challenge_methods_supported": ["plain"]}, "bad_metadata"),
    ({"authorization_endpoint": None}, "needs_sign_in"),
    ({"grant_types_supported": ["urn:ietf:params:oauth:grant-type:pre-authorized_code"]},
     "needs_sign_in"),
])
def test_servers_the_wallet_cannot_sign_in_at(server: dict[str, Any], code: str) -> None:
    http = Fake(**server)
    with pytest.raises(OfferError) as caught:
        _start(http)
    assert caught.value.code == code


def test_with_query_replaces_rather_than_repeats() -> None:
    assert with_query("https://a.example/x?a=1&b=2", {"b": "3"}) == \
        "https://a.example/x?a=1&b=3"


# -- the callback and the token request --------------------------------------------------


def _pending(**server: Any) -> PendingSignIn:
    return _start(Fake(**server)).pending


@pytest.mark.parametrize("params, code", [
    ({"error": "access_denied"}, "auth_denied"),
    ({"error": "unauthorized_client"}, "needs_client"),
    ({"error": "server_error", "error_description": "down"}, "auth_failed"),
    ({}, "auth_failed"),
    ({"code": "c", "iss": "https://evil.example"}, "wrong_issuer"),
])
def test_callback_answers_are_named(params: dict[str, str], code: str) -> None:
    with pytest.raises(OfferError) as caught:
        callback_code(_pending(), {"state": "s" * 32, **params}, now=NOW)
    assert caught.value.code == code


def test_callback_expiry_and_rfc_9207_iss() -> None:
    pending = _pending()
    assert callback_code(pending, {"code": "c1"}, now=NOW) == "c1"
    assert callback_code(pending, {"code": "c1", "iss": ISSUER}, now=NOW) == "c1"
    late = NOW + timedelta(seconds=LIFETIME_SECONDS + 1)
    with pytest.raises(OfferError) as caught:
        callback_code(pending, {"code": "c1"}, now=late)
    assert caught.value.code == "flow_expired"
    strict = _pending(authorization_response_iss_parameter_supported=True)
    with pytest.raises(OfferError) as caught:
        callback_code(strict, {"code": "c1"}, now=NOW)  # iss promised but missing
    assert caught.value.code == "wrong_issuer"


def test_the_token_request_sends_code_verifier_and_redirect_uri() -> None:
    http = Fake()
    pending = _pending()
    token = redeem_code(pending, "the-code", http=http)
    assert token["access_token"] == "at"
    assert http.seen[-1] == ("POST", f"{ISSUER}/token", {
        "grant_type": "authorization_code", "code": "the-code", "code_verifier": "v" * 64,
        "redirect_uri": REDIRECT, "client_id": CLIENT})


@pytest.mark.parametrize("answer, code", [
    (_ok({"error": "invalid_grant"}, 400), "code_refused"),
    (_ok({"error": "invalid_client"}, 401), "needs_client"),
    (_ok({"error": "invalid_request", "error_description": "x"}, 400), "issuer_error"),
    (FetchResponse(500, b"<html>oops</html>", {}), "issuer_unreachable"),
    (_ok({"token_type": "Bearer"}), "issuer_error"),
    (_ok({"access_token": "at", "token_type": "DPoP"}), "issuer_error"),
])
def test_token_errors_are_named(answer: FetchResponse, code: str) -> None:
    http = Fake()
    http.routes[("POST", f"{ISSUER}/token")] = answer
    with pytest.raises(OfferError) as caught:
        redeem_code(_pending(), "c", http=http)
    assert caught.value.code == code


def _pair() -> KeyPair:
    pair = generate_keypair("Ed25519")
    pair.id = did_key_vm_id(pair.public_key())
    pair.controller = did_key_from_public(pair.public_key())
    return pair


def test_after_the_session_round_trip_the_credential_is_collected() -> None:
    http = Fake()
    pending = PendingSignIn.from_json(json.loads(json.dumps(_pending().to_json())))
    pair = _pair()

    def credential(body: Any) -> FetchResponse:
        proof = verify_key_proof(body["proofs"]["jwt"][0], audience=ISSUER, now=NOW,
                                 use_nonce=lambda n: n == "n1")
        assert body["credential_configuration_id"] == "badge"
        return _ok({"credentials": [{"credential": {
            "credentialSubject": {"id": proof.holder_did}}}]})

    http.routes[("POST", f"{ISSUER}/credential")] = credential
    token = redeem_code(pending, "c", http=http)
    received = collect(pending.preview, token=token, http=http, keypair=pair, now=NOW)
    assert received.credential == {"credentialSubject": {"id": pair.controller}}
    assert received.configuration_id == "badge"


# -- what the session keeps --------------------------------------------------------------


def test_malformed_session_entries_read_as_unknown() -> None:
    for bad in (None, {}, {"state": "s"}, {**_pending().to_json(), "exp": "soon"}):
        with pytest.raises(OfferError) as caught:
            PendingSignIn.from_json(bad)
        assert caught.value.code == "state_mismatch"


def test_the_session_keeps_few_open_sign_ins_and_drops_expired_ones() -> None:
    kept: dict[str, Any] = {"old": {"exp": int(NOW.timestamp()) - 1}}
    preview = _pending().preview
    for n in range(4):
        pending = PendingSignIn(f"s{n}", "v", CLIENT, REDIRECT, "u1",
                                int(NOW.timestamp()) + n, preview)
        kept = remember(kept, pending, now=NOW)
    assert sorted(kept) == [f"s{n}" for n in range(4 - MAX_PENDING, 4)]
    assert len(json.dumps(kept)) <= SESSION_BUDGET + 100
    huge = PendingSignIn("big", "v" * SESSION_BUDGET, CLIENT, REDIRECT, "u1",
                         int(NOW.timestamp()) + 9, preview)
    with pytest.raises(OfferError) as caught:  # it would not fit in a cookie
        remember(kept, huge, now=NOW)
    assert caught.value.code == "bad_metadata"
    roomy = PendingSignIn("roomy", "v" * (SESSION_BUDGET - 800), CLIENT, REDIRECT, "u1",
                          int(NOW.timestamp()) + 9, preview)
    assert list(remember(kept, roomy, now=NOW)) == ["roomy"]  # older ones make room
    used: list[str] = []
    for n in range(12):
        used = remember_used(used, f"s{n}")
    assert len(used) == 10 and used[-1] == state_digest("s11") and state_digest("s0") not in used


def test_used_states_are_remembered_until_they_would_have_expired() -> None:
    used = UsedStates()
    used.add("abc", now=NOW)
    assert "abc" in used and "abd" not in used
    used.add("later", now=NOW + timedelta(seconds=LIFETIME_SECONDS + 5))
    assert "abc" not in used and "later" in used
