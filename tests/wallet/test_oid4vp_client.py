"""The wallet side of OpenID4VP 1.0 without HTTP: reading request links (by value and by
reference, only the unsigned ``redirect_uri:`` prefix), DCQL (section 6: claims path
pointers, claim sets, credential sets, ``type_values`` over expanded types), matching kept
records, building the vp_token (a VP bound by challenge = nonce and domain = client id),
and reading the verifier's answer. Every failure is a RequestProblem with its reason."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.dids import FetchResponse
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.verify import VerificationContext, verify_presentation
from openler.verifier.dcql import (
    ClaimQuery,
    DcqlError,
    chosen_claims,
    credential_query,
    expanded_types,
    parse_query,
    select,
)
from openler.wallet import oid4vp_client as vp
from openler.wallet import service
from openler.wallet.keys import open_wallet

RESPONSE_URI = "https://verifier.example/verifier/requests/r1/response"
CLIENT_ID = "redirect_uri:" + RESPONSE_URI
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
VC = "https://www.w3.org/2018/credentials#VerifiableCredential"
QUERY = {"credentials": [credential_query("course", format="ldp_vc", types=[VC, OB])]}
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def request_params(**over) -> dict:
    params = {"client_id": CLIENT_ID, "response_type": "vp_token",
              "response_mode": "direct_post", "response_uri": RESPONSE_URI,
              "nonce": "n-0S6_WzA2Mj", "state": "st-1", "dcql_query": QUERY,
              "client_metadata": {"client_name": "Acme Hiring"}, "purpose": "Hiring"}
    params.update(over)
    return {k: v for k, v in params.items() if v is not None}


def jwt(payload: dict, header: dict | None = None, signature: str = "") -> str:
    return ".".join((_b64(header or {"alg": "none", "typ": "oauth-authz-req+jwt"}),
                     _b64(payload), signature))


class FakeHttp:
    """Answers every GET with one prepared response (or error) and records POSTs."""

    def __init__(self, response=None, post_response=None) -> None:
        self.response = response
        self.post_response = post_response
        self.posted: list[dict] = []

    def fetch(self, url, *, headers=None):
        if isinstance(self.response, Exception):
            raise self.response
        return self.response

    def post(self, url, *, form=None, json_body=None, headers=None):
        self.posted.append(dict(form or {}))
        if isinstance(self.post_response, Exception):
            raise self.post_response
        return self.post_response


def by_reference(body: str, status: int = 200) -> tuple[str, FakeHttp]:
    link = "openid4vp://?" + urlencode({"client_id": CLIENT_ID,
                                        "request_uri": "https://verifier.example/req/r1"})
    return link, FakeHttp(FetchResponse(status, body.encode(), {}))


def by_value(**over) -> str:
    params = request_params(**over)
    return "openid4vp://?" + urlencode({k: json.dumps(v) if isinstance(v, dict) else v
                                        for k, v in params.items()})


def problem(link: str, http=None) -> str:
    with pytest.raises(vp.RequestProblem) as caught:
        vp.load_request(link, fetcher=http or FakeHttp(), now=NOW)
    return caught.value.reason


def test_parse_link_accepts_the_scheme_any_url_and_a_bare_query():
    query = urlencode({"client_id": CLIENT_ID, "request_uri": "https://v.example/r"})
    for text in (f"openid4vp://?{query}", f"https://wallet.example/open?{query}", query,
                 f"  openid4vp://authorize?{query}\n"):
        assert vp.parse_link(text)["request_uri"] == "https://v.example/r"
    for bad in ("", "hello", "openid4vp://?client_id=x", "https://v.example/r"):
        with pytest.raises(vp.RequestProblem) as caught:
            vp.parse_link(bad)
        assert caught.value.reason == "link_invalid"


def test_request_by_reference_and_by_value_read_the_same():
    link, http = by_reference(jwt(request_params()))
    ask = vp.load_request(link, fetcher=http, now=NOW)
    assert (ask.client_id, ask.response_uri, ask.nonce, ask.state) == (
        CLIENT_ID, RESPONSE_URI, "n-0S6_WzA2Mj", "st-1")
    assert (ask.client_name, ask.purpose) == ("Acme Hiring", "Hiring")
    assert [q.id for q in ask.query.credentials] == ["course"]
    plain = vp.load_request(by_value(), fetcher=FakeHttp(), now=NOW)
    assert plain.query == ask.query and plain.client_id == ask.client_id
    request_param = "openid4vp://?" + urlencode({"client_id": CLIENT_ID,
                                                 "request": jwt(request_params())})
    assert vp.load_request(request_param, fetcher=FakeHttp(), now=NOW).digest == ask.digest


@pytest.mark.parametrize(("over", "reason"), [
    ({"client_id": "x509_san_dns:verifier.example"}, "unsupported_client"),
    ({"client_id": "verifier.example"}, "unsupported_client"),
    ({"client_id": "https://verifier.example"}, "unsupported_client"),
    ({"response_uri": "https://evil.example/cb"}, "mismatch"),
    ({"response_mode": "fragment"}, "malformed"),
    ({"redirect_uri": RESPONSE_URI}, "malformed"),
    ({"nonce": None}, "malformed"),
    ({"transaction_data": "e30"}, "malformed"),
    ({"dcql_query": {"credentials": []}}, "malformed"),
    ({"exp": int((NOW - timedelta(minutes=1)).timestamp())}, "expired"),
])
def test_unusable_requests_name_their_problem(over, reason):
    link, http = by_reference(jwt(request_params(**over)))
    if "client_id" in over:
        link = "openid4vp://?" + urlencode({"client_id": over["client_id"],
                                            "request_uri": "https://verifier.example/r"})
    assert problem(link, http) == reason


def test_the_request_object_must_be_an_unsigned_request_jwt_for_this_client():
    assert problem(*by_reference(jwt(request_params(), {"alg": "ES256",
                                                         "typ": "oauth-authz-req+jwt"},
                                     "c2ln"))) == "unsupported_client"
    assert problem(*by_reference(jwt(request_params(), {"alg": "none"}))) == "malformed"
    assert problem(*by_reference("{not a jwt}")) == "malformed"
    other = request_params(client_id="redirect_uri:https://verifier.example/other")
    assert problem(*by_reference(jwt(other))) == "mismatch"


def test_an_unknown_request_uri_method_is_refused():
    link = "openid4vp://?" + urlencode({"client_id": CLIENT_ID, "request_uri_method": "PUT",
                                        "request_uri": "https://verifier.example/r"})
    assert problem(link, FakeHttp(FetchResponse(200, jwt(request_params()).encode(), {}))) == (
        "malformed")


def test_formats_this_wallet_does_not_hold_are_read_but_never_matched(kept, session,
                                                                       wallet_config,
                                                                       learner_id):
    mdoc = {"id": "licence", "format": "mso_mdoc", "meta": {"doctype_value": "org.iso.18013"}}
    ask = vp.load_request(by_value(dcql_query={"credentials": [
        mdoc, *QUERY["credentials"]]}), fetcher=FakeHttp(), now=NOW)
    records = service.records(session, config=wallet_config, user_id=learner_id)
    assert [(m.query.id, len(m.candidates)) for m in vp.match(ask, records)] == [
        ("licence", 0), ("course", 1)]
    with pytest.raises(DcqlError):
        parse_query({"credentials": [mdoc]})


def test_fetch_failures_are_told_apart():
    link, _ = by_reference("")
    assert problem(link, FakeHttp(FetchResponse(410, b"{}", {}))) == "verifier_error"
    assert problem(link, FakeHttp(DidResolutionError("u", "timed out"))) == "unreachable"
    assert problem(link, FakeHttp(AddressNotAllowedError("u", "private"))) == "address_refused"


def test_claims_path_pointers_follow_section_7():
    doc = {"name": "Arthur Dent", "address": {"street_address": "42 Market Street"},
           "degrees": [{"type": "BSc"}, {"type": "MSc"}], "nationalities": ["GB", "BG"]}
    assert select(doc, ("name",)) == ["Arthur Dent"]
    assert select(doc, ("address", "street_address")) == ["42 Market Street"]
    assert select(doc, ("degrees", None, "type")) == ["BSc", "MSc"]
    assert select(doc, ("nationalities", 1)) == ["BG"]
    assert select(doc, ("nationalities", 5)) == [] and select(doc, ("name", 0)) == []


@given(st.recursive(st.integers() | st.text(max_size=5),
                    lambda inner: st.dictionaries(st.text(min_size=1, max_size=4), inner,
                                                  min_size=1, max_size=3), max_leaves=8))
def test_a_path_to_every_leaf_selects_exactly_that_leaf(document):
    def leaves(value, path):
        if isinstance(value, dict):
            for key, child in value.items():
                yield from leaves(child, (*path, key))
        else:
            yield path, value
    for path, value in leaves({"root": document}, ()):
        assert select({"root": document}, path) == [value]


def test_claim_sets_prefer_the_first_option_that_can_be_met():
    raw = credential_query("id", format="dc+sd-jwt", vct=["x"])
    raw["claims"] = [{"id": "a", "path": ["age_over_18"]}, {"id": "b", "path": ["birthdate"]},
                     {"id": "c", "path": ["kind"], "values": ["gold"]}]
    raw["claim_sets"] = [["a"], ["b"]]
    [query] = parse_query({"credentials": [raw]}).credentials
    assert [c.id for c in chosen_claims(query, {"birthdate": "2000"})] == ["b"]
    assert [c.id for c in chosen_claims(query, {"age_over_18": True, "birthdate": "x"})] == ["a"]
    assert chosen_claims(query, {"other": 1}) is None
    assert query.claims[2] == ClaimQuery(("kind",), "c", ("gold",))


def test_values_match_type_and_value_exactly():
    raw = {**credential_query("id", format="dc+sd-jwt", vct=["x"]),
           "claims": [{"path": ["level"], "values": [3, "gold"]}]}
    [query] = parse_query({"credentials": [raw]}).credentials
    assert chosen_claims(query, {"level": 3}) is not None
    assert chosen_claims(query, {"level": "3"}) is None
    assert chosen_claims(query, {"level": True}) is None


def test_credential_sets_say_what_is_required():
    query = parse_query({"credentials": [
        credential_query("a", format="ldp_vc", types=[VC]),
        credential_query("b", format="ldp_vc", types=[VC]),
        credential_query("extra", format="ldp_vc", types=[VC])],
        "credential_sets": [{"options": [["a"], ["b"]]},
                            {"options": [["extra"]], "required": False}]})
    assert query.required_ids([]) == ["a"]
    assert query.required_ids(["b"]) == [] and query.required_ids(["a", "extra"]) == []


@pytest.mark.parametrize("bad", [
    None, {}, {"credentials": []}, {"credentials": [{"id": "a b", "format": "ldp_vc",
                                                     "meta": {"type_values": [[VC]]}}]},
    {"credentials": [{"id": "a", "format": "ldp_vc", "meta": {}}]},
    {"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": []}}]},
    {"credentials": [credential_query("a", format="ldp_vc", types=[VC])] * 2},
    {"credentials": [{**credential_query("a", format="ldp_vc", types=[VC]),
                      "claims": [{"path": []}]}]},
    {"credentials": [{**credential_query("a", format="ldp_vc", types=[VC]),
                      "claim_sets": [["x"]]}]},
    {"credentials": [credential_query("a", format="ldp_vc", types=[VC])],
     "credential_sets": [{"options": [["b"]]}]},
])
def test_invalid_dcql_is_refused(bad):
    with pytest.raises(DcqlError):
        parse_query(bad)


@pytest.fixture
def kept(session, wallet_config, learner_id, offer, clock):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=offer[1], now=clock())
    return service.accept(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id, now=clock())


def test_open_badges_types_expand_through_the_bundled_context(kept):
    assert {VC, OB} <= expanded_types(kept.credential)


def test_matching_offers_kept_records_of_the_asked_type_only(session, wallet_config,
                                                           learner_id, kept):
    ask = vp.load_request(by_value(), fetcher=FakeHttp(), now=NOW)
    records = service.records(session, config=wallet_config, user_id=learner_id)
    [m] = vp.match(ask, records)
    assert [c.record.id for c in m.candidates] == [kept.id] and m.candidates[0].whole
    other = {"credentials": [credential_query("course", format="ldp_vc",
                                              types=[VC, "https://example.org#Diploma"])]}
    assert vp.match(vp.load_request(by_value(dcql_query=other), fetcher=FakeHttp(), now=NOW),
                    records)[0].candidates == ()
    sd = {"credentials": [credential_query("course", format="dc+sd-jwt", vct=["x"])]}
    assert vp.match(vp.load_request(by_value(dcql_query=sd), fetcher=FakeHttp(), now=NOW),
                    records)[0].candidates == ()
    pending = [r for r in records if r.id == kept.id]
    waiting = type(pending[0])(**{**{f: getattr(pending[0], f) for f in pending[0].__slots__},
                                  "state": "pending"})
    assert vp.match(ask, [waiting])[0].candidates == ()


def test_the_vp_is_signed_for_this_verifier_and_this_request(session, wallet_config,
                                                             learner_id, kept, clock):
    ask = vp.load_request(by_value(), fetcher=FakeHttp(), now=NOW)
    [m] = vp.match(ask, service.records(session, config=wallet_config, user_id=learner_id))
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    token = vp.build_vp_token(ask, {"course": [m.candidates[0]]}, wallet=wallet, now=clock())
    [doc] = token["course"]
    assert doc["holder"] == wallet.did and doc["verifiableCredential"] == [kept.credential]
    right = verify_presentation(doc, ctx=VerificationContext(
        challenge=ask.nonce, domain=CLIENT_ID, now=clock()))
    assert right.check("proof").status == "passed"
    wrong = verify_presentation(doc, ctx=VerificationContext(
        challenge="another-nonce", domain=CLIENT_ID, now=clock()))
    assert wrong.check("proof").code == "presentation.challenge_mismatch"
    with pytest.raises(vp.RequestProblem) as caught:
        vp.build_vp_token(ask, {}, wallet=wallet, now=clock())
    assert caught.value.reason == "pick_missing"


def test_the_verifiers_answer_is_read_as_sent():
    ask = vp.load_request(by_value(), fetcher=FakeHttp(), now=NOW)
    ok = FakeHttp(post_response=FetchResponse(
        200, b'{"redirect_uri": "https://verifier.example/done#code=1"}', {}))
    answer = vp.send(ask, {"course": [{}]}, fetcher=ok)
    assert answer.accepted and answer.redirect_uri == "https://verifier.example/done#code=1"
    assert ok.posted == [{"vp_token": '{"course":[{}]}', "state": "st-1"}]
    sneaky = FakeHttp(post_response=FetchResponse(200, b'{"redirect_uri": "javascript:x"}', {}))
    assert vp.send(ask, {}, fetcher=sneaky).redirect_uri == ""
    refused = FakeHttp(post_response=FetchResponse(
        400, b'{"error": "invalid_request", "error_description": "already answered"}', {}))
    answer = vp.decline(ask, fetcher=refused)
    assert (answer.accepted, answer.error, answer.description) == (
        False, "invalid_request", "already answered")
    assert refused.posted[0]["error"] == "access_denied"
    garbage = FakeHttp(post_response=FetchResponse(500, b"<html>", {}))
    assert vp.send(ask, {}, fetcher=garbage).error == "HTTP 500"
    down = FakeHttp(post_response=DidResolutionError("u", "refused"))
    with pytest.raises(vp.RequestProblem) as caught:
        vp.send(ask, {}, fetcher=down)
    assert caught.value.reason == "send_failed"


def _read(params: dict) -> vp.AuthorizationRequest:
    link, http = by_reference(jwt(params))
    return vp.load_request(link, fetcher=http, now=NOW)


def test_the_digest_ignores_the_fetch_time_but_not_the_content():
    first = _read(request_params(iat=1_790_000_000))
    assert _read(request_params(iat=1_790_000_007)).digest == first.digest
    assert _read(request_params(purpose="Something else")).digest != first.digest
    other_query = {"credentials": [credential_query("course", format="ldp_vc", types=[VC])]}
    assert _read(request_params(dcql_query=other_query)).digest != first.digest


def test_credential_sets_preselect_the_first_option_the_wallet_can_meet(kept, session,
                                                                        wallet_config,
                                                                        learner_id):
    diploma = credential_query("diploma", format="ldp_vc",
                               types=[VC, "https://example.org/vocab#Diploma"])
    course = QUERY["credentials"][0]
    either = {"credentials": [diploma, course],
              "credential_sets": [{"options": [["diploma"], ["course"]]}]}
    ask = vp.load_request(by_value(dcql_query=either), fetcher=FakeHttp(), now=NOW)
    records = service.records(session, config=wallet_config, user_id=learner_id)
    matches = vp.match(ask, records)
    assert [(m.query.id, m.optional, m.preselect, len(m.candidates)) for m in matches] == [
        ("diploma", True, False, 0), ("course", True, True, 1)]
    assert vp.answerable(ask, matches)
    both = {"credentials": [diploma, course]}
    ask_both = vp.load_request(by_value(dcql_query=both), fetcher=FakeHttp(), now=NOW)
    assert not vp.answerable(ask_both, vp.match(ask_both, records))
