"""The offer pages without a network: sign-in first, CSRF, and every refusal reachable
from the learner's input answered with its own sentence in English and Spanish (never
a 500), with nothing stored. The production app refuses loopback and private hosts."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from openler.web.errors import FORM_ERROR_STATUS


def _offer_link(issuer: str) -> str:
    doc = {"credential_issuer": issuer, "credential_configuration_ids": ["badge"],
           "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {
               "pre-authorized_code": "code", "tx_code": {"length": 6}}}}
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(doc), safe="")


@pytest.fixture
def learner(client, accounts, web):
    accounts.learner("learner@example.org")
    web.sign_in(client, "learner@example.org")
    return client


def test_visitors_are_sent_to_sign_in_with_the_offer_kept(client):
    response = client.get("/wallet/offers/new?credential_offer_uri=https%3A%2F%2Fa.example%2Fo",
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=")
    assert "credential_offer_uri" in response.headers["location"]


def test_the_paste_page_is_private_and_bilingual(learner):
    page = learner.get("/wallet/offers/new")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert 'name="offer"' in page.text and "Receive a credential from an issuer" in page.text
    learner.get("/language/es?next=/")
    assert "Recibir una credencial de un emisor" in learner.get("/wallet/offers/new").text


def test_forms_need_the_csrf_token(learner):
    assert learner.post("/wallet/offers/new", data={"offer": "x"}).status_code in (400, 403)
    assert learner.post("/wallet/offers/receive", data={"offer": "x"}).status_code in (400, 403)


@pytest.mark.parametrize("language, empty, garbled", [
    ("en", "Paste the offer link", "not a credential offer we can read"),
    ("es", "Pegue el enlace de la oferta", "no es una oferta de credencial"),
])
def test_unreadable_offers_are_explained(learner, web, language, empty, garbled):
    learner.get(f"/language/{language}?next=/")
    token = web.csrf_of(learner, "/wallet/offers/new")
    nothing = learner.post("/wallet/offers/new", data={"csrf_token": token, "offer": " "})
    assert nothing.status_code == FORM_ERROR_STATUS and empty in nothing.text
    assert 'aria-invalid="true"' in nothing.text
    for text in ("hello", "openid-credential-offer://?credential_offer=%7B",
                 "https://[::1/x?credential_offer_uri=y", '{"credential_issuer": 3}'):
        page = learner.post("/wallet/offers/new", data={"csrf_token": token, "offer": text})
        assert page.status_code == FORM_ERROR_STATUS, text
        assert garbled in page.text, text


@pytest.mark.parametrize("issuer", ["http://127.0.0.1:9", "https://10.0.0.8",
                                    "https://169.254.169.254/latest", "http://localhost:8000"])
def test_private_addresses_are_refused_in_production(learner, web, issuer):
    token = web.csrf_of(learner, "/wallet/offers/new")
    page = learner.post("/wallet/offers/new", data={"csrf_token": token,
                                                    "offer": _offer_link(issuer)})
    assert page.status_code == 502
    assert "private or local network address" in page.text
    assert 'data-problem="address_refused"' in page.text
    received = learner.post("/wallet/offers/receive", data={
        "csrf_token": token, "offer": _offer_link(issuer), "tx_code": "123456"})
    assert received.status_code == 502 and "Nothing was added" in received.text
    assert "Waiting for your answer" not in learner.get("/wallet").text


def test_an_offer_link_in_the_query_is_read(learner):
    bad = learner.get("/wallet/offers/new", params={"credential_offer": "{nope"})
    assert bad.status_code == FORM_ERROR_STATUS
    refused = learner.get("/wallet/offers/new", params={
        "credential_offer_uri": "https://127.0.0.1/offers/1"})
    assert refused.status_code == 502 and "private or local" in refused.text
