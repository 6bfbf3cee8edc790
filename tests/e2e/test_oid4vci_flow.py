"""OpenID4VCI 1.0 over real HTTP: staff send a claim offer (kept in the outbox), the
learner opens the claim page, and an independent wallet (oid4vci_wallet.py) takes
the offer by value and by reference, redeems the pre-authorized code with the
tx_code, proves its did:key and receives a credential bound to it, which verifies.
Every wrong step gets the spec's JSON error, never a 500."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import httpx
import pytest
from oid4vci_wallet import Wallet, new_key

from openler.core.dids import DidResolver
from openler.core.dids.ports import FetchResponse
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db

pytestmark = pytest.mark.e2e

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OFFER_LINK = re.compile(r"openid-credential-offer://\?credential_offer(?:_uri)?=[^\"<\s]+")


def _csrf(client: httpx.Client, path: str) -> str:
    return CSRF.search(client.get(path).text).group(1)


def seed_award(engine, accounts, base_url: str) -> tuple[str, str]:
    """An issuer organization with one awarded achievement; returns (org_id, award_id)."""
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(engine)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test."))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        s.commit()
        return org_id, row.id


def staff_offer(http: httpx.Client, org_id: str, award_id: str) -> tuple[str, str]:
    """Staff send a claim offer; with no SMTP it lands in the outbox: (claim link, tx_code)."""
    sent = http.post(f"/orgs/{org_id}/claim-offers/{award_id}",
                     data={"csrf_token": _csrf(http, f"/orgs/{org_id}/awards")})
    assert sent.status_code == 303 and sent.headers["location"] == f"/orgs/{org_id}/outbox"
    page = http.get(f"/orgs/{org_id}/outbox").text
    link = re.search(r"http://[^\s<\"]+/claim/[A-Za-z0-9_-]+", page).group(0)
    code = re.search(r"type this one: (\d{6})", page).group(1)
    return link, code


def wallet_links(http: httpx.Client, claim_link: str) -> list[str]:
    """Press 'Add to a wallet app' on the claim page and read the offer links shown."""
    token = _csrf(http, claim_link)
    page = http.post(f"{claim_link}/wallet", data={"csrf_token": token})
    assert page.status_code == 200, page.text
    assert "<svg" in page.text and "<title" in page.text
    return sorted(set(OFFER_LINK.findall(page.text)))


class HttpxFetcher:
    """The verifier's fetch port over httpx (loopback is fine in this test)."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def fetch(self, url: str) -> FetchResponse:
        response = self.http.get(url)
        return FetchResponse(response.status_code, response.content,
                             {k.lower(): v for k, v in response.headers.items()})


@pytest.fixture
def staff(live_server, clean_db, accounts):
    org_id, award_id = seed_award(clean_db, accounts, live_server.url)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        signed_in = http.post("/sign-in", data={"csrf_token": _csrf(http, "/sign-in"),
                                                "email": "owner@college.example",
                                                "password": "correct horse battery"})
        assert signed_in.status_code == 303
        yield http, org_id, award_id


