"""Sharing with consent, in a real Chromium, in English and in Spanish: the learner puts a
kept record into a presentation, shares it with Acme Hiring (first forgetting the purpose),
an employer opens the link in a second browser context and sees the record checked, the
learner sees the opening logged, stops the share, and the link refuses with 410.
axe-core finds no violations on any of these pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from journeys import sign_in

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import service
from openler.wallet.crypto import MasterKey

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
WORDS = {
    "en": {"problem": "There is a problem", "genuine": "Checked just now: genuine.",
           "viewed": "Acme Hiring viewed this on", "gone": "This link no longer works",
           "stopped": "The share is stopped."},
    "es": {"problem": "Hay un problema", "genuine": "Comprobado ahora mismo: auténtica.",
           "viewed": "Acme Hiring vio esto el", "gone": "Este enlace ya no funciona",
           "stopped": "Se dejó de compartir."},
}


@pytest.fixture
def kept_record(accounts, clean_db, base_url):
    """learner@example.org holds a kept, verified record from Forklift Academy."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test."))
        row = awards.award(s, config=issuer, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        new = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now)
        s.commit()
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                            token=new.token, now=now)
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
        s.commit()
        return record.id


@pytest.mark.parametrize("language", ["en", "es"])
def test_share_view_log_and_stop(new_page, a11y, web, kept_record, language):
    words = WORDS[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)

    def check(p, label: str) -> None:
        assert p.locator("html").get_attribute("lang") == language
        a11y.accessible(p, f"{label} [{language}]")
        a11y.no_horizontal_scroll(p, f"{label} [{language}]")

    page.goto("/wallet")
    page.locator("main a[href='/wallet/presentations']").click()
    check(page, "presentations, none yet")
    page.locator("main a[href='/wallet/presentations/new']").click()
    page.locator("form[action='/wallet/presentations/new'] button[type=submit]").click()
    assert words["problem"] in page.locator(".error-summary").inner_text()
    check(page, "new presentation with errors")
    page.fill("#field-name", "Forklift jobs")
    page.locator("#field-records").check()
    page.locator("form[action='/wallet/presentations/new'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/wallet/presentations/[0-9a-f]{32}$"))
    assert "Forklift Safety" in page.locator("main").inner_text()
    check(page, "presentation")

    page.locator("main a[href$='/share']").click()
    check(page, "share form")
    page.fill("#field-audience", "Acme Hiring")
    page.locator("form[action$='/share'] button[type=submit]").click()
    assert page.locator(".error-summary a[href='#field-purpose']").count() == 1
    check(page, "share form with errors")
    page.fill("#field-purpose", "Forklift driver job")
    page.locator("#field-expiry").check()  # 7 days, the first choice
    page.locator("form[action$='/share'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/wallet/shares/[0-9a-f]{32}$"))
    link = re.search(r"https?://\S+/s/[A-Za-z0-9_-]+", page.locator("main").inner_text()).group(0)
    assert page.locator("main svg.qr").count() == 1
    check(page, "share page")

    viewer = new_page()
    viewer.goto(f"/language/{language}?next=/")
    response = viewer.goto(link)
    assert response.status == 200
    shown = viewer.locator("main").inner_text()
    assert words["genuine"] in shown and "Forklift Safety" in shown and "Acme Hiring" in shown
    check(viewer, "shared records, as the viewer")

    page.reload()
    assert words["viewed"] in page.locator("main").inner_text()
    page.locator("form[action$='/stop'] button[type=submit]").click()
    page.wait_for_selector(".notice")
    assert words["stopped"] in page.locator("main").inner_text()
    assert page.locator("main svg.qr").count() == 0
    check(page, "share page, stopped")

    refused = viewer.goto(link)
    assert refused.status == 410
    text = viewer.locator("main").inner_text()
    assert words["gone"] in text and "Forklift Safety" not in text
    check(viewer, "stopped link, as the viewer")
