"""Cohort issuing in a real Chromium, in English and Spanish: upload, the error report,
issue only the valid rows, the self-refreshing progress page, done; axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from openler.issuer import catalog
from openler.issuer.catalog_input import AchievementInput, ResultDescriptionInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.storage.tables_cohort import CohortJob

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"problem": "Line 4, column email: this is not an email address.",
           "issue": "Issue only the valid lines (2)", "done": "Finished",
           "progress": "2 of 2 lines done: 2 issued, 0 not issued."},
    "es": {"problem": "Línea 4, columna email: esto no es una dirección de correo electrónico.",
           "issue": "Emitir solo las líneas válidas (2)", "done": "Terminado",
           "progress": "2 de 2 líneas procesadas: 2 emitidas, 0 sin emitir."},
}


def _achievement(engine, org_id: str, base_url: str, now) -> str:
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault("unused"))
    with storage_db.make_sessionmaker(engine)() as db:
        row = catalog.create_achievement(db, config=config, org_id=org_id, now=now, data=AchievementInput(
            name="Forklift safety", description="Drives a forklift safely.", criteria="Pass.",
            result_descriptions=[ResultDescriptionInput(name="grade", result_type="LetterGrade",
                                                        allowed_values="A,B,C")]))
        db.commit()
        return row.id


@pytest.mark.parametrize("language", ["en", "es"])
def test_upload_report_issue_valid_rows_progress_done(language, page, a11y, accounts, web,
                                                      base_url, clock):
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    achievement_id = _achievement(accounts.engine, org_id, base_url, clock())
    page.goto("/sign-in")
    page.fill("#field-email", "owner@college.example")
    page.fill("#field-password", web.password)
    page.locator("form[action='/sign-in'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"/language/{language}?next=/orgs/{org_id}/cohorts")
    assert page.locator("html").get_attribute("lang") == language
    a11y.accessible(page, "cohort upload")
    content = (f"email,achievement,result:grade,row_id\n"
               f"ana@example.com,{achievement_id},A,1\n"
               f"ben@example.com,{achievement_id},B,2\n"
               f"not-an-email,{achievement_id},C,3\n").encode()
    page.set_input_files("#field-file", files=[
        {"name": "cohort.csv", "mimeType": "text/csv", "buffer": content}])
    page.locator(f"form[action='/orgs/{org_id}/cohorts'] button[type=submit]").click()
    expect(page.locator("#problem-list")).to_contain_text(TEXT[language]["problem"])
    a11y.accessible(page, "cohort report")
    a11y.no_horizontal_scroll(page, "cohort report")
    page.get_by_role("button", name=TEXT[language]["issue"]).click()
    expect(page.locator("#job-progress")).to_be_visible()
    expect(page.locator("#job-status")).to_have_text(TEXT[language]["done"], timeout=20_000)
    expect(page.locator("#progress-text")).to_have_text(TEXT[language]["progress"])
    assert page.locator("#job-progress").get_attribute("value") == "2"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert "ana@example.com" in page.content() and "not-an-email" not in page.content()
    a11y.accessible(page, "cohort done")


def test_running_page_refreshes_itself_and_can_be_told_to_stop(page, a11y, accounts, web,
                                                               base_url, clock):

    from openler.issuer.cohort import jobs

    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    achievement_id = _achievement(accounts.engine, org_id, base_url, clock())
    content = f"email,achievement\nana@example.com,{achievement_id}\n".encode()
    with storage_db.make_sessionmaker(accounts.engine)() as db:
        checked = jobs.check(db, org_id=org_id, content=content)
        job = jobs.create_job(db, org_id=org_id, user_id=None, filename="c.csv",
                              content=content, checked=checked, now=clock())
        job.status = "queued"  # waiting for a worker: the page keeps refreshing
        db.commit()
        job_id = job.id
        url = f"/orgs/{org_id}/cohorts/{job_id}"
    page.goto("/sign-in")
    page.fill("#field-email", "owner@college.example")
    page.fill("#field-password", web.password)
    page.locator("form[action='/sign-in'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(url)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert page.locator("#job-progress").get_attribute("value") == "0"
    # The page's script updates the bar in place once the counts move.
    with storage_db.make_sessionmaker(accounts.engine)() as db:
        row = db.get(CohortJob, job_id)
        row.issued_count = 1
        db.commit()
    page.wait_for_function(
        "document.querySelector('#job-progress').value === 1", timeout=10_000)
    assert "1 of 1" in page.locator("#progress-text").inner_text()
    a11y.accessible(page, "cohort progress")
