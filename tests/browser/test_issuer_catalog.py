"""Issuer catalog and award pages in a real Chromium: axe-core on every new page in
English and Spanish (forms, error summaries, lists), and the journey from a new
achievement with a skill alignment to a revoked award for the demo learner."""

from __future__ import annotations

import pytest
from journeys import org_path, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es"]
STAFF = "registrar@riverside.example"


def _create(page, org: str, name: str) -> str:
    page.goto(f"{org}/catalog/new")
    page.fill("#field-name", name)
    page.select_option("#field-achievement_type", "Course")
    page.fill("#field-description", "Sets up and reads an ECG.")
    page.fill("#field-criteria", "Record three clean ECG strips.")
    page.fill("#field-alignment_1_name", "Cardiovascular Technologists")
    page.fill("#field-alignment_1_url", "https://www.onetonline.org/link/summary/29-2031.00")
    page.fill("#field-alignment_1_framework", "O*NET-SOC")
    page.fill("#field-alignment_1_code", "29-2031.00")
    page.fill("#field-result_1_name", "Grade")
    page.select_option("#field-result_1_type", "LetterGrade")
    page.fill("#field-result_1_allowed", "A, B, C")
    page.locator("form[action$='/catalog/new'] button[type=submit]").click()
    page.wait_for_selector(f"h1:has-text('{name}')")
    return page.url


@pytest.mark.parametrize("language", LANGUAGES)
def test_issuer_pages_are_accessible(new_page, a11y, demo, language):
    page = new_page()
    page.goto(f"/language/{language}?next=/")
    sign_in(page, STAFF, demo[STAFF].password)
    org = org_path(page)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto(f"{org}/catalog")
    check("catalog")
    page.goto(f"{org}/catalog/new")
    check("new achievement form")
    page.locator("form[action$='/catalog/new'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.title().startswith("Error: ")
    assert page.locator("[data-error-summary] a[href='#field-name']").count() == 1
    check("new achievement form with errors")
    detail = _create(page, org, "ECG Basics")
    check("achievement detail")
    page.goto(f"{detail}/edit")
    check("edit form")
    page.fill("#field-name", "")
    page.locator("form[action$='/edit'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    check("edit form with errors")
    page.goto(f"{detail}/award")
    check("award form")
    page.locator("form[action$='/award'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    check("award form with errors")
    page.fill("#field-recipient_email", "sam@learner.example")
    page.fill("#field-result_1", "A")
    page.locator("form[action$='/award'] button[type=submit]").click()
    page.wait_for_selector("table")
    check("awards list")
    page.goto(f"{org}/awards?learner=sam%40learner.example")
    check("one learner's awards")
    page.goto(f"{detail}")
    page.locator("form[action$='/retire'] button[type=submit]").click()
    page.wait_for_selector(".notice")
    check("retired achievement")
    page.goto(f"{org}/catalog")
    check("catalog with a retired achievement")


def test_journey_create_award_revoke(new_page, a11y, demo):
    page = new_page()
    sign_in(page, STAFF, demo[STAFF].password)
    org = org_path(page)
    page.goto(org)
    page.locator(f"main a[href='{org}/catalog']").click()
    page.locator(f"a[href='{org}/catalog/new']").click()
    detail = _create(page, org, "Phlebotomy Basics")
    assert "Cardiovascular Technologists" in page.content()
    page.locator("a[href$='/award']").click()
    page.fill("#field-recipient_email", "sam@learner.example")
    page.fill("#field-evidence_1_url", "https://portfolio.example/sam/ecg")
    page.locator("form[action$='/award'] button[type=submit]").click()
    row = page.locator("tr", has_text="sam@learner.example")
    row.wait_for()
    assert "Phlebotomy Basics" in row.inner_text()
    with page.expect_navigation():
        row.locator("form[action$='/revoke'] button").click()
    row = page.locator("tr", has_text="sam@learner.example")
    assert "Revoked" in row.inner_text()
    assert row.locator("form[action$='/revoke']").count() == 0
    a11y.accessible(page, "awards after revoking")
    version = page.request.get(f"{detail.replace('/catalog/', '/achievements/')}/v/1")
    assert version.json()["alignment"][0]["targetCode"] == "29-2031.00"
