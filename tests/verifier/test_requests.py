"""The verifier's side of OpenID4VP 1.0: requests (section 5, ``redirect_uri:`` prefix,
unsigned request object), and the ``direct_post`` Response URI (sections 8.2, 8.6, 14.1):
a bound answer is verified and kept; a second answer, a wrong state, a wrong nonce or
audience, an expired request and a malformed vp_token are refused with ``invalid_request``
and recorded; a learner's refusal (``access_denied``) is recorded as declined."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from verifier_material import BASE, OB_TYPE, VC_TYPE, VCT

from openler.core.sdjwt import parse
from openler.verifier import requests, responses
from openler.verifier.dcql import FORMAT_LDP_VC, FORMAT_SD_JWT, credential_query
from openler.wallet import oid4vp_client as vp
from openler.wallet import service
from openler.wallet.keys import open_wallet

DI_QUERY = {"credentials": [credential_query("course", format=FORMAT_LDP_VC,
                                              types=[VC_TYPE, OB_TYPE])]}
SD_QUERY = {"credentials": [credential_query("licence", format=FORMAT_SD_JWT, vct=[VCT],
                                              claims=[["given_name"]])]}


def _make(session, org, clock, query=DI_QUERY, **kw):
    made = requests.create_request(session, org_id=org, purpose="Check the welding course",
                                   dcql_query=query, now=clock(), **kw)
    session.commit()
    return made


def _ask(http, made, clock):
    return vp.load_request(requests.wallet_link(BASE, made.id), fetcher=http, now=clock())


def _token(session, wallet_config, learner_id, ask, clock):
    records = service.records(session, config=wallet_config, user_id=learner_id)
    picks = {m.query.id: [m.candidates[0]] for m in vp.match(ask, records) if m.candidates}
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    return vp.build_vp_token(ask, picks, wallet=wallet, now=clock())


def _post(session, issuer_config, made, clock, **form):
    return responses.receive_response(session, request_id=made.id, form=form, base_url=BASE,
                                      issuer=issuer_config, now=clock())


def _statuses(session, made):
    return [(r.status, r.reason) for r in responses.responses_of(session, request_id=made.id)]


def test_request_object_follows_the_redirect_uri_prefix(session, hiring_org, clock):
    made = _make(session, hiring_org, clock)
    other = _make(session, hiring_org, clock)
    assert len({made.nonce, made.state, other.nonce, other.state}) == 4
    assert len(made.nonce) >= 43 and len(made.state) >= 43  # 256 random bits, base64url
    payload = requests.request_object(session, request_id=made.id, base_url=BASE, now=clock())
    response_uri = f"{BASE}/verifier/requests/{made.id}/response"
    assert payload["client_id"] == "redirect_uri:" + response_uri
    assert payload["response_uri"] == response_uri and "redirect_uri" not in payload
    assert (payload["response_type"], payload["response_mode"]) == ("vp_token", "direct_post")
    assert payload["nonce"] == made.nonce and payload["state"] == made.state
    assert payload["dcql_query"] == DI_QUERY
    assert payload["client_metadata"]["client_name"] == "Acme Hiring"
    assert "ldp_vc" in payload["client_metadata"]["vp_formats_supported"]
    header, body, signature = requests.unsecured_jwt(payload).split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {
        "alg": "none", "typ": "oauth-authz-req+jwt"}
    assert json.loads(base64.urlsafe_b64decode(body + "==")) == payload and signature == ""
    link = requests.wallet_link(BASE, made.id)
    assert link.startswith("openid4vp://?client_id=redirect_uri%3A")
    assert "request_uri=" in link


def test_create_request_refuses_incomplete_input(session, hiring_org, clock):
    with pytest.raises(requests.InvalidVerifierRequest) as caught:
        requests.create_request(session, org_id="nope", purpose="  ",
                                dcql_query={"credentials": []}, now=clock(),
                                lifetime=timedelta(0))
    assert set(caught.value.errors) == {"purpose", "dcql_query", "lifetime", "org_id"}
    with pytest.raises(requests.InvalidVerifierRequest):
        requests.create_request(session, org_id=hiring_org, purpose="x", now=clock(),
                                dcql_query={"credentials": [{"id": "a", "format": "mso_mdoc",
                                                             "meta": {}}]})


def test_a_bound_answer_is_verified_and_kept_once(session, hiring_org, learner, http, clock,
                                                   wallet_config, issuer_config):
    learner_id, record, _ = learner
    made = _make(session, hiring_org, clock)
    ask = _ask(http, made, clock)
    assert ask.purpose == "Check the welding course" and ask.client_name == "Acme Hiring"
    token = _token(session, wallet_config, learner_id, ask, clock)
    [vp_doc] = token["course"]
    assert vp_doc["proof"]["challenge"] == made.nonce
    assert vp_doc["proof"]["domain"] == ask.client_id
    form = {"vp_token": json.dumps(token), "state": made.state}
    assert _post(session, issuer_config, made, clock, **form) == {}
    [kept] = responses.responses_of(session, request_id=made.id, org_id=hiring_org)
    assert kept.status == "verified", kept.report
    assert kept.vp_token == token
    assert kept.report["presentations"][0]["result"]["verified"] is True
    assert requests.get_request(session, request_id=made.id).status(clock()) == "answered"
    with pytest.raises(requests.RequestUnavailable):
        requests.request_object(session, request_id=made.id, base_url=BASE, now=clock())
    # The same answer again (a replay): refused and recorded.
    clock.advance(seconds=1)
    with pytest.raises(responses.ResponseRefused) as again:
        _post(session, issuer_config, made, clock, **form)
    assert (again.value.error, again.value.reason) == ("invalid_request", "already_answered")
    assert _statuses(session, made) == [("verified", None), ("refused", "already_answered")]
    with pytest.raises(requests.RequestUnavailable):
        responses.responses_of(session, request_id=made.id, org_id="another-org")


def test_a_wrong_state_is_refused_and_does_not_use_the_request(
        session, hiring_org, learner, http, clock, wallet_config, issuer_config):
    learner_id, _, _ = learner
    made = _make(session, hiring_org, clock)
    token = _token(session, wallet_config, learner_id, _ask(http, made, clock), clock)
    with pytest.raises(responses.ResponseRefused) as wrong:
        _post(session, issuer_config, made, clock, vp_token=json.dumps(token), state="guess")
    assert wrong.value.reason == "state_mismatch" and wrong.value.status == 400
    clock.advance(seconds=1)
    assert _post(session, issuer_config, made, clock, vp_token=json.dumps(token),
                 state=made.state) == {}
    assert _statuses(session, made) == [("refused", "state_mismatch"), ("verified", None)]


def test_a_presentation_for_another_request_is_refused(
        session, hiring_org, learner, http, clock, wallet_config, issuer_config):
    learner_id, _, _ = learner
    first = _make(session, hiring_org, clock)
    second = _make(session, hiring_org, clock)
    token = _token(session, wallet_config, learner_id, _ask(http, first, clock), clock)
    # Replayed into the second request, even with that request's own state.
    with pytest.raises(responses.ResponseRefused) as replay:
        _post(session, issuer_config, second, clock, vp_token=json.dumps(token),
              state=second.state)
    assert replay.value.reason == "nonce_mismatch"
    assert _statuses(session, second) == [("refused", "nonce_mismatch")]


def test_a_presentation_for_another_verifier_is_refused(
        session, hiring_org, learner, http, clock, wallet_config, issuer_config):
    learner_id, _, _ = learner
    made = _make(session, hiring_org, clock)
    ask = _ask(http, made, clock)
    elsewhere = vp.AuthorizationRequest(**{**{f: getattr(ask, f) for f in ask.__slots__},
                                           "client_id": "redirect_uri:https://evil.example/cb"})
    token = _token(session, wallet_config, learner_id, elsewhere, clock)
    with pytest.raises(responses.ResponseRefused) as caught:
        _post(session, issuer_config, made, clock, vp_token=json.dumps(token), state=made.state)
    assert caught.value.reason == "audience_mismatch"


def test_an_expired_request_is_refused(session, hiring_org, learner, http, clock, wallet_config,
                                       issuer_config):
    learner_id, _, _ = learner
    made = _make(session, hiring_org, clock, lifetime=timedelta(minutes=5))
    token = _token(session, wallet_config, learner_id, _ask(http, made, clock), clock)
    clock.advance(minutes=6)
    with pytest.raises(vp.RequestProblem) as gone:
        _ask(http, made, clock)
    assert gone.value.reason == "verifier_error"
    with pytest.raises(responses.ResponseRefused) as late:
        _post(session, issuer_config, made, clock, vp_token=json.dumps(token), state=made.state)
    assert late.value.reason == "expired"
    assert _statuses(session, made) == [("refused", "expired")]


def test_the_learners_refusal_is_recorded(session, hiring_org, learner, http, clock):
    made = _make(session, hiring_org, clock)
    answer = vp.decline(_ask(http, made, clock), fetcher=http)
    assert answer.accepted
    assert http.posted[-1][1]["error"] == "access_denied"
    assert http.posted[-1][1]["state"] == made.state
    [row] = responses.responses_of(session, request_id=made.id)
    assert (row.status, row.error, row.vp_token) == ("declined", "access_denied", None)


@pytest.mark.parametrize("raw", ["not json", "[]", "{}", '{"course": []}',
                                 '{"other": [{}]}', '{"course": [{}, {}]}'])
def test_malformed_vp_tokens_are_refused(session, hiring_org, clock, issuer_config, raw):
    made = _make(session, hiring_org, clock)
    with pytest.raises(responses.ResponseRefused) as caught:
        _post(session, issuer_config, made, clock, vp_token=raw, state=made.state)
    assert caught.value.reason == "vp_token_malformed"


def test_an_unsigned_or_unbound_presentation_is_refused(session, hiring_org, learner, clock,
                                                        issuer_config):
    _, record, _ = learner
    made = _make(session, hiring_org, clock)
    bare = {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"], "verifiableCredential": [record.credential]}
    with pytest.raises(responses.ResponseRefused) as caught:
        _post(session, issuer_config, made, clock, vp_token=json.dumps({"course": [bare]}),
              state=made.state)
    assert caught.value.reason == "presentation_invalid"


def test_a_record_of_another_type_does_not_satisfy_the_query(
        session, hiring_org, learner, http, clock, wallet_config, issuer_config):
    learner_id, record, _ = learner
    query = {"credentials": [credential_query("diploma", format=FORMAT_LDP_VC,
                                              types=[VC_TYPE, "https://example.org#Diploma"])]}
    made = _make(session, hiring_org, clock, query=query)
    ask = _ask(http, made, clock)
    assert [m.candidates for m in vp.match(ask, service.records(
        session, config=wallet_config, user_id=learner_id))] == [()]
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    with pytest.raises(vp.RequestProblem):
        vp.build_vp_token(ask, {}, wallet=wallet, now=clock())
    forced = vp.Candidate(record, (), True)
    token = vp.build_vp_token(ask, {"diploma": [forced]}, wallet=wallet, now=clock())
    with pytest.raises(responses.ResponseRefused) as caught:
        _post(session, issuer_config, made, clock, vp_token=json.dumps(token), state=made.state)
    assert caught.value.reason == "query_not_satisfied"


def test_sd_jwt_discloses_only_what_is_asked_and_binds_nonce_and_audience(
        session, hiring_org, learner, http, clock, wallet_config, issuer_config):
    learner_id, _, sd_record = learner
    made = _make(session, hiring_org, clock, query=SD_QUERY)
    ask = _ask(http, made, clock)
    [m] = vp.match(ask, service.records(session, config=wallet_config, user_id=learner_id))
    assert [c.record.id for c in m.candidates] == [sd_record.id]
    token = _token(session, wallet_config, learner_id, ask, clock)
    [presented] = token["licence"]
    parts = parse(presented)
    assert parts.kb_jwt is not None and len(parts.disclosures) == 1
    assert "given_name" in base64.urlsafe_b64decode(parts.disclosures[0] + "==").decode()
    assert _post(session, issuer_config, made, clock, vp_token=json.dumps(token),
                 state=made.state) == {}
    [kept] = responses.responses_of(session, request_id=made.id)
    assert kept.status == "verified", kept.report
    # The same SD-JWT+KB sent to another request of the same verifier: wrong nonce.
    other = _make(session, hiring_org, clock, query=SD_QUERY)
    with pytest.raises(responses.ResponseRefused) as caught:
        _post(session, issuer_config, other, clock, vp_token=json.dumps(token),
              state=other.state)
    assert caught.value.reason == "nonce_mismatch"


def test_refusals_recorded_per_request_are_capped(session, hiring_org, clock, issuer_config):
    made = _make(session, hiring_org, clock)
    for _ in range(responses.MAX_REFUSED + 5):
        with pytest.raises(responses.ResponseRefused):
            _post(session, issuer_config, made, clock, vp_token="{}", state="wrong")
    assert len(_statuses(session, made)) == responses.MAX_REFUSED
    assert requests.get_request(session, request_id=made.id).status(clock()) == "open"
