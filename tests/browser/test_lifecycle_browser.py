"""Credential lifecycle, dashboard and audit log in a real Chromium: axe-core (0
violations) in English and Spanish, and the journey of revoking with a private reason
and reissuing with a new name."""

from __future__ import annotations

import pytest
from journeys import org_path, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es"]
OWNER = "registrar@riverside.example"
REASON = "Exam irregularity, file 42"


def _award(page, org: str, email: str) -> None:
    page.goto(f"{org}/catalog")
    detail = page.locator(f"main a[href^='{org}/catalog/']:not([href$='/new'])").first
    page.goto(detail.get_attribute("href") + "/award")
    page.fill("#field-recipient_email", email)
    with page.expect_navigation():
        page.locator("form[action$='/award'] button[type=submit]").click()


def _manage(page, org: str, email: str) -> None:
    page.goto(f"{org}/awards?learner={email}")
    with page.expect_navigation():
        page.locator("tr", has_text=email).locator("a[href$='/life']").first.click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_lifecycle_pages_are_accessible(new_page, a11y, demo, language):
    page = new_page()
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, demo[OWNER].password)
    org = org_path(page)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto(f"{org}/dashboard")
    check("empty dashboard")
    for n in range(6):
        _award(page, org, f"learner{n}@school.example")
    _manage(page, org, "learner0@school.example")
    check("credential page")
    page.locator("form[action$='/life/revoke'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.locator("[data-error-summary] a[href='#field-reason']").count() == 1
    check("credential page with errors")
    page.fill("#field-reason", REASON)
    with page.expect_navigation():
        page.locator("form[action$='/life/revoke'] button[type=submit]").click()
    check("revoked credential page")
    page.goto(f"{org}/dashboard")
    svg = page.locator("svg[role='img']").first
    assert svg.get_attribute("aria-labelledby")
    labels = svg.locator("text").all_text_contents()
    assert "6" in labels  # six learners were issued one this month: shown
    assert labels.count("0") + labels.count("6") == len(labels) // 2 - 1  # one suppressed bar
    assert {"en": "fewer than 5", "es": "menos de 5"}[language] in labels  # one revoked
    page.locator("details summary").first.click()
    check("dashboard")
    page.goto(f"{org}/audit")
    assert REASON in page.content()
    check("audit log")
    page.goto(f"{org}/audit?since=soon")
    assert page.locator("[data-error-summary] a[href='#field-since']").count() == 1
    check("audit log with a filter error")


def test_journey_revoke_with_reason_and_reissue_with_new_name(new_page, a11y, demo):
    page = new_page()
    sign_in(page, OWNER, demo[OWNER].password)
    org = org_path(page)
    page.goto(org)
    assert page.locator(f"main a[href='{org}/dashboard']").count() == 1
    assert page.locator(f"main a[href='{org}/audit']").count() == 1
    _award(page, org, "sam@learner.example")
    _award(page, org, "kim@learner.example")
    _manage(page, org, "sam@learner.example")
    page.fill("#field-reason", REASON)
    with page.expect_navigation():
        page.locator("form[action$='/life/revoke'] button[type=submit]").click()
    assert "Revoked" in page.locator("#credential-status").inner_text()
    assert REASON not in page.content()

    _manage(page, org, "kim@learner.example")
    page.fill("#field-recipient_name", "Kim Old")
    with page.expect_navigation():
        page.locator("form[action$='/life/reissue'] button[type=submit]").click()
    assert "Kim Old" in page.content()
    page.fill("#field-recipient_name", "Kim New")
    with page.expect_navigation():
        page.locator("form[action$='/life/reissue'] button[type=submit]").click()
    assert "Kim New" in page.content()
    a11y.accessible(page, "reissued credential")
    with page.expect_navigation():
        page.locator("main a[href$='/life']", has_text="earlier credential").click()
    assert "Revoked" in page.locator("#credential-status").inner_text()
    assert "Kim Old" not in page.content() and "Kim New" not in page.content()
    page.goto(f"{org}/awards")
    assert "Kim Old" not in page.content()
    page.goto(f"{org}/audit?action=credential_revoked")
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert REASON in page.content() and "superseded" in page.content()
