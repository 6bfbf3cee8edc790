"""The wallet's OpenID4VP pages in-process, with the app's outbound fetcher replaced by one
that calls the same app (and can be told to fail): the verifier's own error is shown in its
words, an unreachable Response URI and a missing pick get plain messages, a returned
redirect_uri becomes a link, a request nothing matches can only be refused, the answer form
needs its CSRF token, and no failure is a 500."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

import pytest
from fastapi.testclient import TestClient

from openler.core.dids import FetchResponse
from openler.core.errors import DidResolutionError
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

SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
BASE = "http://testserver"
VC = "https://www.w3.org/2018/credentials#VerifiableCredential"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
HIDDEN = re.compile(r'<input type="hidden" name="(link|digest|csrf_token)" value="([^"]*)"')
PICK = re.compile(r'<input type="radio" name="(pick-[^"]+)" value="([^"]+)"')


class AppHttp:
    """The outbound fetcher, answered by the app itself; ``post_answer`` overrides POSTs."""

    def __init__(self, app) -> None:
        self.app = app
        self.post_answer: FetchResponse | Exception | None = None

    def _client(self) -> TestClient:
        return TestClient(self.app, base_url=BASE)

    def fetch(self, url, *, headers=None):
        r = self._client().get(urlsplit(url).path)
        return FetchResponse(r.status_code, r.content, dict(r.headers))

    def post(self, url, *, form=None, json_body=None, headers=None):
        if isinstance(self.post_answer, Exception):
            raise self.post_answer
        if self.post_answer is not None:
            return self.post_answer
        r = self._client().post(urlsplit(url).path, data=form)
        return FetchResponse(r.status_code, r.content, dict(r.headers))


@pytest.fixture
def setup(app, client, accounts, clean_db, clock, web):
    """A signed-in learner with a kept record, Acme Hiring, and the app-calling fetcher."""
    _, college = accounts.org_owner("owner@college.example", "Example College")
    _, acme = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(BASE), vault=KeyVault(SECRET))
    wallet = service.WalletConfig(master=MasterKey(SECRET), issuer=issuer)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=college, now=clock(),
            data=AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                                  criteria="Passed the practical assessment."))
        row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                           recipient_email="learner@example.org", now=clock())
        new = offers.create_offer(s, org_id=college, award_id=row.id, now=clock())
        s.commit()
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                            token=new.token, now=clock())
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=clock())
        s.commit()
    web.sign_in(client, "learner@example.org")
    client.get("/wallet/requests/new")  # builds the app's shared objects
    http = AppHttp(app)
    app.state.vc_api["fetcher"] = http
    return acme, http


def _request(engine, org_id, clock, types=(VC, OB)):
    with storage_db.make_sessionmaker(engine)() as s:
        made = verifier_requests.create_request(
            s, org_id=org_id, purpose="Welder job", now=clock(),
            dcql_query={"credentials": [credential_query("course", format="ldp_vc",
                                                          types=list(types))]})
        s.commit()
    return made


def _open(client, made):
    link = verifier_requests.wallet_link(BASE, made.id)
    page = client.get(f"/wallet/requests/new?link={quote(link, safe='')}")
    assert page.status_code == 200, page.text
    fields = {k: html.unescape(v) for k, v in HIDDEN.findall(page.text)}
    fields.update(PICK.findall(page.text))
    return page, fields


def test_a_full_answer_in_process_is_kept_verified(client, setup, clean_db, clock):
    acme, _ = setup
    made = _request(clean_db, acme, clock)
    page, fields = _open(client, made)
    assert page.headers["cache-control"] == "no-store"
    done = client.post("/wallet/requests/answer", data={**fields, "choice": "send"})
    assert done.status_code == 200 and "Your records were sent" in done.text
    with storage_db.make_sessionmaker(clean_db)() as s:
        [kept] = verifier_responses.responses_of(s, request_id=made.id)
    assert kept.status == "verified", kept.report


def test_the_verifiers_error_is_shown_in_its_own_words(client, setup, clean_db, clock):
    acme, http = setup
    _, fields = _open(client, _request(clean_db, acme, clock))
    http.post_answer = FetchResponse(400, b'{"error": "invalid_request", '
                                          b'"error_description": "We are closed today."}', {})
    page = client.post("/wallet/requests/answer", data={**fields, "choice": "send"})
    assert page.status_code == 200
    assert "did not accept the answer" in page.text and "We are closed today." in page.text
    assert 'data-verifier-error="invalid_request"' in page.text


def test_a_returned_redirect_uri_becomes_a_link(client, setup, clean_db, clock):
    acme, http = setup
    _, fields = _open(client, _request(clean_db, acme, clock))
    http.post_answer = FetchResponse(200, b'{"redirect_uri": "https://acme.example/next#c=9"}',
                                     {})
    page = client.post("/wallet/requests/answer", data={**fields, "choice": "refuse"})
    assert "You refused the request" in page.text
    assert 'href="https://acme.example/next#c=9"' in page.text


def test_an_unreachable_response_uri_and_a_missing_pick_are_plain(client, setup, clean_db,
                                                                  clock):
    acme, http = setup
    made = _request(clean_db, acme, clock)
    _, fields = _open(client, made)
    unpicked = {k: v for k, v in fields.items() if not k.startswith("pick-")}
    missing = client.post("/wallet/requests/answer", data={**unpicked, "choice": "send"})
    assert missing.status_code == 400 and "error-summary" in missing.text
    assert 'href="#field-picks"' in missing.text
    http.post_answer = DidResolutionError("http://testserver", "connection refused")
    down = client.post("/wallet/requests/answer", data={**fields, "choice": "send"})
    assert down.status_code == 502 and 'data-problem="send_failed"' in down.text
    no_csrf = client.post("/wallet/requests/answer",
                          data={k: v for k, v in fields.items() if k != "csrf_token"})
    assert no_csrf.status_code in (400, 403)
    with storage_db.make_sessionmaker(clean_db)() as s:
        assert verifier_responses.responses_of(s, request_id=made.id) == []


def test_a_request_nothing_matches_can_only_be_refused(client, setup, clean_db, clock):
    acme, _ = setup
    made = _request(clean_db, acme, clock, types=(VC, "https://example.org/vocab#Diploma"))
    page, fields = _open(client, made)
    assert "None of your kept records matches this." in page.text
    assert 'value="send"' not in page.text and 'value="refuse"' in page.text
    assert "Diploma" in page.text
    refused = client.post("/wallet/requests/answer", data={**fields, "choice": "refuse"})
    assert "You refused the request" in refused.text
    with storage_db.make_sessionmaker(clean_db)() as s:
        [row] = verifier_responses.responses_of(s, request_id=made.id)
    assert row.status == "declined"


def test_signed_out_visitors_are_sent_to_sign_in(app):
    with TestClient(app, base_url=BASE) as visitor:
        page = visitor.get("/wallet/requests/new?client_id=x&request_uri=y",
                           follow_redirects=False)
    assert page.status_code in (302, 303) and "/sign-in" in page.headers["location"]

