"""Acceptance (issue 5, item 8): back up, delete the account, restore into a fresh instance
with its own database and secret: every record verifies there and the skills profile is
identical.

Instance A is the real app served over HTTP by uvicorn (``live_server``): an
organization issues two credentials with skill alignments (did:web of A) into a
learner's wallet, the learner adds a self-reported entry, hides a skill and shares a
presentation; then downloads a backup and deletes the account on A (the share link
stops). Instance B is another app on a separate database (``scratch_engine``: its own
SQLite file, or its own PostgreSQL database) with a different secret; its fetcher may
reach A's loopback host for A's DID document and status list."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.net.fetcher import SafeHttpFetcher
from openler.settings import Settings
from openler.storage import db as storage_db
from openler.wallet import presentations, self_reported, service, sharing, skills_profile
from openler.wallet.crypto import MasterKey
from openler.wallet.self_reported_input import SelfReportedInput
from openler.wallet.service import WalletConfig
from openler.web.app import create_app

pytestmark = pytest.mark.e2e

SECRET_A = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET (live server)
SECRET_B = "instance-b-has-its-own-secret"
PASSWORD = "correct horse battery"
PASSPHRASE = "moving my wallet to another site"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r"/wallet/records/([0-9a-f]{32})$")
COURSES = (
    AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                     criteria="Passed the practical assessment.",
                     alignments=(AlignmentInput(
                         target_name="Welding", target_framework="ESCO",
                         target_url="http://data.europa.eu/esco/skill/welding-example",
                         target_code="S1.2.3", target_type="ceasn:Competency"),)),
    AchievementInput(name="Forklift Safety", description="Operates forklifts safely.",
                     criteria="Passed the driving test.",
                     alignments=(AlignmentInput(
                         target_name="Operate forklift", target_framework="ESCO",
                         target_url="http://data.europa.eu/esco/skill/forklift-example",
                         target_code="S8.1.2", target_type="ceasn:Competency"),
                         AlignmentInput(
                         target_name="Industrial truck operators", target_framework="O*NET-SOC",
                         target_url="https://www.onetonline.org/link/summary/53-7051.00",
                         target_code="53-7051.00"))),
)


def _csrf(http, path: str) -> str:
    return CSRF.search(http.get(path).text).group(1)


def _sign_in(http, email: str) -> None:
    reply = http.post("/sign-in", data={"csrf_token": _csrf(http, "/sign-in"), "email": email,
                                        "password": PASSWORD}, follow_redirects=False)
    assert reply.status_code == 303, reply.text


def _issue(engine, accounts, base_url: str) -> list[str]:
    """Two awarded achievements with alignments and a claim offer for each: their tokens."""
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(SECRET_A))
    now = datetime.now(UTC)
    tokens = []
    with storage_db.make_sessionmaker(engine)() as s:
        for course in COURSES:
            made = catalog.create_achievement(s, config=config, org_id=org_id, now=now,
                                              data=course)
            row = awards.award(s, config=config, org_id=org_id, achievement_id=made.id,
                               recipient_email="learner@example.org", now=now)
            tokens.append(offers.create_offer(s, org_id=org_id, award_id=row.id, now=now).token)
        s.commit()
    return tokens


def _config(secret: str, base: str) -> WalletConfig:
    return WalletConfig(master=MasterKey(secret),
                        issuer=IssuerConfig(base=PublicBase.parse(base), vault=KeyVault(secret)),
                        fetcher=SafeHttpFetcher(allow_private=True), allow_private=True)


@pytest.fixture
def instance_b(scratch_engine):
    """A second OpenLER: its own migrated database, its own secret, loopback fetches allowed."""
    storage_db.upgrade(scratch_engine)
    url = scratch_engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, secret_key=SECRET_B, fetch_allow_private=True))
    with TestClient(app, base_url="http://testserver") as client:
        yield client, scratch_engine


def test_backup_delete_restore_into_a_fresh_instance(live_server, clean_db, accounts,
                                                      instance_b):
    tokens = _issue(clean_db, accounts, live_server.url)
    learner_a = accounts.learner("learner@example.org", "Ana Learner")
    config_a = _config(SECRET_A, live_server.url)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        _sign_in(http, "learner@example.org")
        for token in tokens:  # claim into the OpenLER wallet over HTTP, then accept
            reply = http.post(f"/claim/{token}/openler-wallet",
                              data={"csrf_token": _csrf(http, f"/claim/{token}")},
                              follow_redirects=False)
            record_id = RECORD.search(reply.headers["location"]).group(1)
            accepted = http.post(f"/wallet/records/{record_id}/accept", data={
                "csrf_token": _csrf(http, f"/wallet/records/{record_id}")},
                follow_redirects=False)
            assert accepted.status_code == 303

        now = datetime.now(UTC)
        with storage_db.make_sessionmaker(clean_db)() as s:
            self_reported.add(s, config=config_a, user_id=learner_a, learner_name="Ana Learner",
                              now=now, data=SelfReportedInput(
                                  title="Food bank volunteer", kind="volunteering",
                                  description="Sorted and delivered food every Saturday.",
                                  organization="City Food Bank", start="2025-01-01",
                                  skills="Teamwork, Logistics"))
            records = service.records(s, config=config_a, user_id=learner_a)
            assert len(records) == 3 and sum(r.self_reported for r in records) == 1
            for record in records:
                assert service.check_now(s, config=config_a, record=record,
                                         now=now).outcome == "verified"
            visible = skills_profile.profile(s, config=config_a, user_id=learner_a)
            forklift = next(e for e in visible.entries if e.name == "Operate forklift")
            skills_profile.hide(s, config=config_a, user_id=learner_a, key=forklift.key,
                                now=now)
            pres = presentations.create(s, config=config_a, user_id=learner_a, name="For Acme",
                                        record_ids=[r.id for r in records], now=now)
            share = sharing.create_share(s, config=config_a, user_id=learner_a,
                                         presentation_id=pres.id, audience="Acme Hiring",
                                         purpose="Job application", expiry="30", now=now)
            s.commit()
            profile_a = skills_profile.profile(s, config=config_a, user_id=learner_a)
            full_a = skills_profile.profile(s, config=config_a, user_id=learner_a,
                                            include_hidden=True)
            did_a = service.wallet_did(s, config=config_a, user_id=learner_a, now=now)
        assert "Operate forklift" not in {e.name for e in profile_a.entries}
        assert {"Teamwork", "Welding"} <= {e.name for e in profile_a.entries}
        link = f"/s/{share.token}"
        assert http.get(link).status_code == 200

        made = http.post("/wallet/backup", data={
            "csrf_token": _csrf(http, "/wallet/backup"), "passphrase": PASSPHRASE,
            "confirm_passphrase": PASSPHRASE})
        assert made.status_code == 200
        backup_file = made.content

        gone = http.post("/account/delete", data={"csrf_token": _csrf(http, "/account/delete"),
                                                  "password": PASSWORD},
                         follow_redirects=False)
        assert gone.status_code == 303
        refused = http.get(link)
        assert refused.status_code in (404, 410) and "Welding" not in refused.text
        assert http.get("/wallet", follow_redirects=False).status_code == 303

    client_b, engine_b = instance_b
    accounts_b = type(accounts)(engine_b, accounts.clock)
    learner_b = accounts_b.learner("ana.new@example.org", "Ana Learner")
    _sign_in(client_b, "ana.new@example.org")
    restored = client_b.post("/wallet/restore", data={
        "csrf_token": _csrf(client_b, "/wallet/restore"), "passphrase": PASSPHRASE},
        files={"backup_file": ("backup.json", backup_file, "application/json")})
    assert restored.status_code == 200, restored.text
    assert "Records that came back: 3." in restored.text

    config_b = _config(SECRET_B, "http://testserver")
    with storage_db.make_sessionmaker(engine_b)() as s:
        now = datetime.now(UTC)
        assert service.wallet_did(s, config=config_b, user_id=learner_b, now=now) == did_a
        records_b = service.records(s, config=config_b, user_id=learner_b)
        assert len(records_b) == 3 and sum(r.self_reported for r in records_b) == 1
        for record in records_b:  # A's DID document and status list, fetched over HTTP
            report = service.check_now(s, config=config_b, record=record, now=now)
            assert report.outcome == "verified", (record.summary.achievement_name, report)
        assert skills_profile.profile(s, config=config_b, user_id=learner_b).comparable() == \
            profile_a.comparable()
        assert skills_profile.profile(s, config=config_b, user_id=learner_b,
                                      include_hidden=True).comparable() == full_a.comparable()
        [restored_share] = sharing.shares_of(s, config=config_b, user_id=learner_b)
        assert (restored_share.audience, restored_share.stop_reason) == ("Acme Hiring",
                                                                         "restored")
    page = client_b.get(f"/wallet/shares/{restored_share.id}")
    assert page.status_code == 200 and "It no longer shows anything." in page.text
    assert "Welding Basics" in client_b.get("/wallet").text
