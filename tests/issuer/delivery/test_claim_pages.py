"""Claim and outbox pages through the app: staff send an offer (kept in the outbox),
the learner downloads the file or asks for a wallet link with a QR code; expired,
used and replaced links explain themselves; the outbox is for the organization's staff."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db

APP_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


@pytest.fixture
def staff(client, accounts, clean_db, clock, web):
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    config = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=clock(),
            data=AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                                  criteria="Passed the practical assessment."))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=clock())
        s.commit()
        award_id, credential = row.id, row.credential
    web.sign_in(client, "owner@college.example")
    return org_id, award_id, credential


def _offer(client, web, org_id, award_id) -> tuple[str, str]:
    token = web.csrf_of(client, f"/orgs/{org_id}/awards")
    sent = client.post(f"/orgs/{org_id}/claim-offers/{award_id}", data={"csrf_token": token},
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == f"/orgs/{org_id}/outbox"
    page = client.get(f"/orgs/{org_id}/outbox").text
    path = re.search(r"http://testserver(/claim/[A-Za-z0-9_-]+)", page).group(1)
    code = re.search(r"type this one: (\d{6})", page).group(1)
    return path, code


def test_awards_list_links_to_offers_and_org_page_to_outbox(client, staff):
    org_id, award_id, _ = staff
    assert f"/orgs/{org_id}/claim-offers/{award_id}" in client.get(f"/orgs/{org_id}/awards").text
    assert f"/orgs/{org_id}/outbox" in client.get(f"/orgs/{org_id}").text
    assert "The outbox is empty." in client.get(f"/orgs/{org_id}/outbox").text


def test_download_once(client, make_client, staff, web):
    org_id, award_id, credential = staff
    path, _ = _offer(client, web, org_id, award_id)
    learner = make_client()
    page = learner.get(path)
    assert page.status_code == 200
    assert "Example College" in page.text and "Welding Basics" in page.text
    assert "Download the file" in page.text and "Add to a wallet app" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    file = learner.post(f"{path}/download", data={"csrf_token": token})
    assert file.status_code == 200
    assert file.headers["content-disposition"].startswith("attachment;")
    assert json.loads(file.content) == credential
    used = learner.get(path)
    assert used.status_code == 410 and "already collected" in used.text
    assert learner.post(f"{path}/download", data={"csrf_token": token}).status_code == 410


def test_wallet_link_qr_code_and_expiry(client, make_client, staff, web, clock):
    org_id, award_id, _ = staff
    path, code = _offer(client, web, org_id, award_id)
    learner = make_client()
    token = web.csrf_of(learner, path)
    page = learner.post(f"{path}/wallet", data={"csrf_token": token})
    assert page.status_code == 200
    svg = re.search(r"<svg[^>]*>.*?</svg>", page.text, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "QR code" in svg
    assert "The QR code holds the wallet link shown below." in page.text
    link = re.search(r"openid-credential-offer://\?credential_offer=([^\"<\s]+)", page.text)
    offer = json.loads(unquote(link.group(1)))
    pre_code = offer["grants"][PRE_AUTH]["pre-authorized_code"]
    ref_link = re.search(r"credential_offer_uri=([^\"<\s]+)", page.text).group(1)
    ref_path = unquote(ref_link).removeprefix("http://testserver")
    assert learner.get(ref_path).json() == offer

    clock.advance(days=31)
    expired = learner.get(path)
    assert expired.status_code == 410 and "expired" in expired.text
    assert learner.get(ref_path).status_code == 404
    token_reply = learner.post("/oid4vci/token", data={
        "grant_type": PRE_AUTH, "pre-authorized_code": pre_code, "tx_code": code})
    assert token_reply.status_code == 400 and token_reply.json()["error"] == "invalid_grant"


def test_too_many_wrong_codes_end_the_wallet_link(client, make_client, staff, web):
    org_id, award_id, _ = staff
    path, code = _offer(client, web, org_id, award_id)
    learner = make_client()
    page = learner.post(f"{path}/wallet", data={"csrf_token": web.csrf_of(learner, path)})
    link = re.search(r"credential_offer=([^\"<\s]+)", page.text).group(1)
    pre_code = json.loads(unquote(link))["grants"][PRE_AUTH]["pre-authorized_code"]
    wrong = "1234567"
    for _ in range(5):
        reply = learner.post("/oid4vci/token", data={
            "grant_type": PRE_AUTH, "pre-authorized_code": pre_code, "tx_code": wrong})
        assert reply.json()["error"] == "invalid_grant"
    late = learner.post("/oid4vci/token", data={
        "grant_type": PRE_AUTH, "pre-authorized_code": pre_code, "tx_code": code})
    assert late.json()["error"] == "invalid_grant"
    again = learner.post(f"{path}/wallet", data={"csrf_token": web.csrf_of(learner, path)})
    assert again.status_code == 200  # the learner can make a new wallet link
    link = re.search(r"credential_offer=([^\"<\s]+)", again.text).group(1)
    pre_code = json.loads(unquote(link))["grants"][PRE_AUTH]["pre-authorized_code"]
    for _ in range(5):  # ... but guesses add up over all wallet links of the offer
        learner.post("/oid4vci/token", data={
            "grant_type": PRE_AUTH, "pre-authorized_code": pre_code, "tx_code": wrong})
    locked = learner.post(f"{path}/wallet", data={"csrf_token": web.csrf_of(learner, path)})
    assert locked.status_code == 410 and "locked" in locked.text
    assert locked.headers["cache-control"] == "no-store"
    assert locked.headers["referrer-policy"] == "no-referrer"


def test_reoffer_replaces_and_spanish_page(client, make_client, staff, web, clock):
    org_id, award_id, _ = staff
    first, _ = _offer(client, web, org_id, award_id)
    clock.advance(seconds=5)  # the outbox lists the newest message first
    second, _ = _offer(client, web, org_id, award_id)
    learner = make_client(headers={"Accept-Language": "es"})
    replaced = learner.get(first)
    assert replaced.status_code == 410 and "enlace más reciente" in replaced.text
    page = learner.get(second)
    assert "Su credencial de Example College" in page.text
    assert "Descargar el archivo" in page.text
    assert learner.get("/claim/not-a-real-token").status_code == 404


def test_outbox_is_for_the_organizations_staff(client, make_client, staff, accounts, web):
    org_id, award_id, _ = staff
    _offer(client, web, org_id, award_id)
    outsider = make_client()
    accounts.org_owner("boss@elsewhere.example", "Elsewhere")
    web.sign_in(outsider, "boss@elsewhere.example")
    assert outsider.get(f"/orgs/{org_id}/outbox").status_code == 404
    token = web.csrf_of(outsider, "/account")
    refused = outsider.post(f"/orgs/{org_id}/claim-offers/{award_id}",
                            data={"csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 404
    visitor = make_client()
    assert visitor.get(f"/orgs/{org_id}/outbox", follow_redirects=False).status_code == 303


def test_an_award_to_a_did_gets_its_link_shown_to_staff(client, staff, clean_db, clock, web):
    org_id, _, _ = staff
    config = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.list_achievements(s, org_id=org_id)[0]
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_did="did:example:learner-42", now=clock())
        s.commit()
        award_id = row.id
    token = web.csrf_of(client, f"/orgs/{org_id}/awards")
    sent = client.post(f"/orgs/{org_id}/claim-offers/{award_id}", data={"csrf_token": token})
    assert sent.status_code == 200 and "Give the learner this link." in sent.text
    link = re.search(r'href="http://testserver(/claim/[A-Za-z0-9_-]+)"', sent.text).group(1)
    assert client.get(link).status_code == 200
    # Nothing is mailed; the message with the link and the wallet code is kept for staff.
    assert "The outbox is empty." not in sent.text
    assert "did:example:learner-42" in sent.text and "Kept here" in sent.text
    assert re.search(r"type this one: \d{6}", sent.text)
