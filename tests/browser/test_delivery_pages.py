"""Claim and outbox pages in a real Chromium, English and Spanish: staff send a claim
link (kept in the outbox), the learner opens it, asks for a wallet link with its QR
code, and downloads the file; axe-core finds no violations on any of these pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
HOME = re.compile(r"^http://[^/]+/$")


@pytest.fixture
def seeded(accounts, clean_db, base_url, web):
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test."))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        s.commit()
        return org_id, row.id, web.password


@pytest.mark.parametrize("language", ["en", "es"])
def test_claim_and_outbox_pages_are_accessible(new_page, a11y, seeded, language):
    org_id, award_id, password = seeded
    staff = new_page()
    staff.goto(f"/language/{language}?next=/")
    staff.goto("/sign-in")
    staff.fill("#field-email", "owner@college.example")
    staff.fill("#field-password", password)
    with staff.expect_navigation(url=HOME):
        staff.locator("form[action='/sign-in'] button[type=submit]").click()

    def check(page, label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    staff.goto(f"/orgs/{org_id}/awards")
    staff.locator(f"form[action='/orgs/{org_id}/claim-offers/{award_id}'] button").click()
    staff.wait_for_url(re.compile(rf".*/orgs/{org_id}/outbox$"))
    assert staff.locator("table tbody tr").count() == 1
    check(staff, "outbox")
    staff.locator("details summary").first.click()
    body = staff.locator("pre").first.inner_text()
    claim_url = re.search(r"http://\S+/claim/[A-Za-z0-9_-]+", body).group(0)

    learner = new_page(viewport={"width": 360, "height": 800})
    learner.goto(f"/language/{language}?next=/")
    learner.goto(claim_url)
    assert "Example College" in learner.locator("h1").inner_text()
    check(learner, "claim page")
    learner.locator("form[action$='/wallet'] button").click()
    learner.wait_for_selector("svg.qr")
    qr = learner.locator("svg.qr")
    assert qr.get_attribute("role") == "img" and qr.locator("title").count() == 1
    assert "openid-credential-offer://" in learner.locator("main").inner_text()
    check(learner, "claim page with wallet link")
    with learner.expect_download() as download:
        learner.locator("form[action$='/download'] button").click()
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved["credentialSubject"]["achievement"]["name"] == "Forklift Safety"
    learner.goto(claim_url)
    assert learner.locator("h1").count() == 1
    check(learner, "used claim link")
