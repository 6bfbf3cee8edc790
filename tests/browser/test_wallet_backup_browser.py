"""Backup, restore and leaving, in a real Chromium at 360 px, in English and in Spanish: the
learner downloads a backup (first forgetting the confirmation), another learner restores it
(first with no file) and reads what came back, then the first learner deletes the account
(first with a wrong password) and is signed out. axe-core finds no violations on the
backup, export, restore and delete pages, with and without errors."""

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
PASSPHRASE = "four unrelated words here"
WORDS = {
    "en": {"problem": "There is a problem", "restored": "Your backup is restored",
           "came_back": "Records that came back: 1.", "deleted": "Your account and wallet are deleted"},
    "es": {"problem": "Hay un problema", "restored": "Su copia de seguridad está restaurada",
           "came_back": "Registros recuperados: 1.",
           "deleted": "Su cuenta y su cartera están eliminadas"},
}


@pytest.fixture
def kept_record(accounts, clean_db, base_url):
    """learner@example.org holds a kept record from Forklift Academy; other@ has no records."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    accounts.learner("other@example.org", "Otto Other")
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
def test_backup_restore_and_delete_pages(new_page, a11y, web, kept_record, tmp_path,
                                         language):
    words = WORDS[language]

    def check(p, label: str) -> None:
        assert p.locator("html").get_attribute("lang") == language
        a11y.accessible(p, f"{label} [{language}]")
        a11y.no_horizontal_scroll(p, f"{label} [{language}]")

    page = new_page(viewport={"width": 360, "height": 800}, accept_downloads=True)
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)
    page.goto("/wallet")
    page.locator("nav.wallet-nav a[href='/wallet/backup']").click()
    page.wait_for_url(re.compile(r".*/wallet/backup$"))
    check(page, "backup page")

    page.fill("#field-passphrase", PASSPHRASE)
    page.locator("form[action='/wallet/backup'] button[type=submit]").click()
    assert words["problem"] in page.locator(".error-summary").inner_text()
    assert page.locator(".error-summary a[href='#field-confirm_passphrase']").count() == 1
    check(page, "backup page with errors")
    page.fill("#field-passphrase", PASSPHRASE)
    page.fill("#field-confirm_passphrase", PASSPHRASE)
    with page.expect_download() as download:
        page.locator("form[action='/wallet/backup'] button[type=submit]").click()
    assert download.value.suggested_filename.startswith("openler-wallet-backup-")
    saved = tmp_path / "backup.json"
    download.value.save_as(saved)

    page.goto("/wallet/export")
    check(page, "export page")
    with page.expect_download() as exported:
        page.locator("main a[href='/wallet/export.zip']").click()
    assert exported.value.suggested_filename.endswith(".zip")

    other = new_page(viewport={"width": 360, "height": 800})
    other.goto(f"/language/{language}?next=/")
    sign_in(other, "other@example.org", web.password)
    other.goto("/wallet/restore")
    check(other, "restore page")
    other.fill("#field-passphrase", PASSPHRASE)
    other.locator("form[action='/wallet/restore'] button[type=submit]").click()
    assert other.locator(".error-summary a[href='#field-backup_file']").count() == 1
    check(other, "restore page with errors")
    other.set_input_files("#field-backup_file", str(saved))
    other.fill("#field-passphrase", PASSPHRASE)
    other.locator("form[action='/wallet/restore'] button[type=submit]").click()
    text = other.locator("main").inner_text()
    assert words["restored"] in text and words["came_back"] in text
    check(other, "restore done")

    page.goto("/account")
    page.locator("main a[href='/account/delete']").click()
    page.wait_for_url(re.compile(r".*/account/delete$"))
    check(page, "delete account page")
    page.fill("#field-password", "not my password")
    page.locator("form[action='/account/delete'] button[type=submit]").click()
    assert page.locator(".error-summary a[href='#field-password']").count() == 1
    check(page, "delete account page with errors")
    page.fill("#field-password", web.password)
    page.locator("form[action='/account/delete'] button[type=submit]").click()
    page.wait_for_selector(".notice")
    assert words["deleted"] in page.locator(".notice").inner_text()
    check(page, "home after deleting the account")
