"""OpenID4VP 1.0 over real HTTP: an organization makes a presentation request, the learner
opens its openid4vp:// link in the OpenLER wallet, which fetches the request object from the
live server (SSRF-guarded fetcher, loopback allowed in tests), shows who asks, what for and
what will be sent, and posts a VP bound to nonce and client_id (direct_post). The verifier
keeps the verified response; replaying the same vp_token is refused (same request: already
answered; another request: wrong nonce); a refusal arrives as access_denied and is recorded."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.verifier import requests as verifier_requests
from openler.verifier import responses as verifier_responses
from openler.verifier.dcql import credential_query
from openler.wallet import service
from openler.wallet.crypto import MasterKey

pytestmark = pytest.mark.e2e

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(link|digest)" value="([^"]*)"')
PICK = re.compile(r'<input type="radio" name="(pick-[^"]+)" value="([^"]+)"')
QUERY = {"credentials": [credential_query(
    "course", format="ldp_vc",
    types=["https://www.w3.org/2018/credentials#VerifiableCredential",
           "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"])]}


def _seed(engine, accounts, base_url: str) -> str:
    """A college's award kept in learner@example.org's wallet; returns the hiring org id."""
    _, college = accounts.org_owner("owner@college.example", "Example College")
    _, hiring = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(engine)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=college, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test."))
        row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        new = offers.create_offer(s, org_id=college, award_id=row.id, now=now)
        s.commit()
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                            token=new.token, now=now)
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
        s.commit()
    return hiring


def _new_request(engine, org_id: str, purpose: str = "Forklift driver job application"):
    with storage_db.make_sessionmaker(engine)() as s:
        made = verifier_requests.create_request(s, org_id=org_id, purpose=purpose,
                                                dcql_query=QUERY, now=datetime.now(UTC))
        s.commit()
        return made


def _responses(engine, request_id: str):
    with storage_db.make_sessionmaker(engine)() as s:
        return verifier_responses.responses_of(s, request_id=request_id)


@pytest.fixture
def learner_http(live_server, clean_db, accounts):
    hiring = _seed(clean_db, accounts, live_server.url)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        token = CSRF.search(http.get("/sign-in").text).group(1)
        signed_in = http.post("/sign-in", data={"csrf_token": token,
                                                "email": "learner@example.org",
                                                "password": "correct horse battery"})
        assert signed_in.status_code == 303
        yield http, hiring


def _open(http: httpx.Client, link: str) -> tuple[str, dict[str, str]]:
    page = http.get(f"/wallet/requests/new?link={quote(link, safe='')}")
    assert page.status_code == 200, page.text
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
    fields["csrf_token"] = CSRF.search(page.text).group(1)
    fields.update(dict(PICK.findall(page.text)))
    return page.text, fields


def test_the_wallet_answers_and_the_verifier_keeps_a_verified_response(
        live_server, learner_http, clean_db):
    http, hiring = learner_http
    made = _new_request(clean_db, hiring)
    link = verifier_requests.wallet_link(live_server.url, made.id)
    page, fields = _open(http, link)
    assert "Acme Hiring" in page and "the verifier says about itself" in page
    assert "Forklift driver job application" in page and "Forklift Safety" in page
    assert html.escape(f"{live_server.url}/verifier/requests/{made.id}/response") in page
    assert set(fields) == {"link", "digest", "csrf_token", "pick-course"}
    sent = http.post("/wallet/requests/answer", data={**fields, "choice": "send"})
    assert sent.status_code == 200, sent.text
    assert "Your records were sent" in sent.text
    [kept] = _responses(clean_db, made.id)
    assert kept.status == "verified", kept.report
    [presentation] = kept.vp_token["course"]
    assert presentation["proof"]["challenge"] == made.nonce
    assert presentation["proof"]["domain"] == (
        f"redirect_uri:{live_server.url}/verifier/requests/{made.id}/response")
    # The request object is gone once answered; answering the same page again is refused.
    gone = httpx.get(f"{live_server.url}/verifier/requests/{made.id}/request")
    assert gone.status_code == 410 and gone.json()["error"] == "invalid_request"
    again = http.post("/wallet/requests/answer", data={**fields, "choice": "send"})
    assert again.status_code == 502 and 'data-problem="verifier_error"' in again.text

    # Replay of the same vp_token, straight to the Response URI.
    response_uri = f"{live_server.url}/verifier/requests/{made.id}/response"
    form = {"vp_token": json.dumps(kept.vp_token), "state": made.state}
    replay = httpx.post(response_uri, data=form)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_request"
    other = _new_request(clean_db, hiring)
    elsewhere = httpx.post(
        f"{live_server.url}/verifier/requests/{other.id}/response",
        data={"vp_token": json.dumps(kept.vp_token), "state": other.state})
    assert elsewhere.status_code == 400 and "nonce" in elsewhere.json()["error_description"]
    assert [(r.status, r.reason) for r in _responses(clean_db, made.id)][-1] == (
        "refused", "already_answered")
    assert [(r.status, r.reason) for r in _responses(clean_db, other.id)] == [
        ("refused", "nonce_mismatch")]


def test_a_refusal_reaches_the_verifier_as_access_denied(live_server, learner_http, clean_db):
    http, hiring = learner_http
    made = _new_request(clean_db, hiring)
    _, fields = _open(http, verifier_requests.wallet_link(live_server.url, made.id))
    refused = http.post("/wallet/requests/answer", data={**fields, "choice": "refuse"})
    assert refused.status_code == 200 and "You refused the request" in refused.text
    [row] = _responses(clean_db, made.id)
    assert (row.status, row.error, row.vp_token) == ("declined", "access_denied", None)


def test_the_link_opens_directly_and_failures_are_plain(live_server, learner_http, clean_db):
    http, hiring = learner_http
    made = _new_request(clean_db, hiring)
    link = verifier_requests.wallet_link(live_server.url, made.id)
    direct = http.get("/wallet/requests/new?" + link.split("?", 1)[1])
    assert direct.status_code == 200 and "Forklift Safety" in direct.text
    bad = http.get("/wallet/requests/new?link=hello")
    assert bad.status_code == 400 and "openid4vp://" in bad.text
    unknown = link.replace(made.id, "0" * 32)
    missing = http.get(f"/wallet/requests/new?link={quote(unknown, safe='')}")
    assert missing.status_code == 502 and 'data-problem="verifier_error"' in missing.text
    down = ("openid4vp://?client_id=" + quote("redirect_uri:http://127.0.0.1:9/cb", safe="")
            + "&request_uri=" + quote("http://127.0.0.1:9/request", safe=""))
    unreachable = http.get(f"/wallet/requests/new?link={quote(down, safe='')}")
    assert unreachable.status_code == 502 and 'data-problem="unreachable"' in unreachable.text
    changed = _open(http, link)[1]
    changed["digest"] = "0" * 64
    assert 'data-problem="changed"' in http.post("/wallet/requests/answer",
                                                 data={**changed, "choice": "send"}).text
    assert _responses(clean_db, made.id) == []


def test_verifier_endpoints_answer_with_spec_errors(live_server, clean_db):
    base = f"{live_server.url}/verifier/requests/{'0' * 32}"
    unknown = httpx.get(f"{base}/request")
    assert unknown.status_code == 404 and unknown.json()["error"] == "invalid_request"
    as_json = httpx.post(f"{base}/response", json={"vp_token": {}})
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    no_such = httpx.post(f"{base}/response", data={"vp_token": "{}", "state": "x"})
    assert no_such.status_code == 404 and no_such.json()["error"] == "invalid_request"
    assert no_such.headers["cache-control"] == "no-store"


def test_the_response_uri_reads_only_small_url_encoded_forms(live_server, learner_http,
                                                             clean_db):
    _, hiring = learner_http
    made = _new_request(clean_db, hiring)
    uri = f"{live_server.url}/verifier/requests/{made.id}/response"
    huge = httpx.post(uri, data={"vp_token": "x" * 2_600_000, "state": made.state})
    assert huge.status_code == 413 and huge.json()["error"] == "invalid_request"
    twice = httpx.post(uri, content=f"state={made.state}&state=other&error=access_denied",
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert twice.status_code == 400 and twice.json()["error"] == "invalid_request"
    assert _responses(clean_db, made.id) == []  # not even read: the request stays open
    once = httpx.post(uri, data={"state": made.state, "error": "access_denied"})
    assert once.status_code == 200 and once.json() == {}
    assert [(r.status, r.error) for r in _responses(clean_db, made.id)] == [
        ("declined", "access_denied")]
