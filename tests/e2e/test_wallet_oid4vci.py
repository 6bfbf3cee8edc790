"""The learner's wallet receives an OpenID4VCI offer over real HTTP.

An OpenLER issuer served by uvicorn makes an offer with a tx_code; the wallet (the
same live server, allowed to reach loopback in tests) reads it through the pages,
redeems it with the learner's own key and keeps the credential pending; it
verifies and is bound to the wallet's DID. Wrong codes, a reused offer and a
private address in production are each refused with their own sentence, and
nothing is stored.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest
from test_oid4vci_flow import _csrf, seed_award, staff_offer, wallet_links

from openler.core.dids import DidResolver
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer.service import IssuerConfig
from openler.net import SafeHttpFetcher
from openler.storage import db as storage_db
from openler.wallet import service, verification
from openler.wallet.crypto import MasterKey
from openler.wallet.oid4vci_client import read_offer, receive
from openler.wallet.oid4vci_offer import OfferError
from openler.web.errors import FORM_ERROR_STATUS

pytestmark = pytest.mark.e2e

LIVE_SECRET = "test-secret-key-not-for-production"
PASSWORD = "correct horse battery"
HIDDEN_OFFER = re.compile(r'name="offer" value="([^"]+)"')


@contextmanager
def _learner(accounts, live_server, email: str = "learner@example.org") -> Iterator[httpx.Client]:
    accounts.learner(email)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        signed = http.post("/sign-in", data={"csrf_token": _csrf(http, "/sign-in"),
                                             "email": email, "password": PASSWORD})
        assert signed.status_code == 303
        yield http


def _user_id(engine, email: str) -> str:
    from sqlalchemy import select

    from openler.storage.tables import User

    with storage_db.make_sessionmaker(engine)() as s:
        return s.scalars(select(User.id).where(User.email == email)).one()


def _records(engine, user_id: str, base_url: str) -> list:
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase

    config = service.WalletConfig(
        master=MasterKey(LIVE_SECRET),
        issuer=IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET)))
    with storage_db.make_sessionmaker(engine)() as s:
        items = service.records(s, config=config, user_id=user_id)
        did = service.wallet_did(s, config=config, user_id=user_id,
                                 now=datetime.now(UTC)) if items else ""
        checks = [verification.check(s, credential=r.credential, config=config.issuer,
                                     now=datetime.now(UTC)) for r in items]
        s.rollback()
    return [(r, did, c) for r, c in zip(items, checks, strict=True)]


@pytest.fixture
def offer_links(live_server, clean_db, accounts):
    """Staff of an OpenLER issuer make a claim offer; returns (by_reference, by_value, code)."""
    org_id, award_id = seed_award(clean_db, accounts, live_server.url)
    with httpx.Client(base_url=live_server.url, timeout=30) as staff:
        signed = staff.post("/sign-in", data={"csrf_token": _csrf(staff, "/sign-in"),
                                              "email": "owner@college.example",
                                              "password": PASSWORD})
        assert signed.status_code == 303
        claim_link, tx_code = staff_offer(staff, org_id, award_id)
    with httpx.Client(timeout=30) as anyone:
        by_reference, by_value = sorted(wallet_links(anyone, claim_link), reverse=True)
    return by_reference, by_value, tx_code


def test_wallet_receives_an_offer_with_tx_code_over_real_http(live_server, clean_db, accounts,
                                                              offer_links):
    by_reference, _, tx_code = offer_links
    with _learner(accounts, live_server) as http:
        preview = http.post("/wallet/offers/new", data={
            "csrf_token": _csrf(http, "/wallet/offers/new"), "offer": by_reference})
        assert preview.status_code == 200, preview.text
        assert preview.headers["cache-control"] == "no-store"
        assert "OpenLER offers you: Open Badge" in html.unescape(preview.text)
        assert 'name="tx_code"' in preview.text and 'inputmode="numeric"' in preview.text
        assert "The code in the email with your claim link." in html.unescape(preview.text)
        offer_json = html.unescape(HIDDEN_OFFER.search(preview.text).group(1))
        token = _csrf(http, "/wallet/offers/new")

        wrong = "000000" if tx_code != "000000" else "111111"
        refused = http.post("/wallet/offers/receive", data={
            "csrf_token": token, "offer": offer_json, "tx_code": wrong})
        assert refused.status_code == FORM_ERROR_STATUS
        assert "That code is not right." in refused.text
        short = http.post("/wallet/offers/receive", data={
            "csrf_token": token, "offer": offer_json, "tx_code": "12"})
        assert short.status_code == FORM_ERROR_STATUS and "6 characters long" in short.text
        user_id = _user_id(clean_db, "learner@example.org")
        assert _records(clean_db, user_id, live_server.url) == []

        taken = http.post("/wallet/offers/receive", data={
            "csrf_token": token, "offer": offer_json, "tx_code": tx_code})
        assert taken.status_code == 303, taken.text
        record_path = taken.headers["location"]
        assert record_path.startswith("/wallet/records/")
        page = http.get(record_path)
        assert page.status_code == 200 and "Forklift Safety" in page.text
        assert 'action="' + record_path + '/accept"' in page.text

        [(record, did, check)] = _records(clean_db, user_id, live_server.url)
        assert record.source == "offer" and record.state == "pending"
        assert record.format == "ldp_vc"
        assert record.arrival.outcome == "verified"
        assert record.credential["credentialSubject"]["id"] == did
        assert did.startswith("did:key:z")
        assert check.verified, check.to_dict()

        again = http.post("/wallet/offers/receive", data={
            "csrf_token": token, "offer": offer_json, "tx_code": tx_code})
        assert again.status_code == 410
        assert "expired or was already used" in again.text
        assert len(_records(clean_db, user_id, live_server.url)) == 1
        reopened = http.get("/wallet/offers/new", params={
            "credential_offer_uri": by_reference.split("credential_offer_uri=")[1]
            .replace("%3A", ":").replace("%2F", "/")})
        assert reopened.status_code == 410


def test_offer_link_opens_the_wallet_directly(live_server, clean_db, accounts, offer_links):
    _, by_value, _ = offer_links
    offer_param = httpx.URL(by_value.replace("openid-credential-offer://",
                                             "https://x.example/")).params["credential_offer"]
    with _learner(accounts, live_server) as http:
        page = http.get("/wallet/offers/new", params={"credential_offer": offer_param})
        assert page.status_code == 200
        assert "OpenLER offers you: Open Badge" in html.unescape(page.text)
    with httpx.Client(base_url=live_server.url, timeout=30) as visitor:
        bounce = visitor.get("/wallet/offers/new", params={"credential_offer": offer_param})
        assert bounce.status_code == 303 and bounce.headers["location"].startswith("/sign-in")


def test_client_receives_with_the_learners_key(live_server, clean_db, offer_links):
    from openler.core.dids import did_key_from_public, did_key_vm_id
    from openler.core.keys.multikey import generate_keypair

    by_reference, _, tx_code = offer_links
    pair = generate_keypair("Ed25519")
    did = did_key_from_public(pair.public_key())
    pair.id, pair.controller = did_key_vm_id(pair.public_key()), did
    with SafeHttpFetcher(allow_private=True, timeout=10) as http:
        preview = read_offer(by_reference, http=http, language="es")
        assert preview.issuer_name == "OpenLER" and preview.credential_name == "Insignia abierta"
        assert preview.tx_code is not None and preview.tx_code.length == len(tx_code)
        got = receive(preview, http=http, keypair=pair, tx_code=tx_code,
                      now=datetime.now(UTC))
        assert got.record_format == "ldp_vc"
        assert got.credential["credentialSubject"]["id"] == did
        ctx = VerificationContext(  # an independent check, resolving the issuer over HTTP
            resolver=DidResolver(fetcher=http, web_scheme="http"),
            fetch_status_list=lambda url: json.loads(http.fetch(url).body))
        result = verify_credential(got.credential, ctx=ctx)
        assert result.verified, result.to_dict()
        with pytest.raises(OfferError) as used:
            receive(preview, http=http, keypair=pair, tx_code=tx_code, now=datetime.now(UTC))
        assert used.value.code == "offer_gone"
    with SafeHttpFetcher(allow_private=False, timeout=5) as strict, \
            pytest.raises(OfferError) as refused:
        read_offer(by_reference, http=strict)
    assert refused.value.code == "address_refused"


def test_production_wallet_refuses_a_private_address(live_server, clean_db, accounts,
                                                     offer_links, web):
    from fastapi.testclient import TestClient

    from openler.settings import Settings
    from openler.web.app import create_app

    by_reference, _, _ = offer_links
    accounts.learner("prod@example.org")
    app = create_app(Settings(database_url=str(clean_db.url.render_as_string(
        hide_password=False)), secret_key=LIVE_SECRET))
    with TestClient(app, base_url="http://testserver") as client:
        web.sign_in(client, "prod@example.org")
        page = client.post("/wallet/offers/new", data={
            "csrf_token": web.csrf_of(client, "/wallet/offers/new"), "offer": by_reference})
        assert page.status_code == 502
        assert "private or local network address" in page.text
        garbled = client.post("/wallet/offers/new", data={
            "csrf_token": web.csrf_of(client, "/wallet/offers/new"), "offer": "hello"})
        assert garbled.status_code == FORM_ERROR_STATUS and "not a credential offer" in garbled.text
    assert _records(clean_db, _user_id(clean_db, "prod@example.org"), live_server.url) == []
