"""The learner's first record, in a real Chromium, in English and in Spanish: an issuer
awards a course, the learner opens the claim link, signs in (English) or creates a
learner account (Spanish) and comes back, adds the record to the OpenLER wallet, reads
the check in plain words, accepts, and finds it verified in the list and on its page;
then deletes it after confirming. axe-core finds no violations on any of these pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
WORDS = {
    "en": {"add": "Add to my OpenLER wallet", "genuine": "Checked: this record is genuine.",
           "keep": "Add it to my wallet", "kept": "The record is in your wallet.",
           "active": "Not revoked or suspended", "from": "From Forklift Academy",
           "listed": "Checked when it arrived: genuine", "problem": "There is a problem",
           "deleted": "The record was deleted from your wallet.",
           "empty": "Your wallet is empty."},
    "es": {"add": "Agregar a mi cartera OpenLER", "genuine": "Comprobado: este registro es auténtico.",
           "keep": "Agregarlo a mi cartera", "kept": "El registro está en su cartera.",
           "active": "No ha sido revocado ni suspendido", "from": "De Forklift Academy",
           "listed": "Comprobado al llegar: auténtico", "problem": "Hay un problema",
           "deleted": "El registro se eliminó de su cartera.",
           "empty": "Su cartera está vacía."},
}


@pytest.fixture
def claim_path(accounts, clean_db, base_url):
    """An issuer awards a course with two skills to learner@example.org: its claim link."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=now,
            data=AchievementInput(
                name="Forklift Safety", description="Operates forklifts safely.",
                criteria="Passed the practical test.",
                alignments=[AlignmentInput(target_name="Operate forklift",
                                           target_url="http://data.europa.eu/esco/skill/forklift",
                                           target_framework="ESCO", target_code="S8.2"),
                            AlignmentInput(target_name="Industrial truck operators",
                                           target_url="https://www.onetonline.org/link/summary/53-7051.00",
                                           target_framework="O*NET-SOC",
                                           target_code="53-7051.00")]))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        new = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now)
        s.commit()
        return new.path


@pytest.mark.parametrize("language", ["en", "es"])
def test_receive_into_the_wallet(new_page, a11y, accounts, claim_path, web, language):
    words = WORDS[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto(claim_path)
    check("claim page, signed out")
    if language == "en":
        accounts.learner("learner@example.org", "Ana Learner")
        page.locator("main a[href^='/sign-in?next=']").click()
        page.fill("#field-email", "learner@example.org")
        page.fill("#field-password", web.password)
        page.locator("form[action='/sign-in'] button[type=submit]").click()
    else:
        page.locator("main a[href^='/wallet/sign-up?next=']").click()
        check("learner sign-up")
        page.locator("form[action='/wallet/sign-up'] button[type=submit]").click()
        assert page.locator(".error-summary").count() == 1  # nothing was filled in
        check("learner sign-up with errors")
        page.fill("#field-name", "Ana Aprendiz")
        page.fill("#field-email", "learner@example.org")
        page.fill("#field-password", web.password)
        page.locator("form[action='/wallet/sign-up'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*{re.escape(claim_path)}$"))
    check("claim page, signed in")

    page.get_by_role("button", name=words["add"]).click()
    page.wait_for_url(re.compile(r".*/wallet/records/[0-9a-f]{32}$"))
    assert words["genuine"] in page.locator("main").inner_text()
    check("record on arrival")
    page.get_by_role("button", name=words["keep"]).click()
    page.wait_for_selector(".notice")
    main = page.locator("main").inner_text()
    assert words["kept"] in main and words["genuine"] in main and words["active"] in main
    assert "Operate forklift" in main and "53-7051.00" in main
    assert "Passed the practical test." in main
    check("record detail")
    page.locator("details summary").last.click()  # the plain explanation of DID, VC, proof
    assert "did:key:" in page.locator("main").inner_text()
    check("record detail, technical details open")

    page.goto("/wallet")
    listing = page.locator("main").inner_text()
    assert words["from"] in listing and "Forklift Safety" in listing
    assert words["listed"] in listing
    check("wallet list")

    page.locator("main a[href^='/wallet/records/']").first.click()
    page.locator("main a[href$='/delete']").click()
    check("delete confirmation")
    page.locator("form[action$='/delete'] button[type=submit]").click()
    assert words["problem"] in page.locator(".error-summary").inner_text()
    check("delete confirmation with error")
    page.locator("#field-confirm").check()
    page.locator("form[action$='/delete'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/wallet$"))
    main = page.locator("main").inner_text()
    assert words["deleted"] in main and words["empty"] in main
    check("empty wallet")