@pytest.mark.parametrize("algorithm", ["EdDSA", "ES256"])
def test_wallet_receives_a_bound_credential_over_real_http(live_server, staff, algorithm):
    http, org_id, award_id = staff
    claim_link, tx_code = staff_offer(http, org_id, award_id)
    with httpx.Client(timeout=30) as learner_http:
        wallet = Wallet(learner_http, algorithm=algorithm)
        by_reference, by_value = sorted(wallet_links(learner_http, claim_link), reverse=True)
        assert "credential_offer_uri=" in by_reference and "credential_offer=" in by_value
        offer = wallet.offer(by_reference)
        assert offer == wallet.offer(by_value)
        issuer = offer["credential_issuer"]
        assert issuer == live_server.url
        issuer_md, as_md = wallet.metadata(issuer)
        [config_id] = offer["credential_configuration_ids"]
        configuration = issuer_md["credential_configurations_supported"][config_id]
        assert configuration["format"] == "ldp_vc"
        assert "did:key" in configuration["cryptographic_binding_methods_supported"]
        assert algorithm in configuration["proof_types_supported"]["jwt"][
            "proof_signing_alg_values_supported"]
        assert as_md["pre-authorized_grant_anonymous_access_supported"] is True
        grant = offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]
        assert grant["tx_code"]["length"] == len(tx_code)
        code = grant["pre-authorized_code"]

        missing = wallet.token(as_md, code, None)
        assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
        wrong = wallet.token(as_md, code, "000000" if tx_code != "000000" else "111111")
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
        token = wallet.token(as_md, code, tx_code)
        assert token.status_code == 200, token.text
        assert token.headers["cache-control"] == "no-store"
        body = token.json()
        assert body["token_type"].lower() == "bearer" and body["expires_in"] > 0
        access = body["access_token"]
        reused = wallet.token(as_md, code, tx_code)
        assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"

        # Wrong key proofs: another key than kid, wrong audience, unknown nonce.
        other = new_key(algorithm)
        forged = wallet.proof(audience=issuer, nonce=wallet.nonce(issuer_md), key=other)
        reply = wallet.credential(issuer_md, access, forged, config_id)
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_proof"
        wrong_aud = wallet.proof(audience="https://elsewhere.example", nonce=wallet.nonce(issuer_md))
        reply = wallet.credential(issuer_md, access, wrong_aud, config_id)
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_proof"
        made_up = wallet.proof(audience=issuer, nonce="not-a-nonce-we-were-given")
        reply = wallet.credential(issuer_md, access, made_up, config_id)
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_nonce"
        fresh = reply.json()["c_nonce"]
        unknown = wallet.credential(issuer_md, access, made_up, "SomethingElse")
        assert unknown.json()["error"] == "unknown_credential_configuration"

        proof = wallet.proof(audience=issuer, nonce=fresh)
        issued = wallet.credential(issuer_md, access, proof, config_id)
        assert issued.status_code == 200, issued.text
        [entry] = issued.json()["credentials"]
        vc = entry["credential"]
        assert vc["credentialSubject"]["id"] == wallet.did
        assert vc["credentialSubject"]["achievement"]["name"] == "Forklift Safety"

        again = wallet.credential(issuer_md, access, wallet.proof(
            audience=issuer, nonce=wallet.nonce(issuer_md)), config_id)
        assert again.status_code == 401 and again.json()["error"] == "invalid_token"
        assert again.headers["www-authenticate"].startswith("Bearer")
        used_page = learner_http.get(claim_link)
        assert used_page.status_code == 410
        assert learner_http.get(by_reference.split("credential_offer_uri=")[1].replace(
            "%3A", ":").replace("%2F", "/")).status_code == 404

        fetcher = HttpxFetcher(learner_http)
        ctx = VerificationContext(resolver=DidResolver(fetcher=fetcher, web_scheme="http"),
                                  fetch_status_list=lambda url: json.loads(
                                      fetcher.fetch(url).body))
        result = verify_credential(vc, ctx=ctx)
        assert result.verified, result.to_dict()

        # A replayed nonce: the staff re-offer, and a new flow reuses the spent c_nonce.
        link2, code2 = staff_offer(http, org_id, award_id)
        offer2 = wallet.offer(wallet_links(learner_http, link2)[0])
        code_2 = offer2["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"][
            "pre-authorized_code"]
        access2 = wallet.token(as_md, code_2, code2).json()["access_token"]
        replay = wallet.credential(issuer_md, access2, wallet.proof(audience=issuer, nonce=fresh),
                                   config_id)
        assert replay.status_code == 400 and replay.json()["error"] == "invalid_nonce"


def test_endpoints_answer_bad_requests_with_spec_errors(live_server, clean_db):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        no_grant = http.post("/oid4vci/token", data={})
        assert no_grant.status_code == 400 and no_grant.json()["error"] == "invalid_request"
        other_grant = http.post("/oid4vci/token", data={"grant_type": "password"})
        assert other_grant.json()["error"] == "unsupported_grant_type"
        made_up = http.post("/oid4vci/token", data={
            "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            "pre-authorized_code": "nope", "tx_code": "123456"})
        assert made_up.status_code == 400 and made_up.json()["error"] == "invalid_grant"
        as_json = http.post("/oid4vci/token", json={"grant_type": "x"})
        assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
        no_token = http.post("/oid4vci/credential", json={})
        assert no_token.status_code == 401 and no_token.json()["error"] == "invalid_token"
        assert "www-authenticate" in no_token.headers
        garbage = http.post("/oid4vci/credential", content=b"\xff{",
                            headers={"Authorization": "Bearer x"})
        assert garbage.status_code == 401
        assert http.get("/oid4vci/offers/unknown").status_code == 404


def test_an_expired_offer_gets_invalid_grant(live_server, staff, clean_db):
    from sqlalchemy import update

    from openler.storage.tables_delivery import ClaimOffer

    http, org_id, award_id = staff
    claim_link, tx_code = staff_offer(http, org_id, award_id)
    with httpx.Client(timeout=30) as learner_http:
        wallet = Wallet(learner_http)
        link = [x for x in wallet_links(learner_http, claim_link) if "offer_uri" in x][0]
        offer = wallet.offer(link)
        _, as_md = wallet.metadata(offer["credential_issuer"])
        with clean_db.begin() as conn:  # the offer's 30 days pass
            conn.execute(update(ClaimOffer).values(expires_at=datetime(2020, 1, 1, tzinfo=UTC)))
        code = offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"][
            "pre-authorized_code"]
        reply = wallet.token(as_md, code, tx_code)
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_grant"
        assert "error_description" in reply.json()
        uri = wallet.http.get(link.split("credential_offer_uri=")[1].replace("%3A", ":")
                              .replace("%2F", "/"))
        assert uri.status_code == 404
        assert learner_http.get(claim_link).status_code == 410
