"""The wallet takes an offer through the OpenID4VCI authorization code flow, over real HTTP.

The issuer (``tests/oid4vci_auth_issuer.py``) is not OpenLER: its own authorization
endpoint approves at once and redirects back, its token endpoint checks the code, the
``redirect_uri``, the ``client_id`` and the PKCE verifier. The learner's browser is an
httpx client that follows each redirect by hand, so every hop can be looked at (and
tampered with): a forged ``state``, a replayed callback, a refusal at the issuer, a
refused token, and a stolen code redeemed without the wallet's verifier.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from test_oid4vci_flow import _csrf

from oid4vci_auth_issuer import IssuerState, running_issuer

pytestmark = pytest.mark.e2e

HIDDEN_OFFER = re.compile(r'name="offer" value="([^"]+)"')
PASSWORD = "correct horse battery"


@pytest.fixture
def guild() -> Iterator[IssuerState]:
    with running_issuer() as state:
        yield state


@pytest.fixture
def learner(live_server, clean_db, accounts) -> Iterator[httpx.Client]:
    accounts.learner("learner@example.org")
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        signed = http.post("/sign-in", data={"csrf_token": _csrf(http, "/sign-in"),
                                             "email": "learner@example.org",
                                             "password": PASSWORD})
        assert signed.status_code == 303
        yield http


def _to_issuer(http: httpx.Client, link: str) -> httpx.Response:
    """Read the offer, say yes: the wallet answers with a redirect to the issuer."""
    token = _csrf(http, "/wallet/offers/new")
    preview = http.post("/wallet/offers/new", data={"csrf_token": token, "offer": link})
    assert preview.status_code == 200, preview.text
    assert 'action="/wallet/offers/authorize"' in preview.text
    offer = html.unescape(HIDDEN_OFFER.search(preview.text).group(1))
    started = http.post("/wallet/offers/authorize", data={"csrf_token": token, "offer": offer})
    assert started.status_code == 303, started.text
    return started


def _at_issuer(location: str) -> str:
    """The learner's browser at the issuer: it approves (or refuses) and sends them back."""
    with httpx.Client(timeout=30) as browser:
        answer = browser.get(location)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def _callback(http: httpx.Client, location: str) -> httpx.Response:
    parts = urlsplit(location)
    assert parts.path == "/wallet/offers/callback"
    return http.get(f"{parts.path}?{parts.query}")


def _records(http: httpx.Client) -> int:
    return http.get("/wallet").text.count('href="/wallet/records/')


def test_sign_in_at_the_issuer_then_the_record_arrives_once(learner, guild, live_server):
    started = _to_issuer(learner, guild.offer())
    sent = urlsplit(started.headers["location"])
    query = {k: v[0] for k, v in parse_qs(sent.query).items()}
    assert f"{sent.scheme}://{sent.netloc}{sent.path}" == f"{guild.server}/authorize"
    assert query["client_id"] == live_server.url
    assert query["redirect_uri"] == f"{live_server.url}/wallet/offers/callback"
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 32

    back = _at_issuer(started.headers["location"])
    done = _callback(learner, back)
    assert done.status_code == 303, done.text
    page = learner.get(done.headers["location"])
    assert page.status_code == 200 and "Checked: this record is genuine." in page.text
    assert guild.pkce_checked == [True]  # the issuer recomputed S256 from our verifier
    assert guild.token_requests[0]["redirect_uri"] == query["redirect_uri"]
    assert guild.events == [{"notification_id": "n-1", "event": "credential_accepted"}]

    again = _callback(learner, back)  # the same answer a second time
    assert again.status_code == 400 and 'data-problem="callback_used"' in again.text
    assert "already used" in again.text
    assert len(guild.token_requests) == 1 and _records(learner) == 1


def test_pushed_request_and_scope_when_the_server_requires_par(learner, guild):
    guild.par = True
    started = _to_issuer(learner, guild.offer("safety"))
    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert set(query) == {"client_id", "request_uri"}  # nothing else travels in the browser
    pushed = next(iter(guild.pushed.values()))
    assert pushed["scope"] == "guild_safety" and pushed["resource"] == guild.issuer
    assert "authorization_details" not in pushed
    done = _callback(learner, _at_issuer(started.headers["location"]))
    assert done.status_code == 303, done.text
    page = learner.get(done.headers["location"])
    assert page.status_code == 200 and "Checked: this record is genuine." in page.text
    assert guild.pkce_checked == [True] and _records(learner) == 1


def test_a_forged_state_is_refused_and_the_real_answer_still_works(learner, guild):
    back = _at_issuer(_to_issuer(learner, guild.offer()).headers["location"])
    real = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    forged = _callback(learner, "/wallet/offers/callback?"
                       + urlencode({**real, "state": "forged-" + real["state"][:8]}))
    assert forged.status_code == 400 and 'data-problem="state_mismatch"' in forged.text
    missing = _callback(learner, "/wallet/offers/callback?" + urlencode({"code": real["code"]}))
    assert missing.status_code == 400 and 'data-problem="state_mismatch"' in missing.text
    assert guild.token_requests == [] and _records(learner) == 0
    assert _callback(learner, back).status_code == 303 and _records(learner) == 1


def test_another_browser_cannot_use_the_answer(learner, guild, live_server, accounts):
    back = _at_issuer(_to_issuer(learner, guild.offer()).headers["location"])
    accounts.learner("other@example.org")
    with httpx.Client(base_url=live_server.url, timeout=30) as other:
        other.post("/sign-in", data={"csrf_token": _csrf(other, "/sign-in"),
                                     "email": "other@example.org", "password": PASSWORD})
        stolen = _callback(other, back)
        assert stolen.status_code == 400 and 'data-problem="state_mismatch"' in stolen.text
        assert _records(other) == 0
    assert guild.token_requests == []


def test_refusal_at_the_issuer_is_explained_in_both_languages(learner, guild):
    denied = _callback(learner, _at_issuer(_to_issuer(learner, guild.offer(deny=True))
                                           .headers["location"]))
    assert denied.status_code == 403 and 'data-problem="auth_denied"' in denied.text
    assert "You did not allow the issuer" in html.unescape(denied.text)
    learner.get("/language/es?next=/")
    again = _callback(learner, _at_issuer(_to_issuer(learner, guild.offer(deny=True))
                                          .headers["location"]))
    assert "Usted no permitió" in html.unescape(again.text)
    assert guild.token_requests == [] and _records(learner) == 0


def test_a_refused_token_request_adds_nothing(learner, guild):
    guild.token_error = "invalid_grant"
    done = _callback(learner, _at_issuer(_to_issuer(learner, guild.offer()).headers["location"]))
    assert done.status_code == 502 and 'data-problem="code_refused"' in done.text
    guild.token_error = "invalid_client"
    done = _callback(learner, _at_issuer(_to_issuer(learner, guild.offer()).headers["location"]))
    assert 'data-problem="needs_client"' in done.text and _records(learner) == 0


def test_a_stolen_code_is_useless_without_the_wallets_verifier(learner, guild):
    back = _at_issuer(_to_issuer(learner, guild.offer()).headers["location"])
    code = parse_qs(urlsplit(back).query)["code"][0]
    granted = guild.codes[code]
    thief = httpx.post(f"{guild.server}/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": granted["client_id"],
        "redirect_uri": granted["redirect_uri"], "code_verifier": "x" * 64}, timeout=30)
    assert thief.status_code == 400 and thief.json()["error_description"] == \
        "PKCE verification failed"
    assert _callback(learner, back).status_code == 303  # the wallet's own verifier matches
    assert guild.pkce_checked == [False, True] and _records(learner) == 1
