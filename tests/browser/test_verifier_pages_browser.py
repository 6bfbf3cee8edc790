"""Verifier pages in a real Chromium: checking a record (paste, upload) and the report, and the
trust registry (add, import with a per-entry report); axe-core 0 violations in English and
Spanish on every page and state, no horizontal scrolling at 360 px, and a keyboard-only run
from the form to the technical details."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from journeys import sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verifier"))
from report_material import Party, credential, presentation, registry_file  # noqa: E402

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es"]
OWNER = "hr@acme.example"


@pytest.fixture
def employer(accounts) -> str:
    return accounts.org_owner(OWNER, "Acme Hiring", kind="employer")[1]


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"form[action$='{form}'] button[type=submit]").click()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", [1280, 360])
def test_verifier_pages_are_accessible(new_page, a11y, web, employer, language, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)
    issuer, learner = Party(), Party()

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}, {width}px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, {width}px]")

    page.goto(f"/orgs/{employer}/verify")
    check("verify form")
    _submit(page, "/verify")
    assert page.locator("[data-error-summary] a[href='#field-text']").count() == 1
    check("verify form with an error")
    tampered = dict(credential(issuer), name="Changed")
    page.fill("#field-text", json.dumps(tampered))
    _submit(page, "/verify")
    assert page.locator(".vr-state.vr-not_verified").count() == 1
    page.locator("details summary").first.click()
    check("report: tampered")
    vp = presentation(learner, [credential(issuer, subject=learner.did)])
    page.goto(f"/orgs/{employer}/verify")
    page.set_input_files("#field-file", files=[{
        "name": "vp.json", "mimeType": "application/json",
        "buffer": json.dumps(vp).encode()}])
    _submit(page, "/verify")
    assert page.locator(".vr-state.vr-warning").count() == 1
    check("report: presentation from an unknown issuer")

    page.goto(f"/orgs/{employer}/trust")
    check("trust page, empty")
    page.fill("#field-did", "not a did")
    _submit(page, "/trust/issuers")
    assert page.locator("[data-error-summary] a[href='#field-did']").count() == 1
    check("trust page with errors")
    page.goto(f"/orgs/{employer}/trust")
    page.fill("#field-registry_name", "DCC Sandbox")
    page.set_input_files("#field-registry_file", files=[{
        "name": "registry.json", "mimeType": "application/json",
        "buffer": registry_file({issuer.did: {"name": "Example University",
                                              "location": "Cambridge, MA, USA"},
                                 "oops": {"name": "Broken"}})}])
    _submit(page, "/trust/import")
    assert page.locator(".import-report code", has_text="oops").count() == 1
    check("trust page after an import")
    page.goto(f"/orgs/{employer}/verify")
    page.set_input_files("#field-file", files=[{
        "name": "vp.json", "mimeType": "application/json",
        "buffer": json.dumps(vp).encode()}])
    _submit(page, "/verify")
    assert page.locator(".vr-state.vr-verified").count() == 1
    assert "DCC Sandbox" in page.locator("main").inner_text()
    check("report: verified, issuer vouched for by a registry")


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"could not reach {selector} with the keyboard")


def test_keyboard_only_check_and_details(new_page, web, employer):
    page = new_page()
    sign_in(page, OWNER, web.password)
    page.goto(f"/orgs/{employer}/verify")
    _tab_to(page, "#field-text")
    page.keyboard.insert_text(json.dumps(credential(Party())))
    _tab_to(page, "form[action$='/verify'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".vr-state").count() == 1
    _tab_to(page, "details summary")
    page.keyboard.press("Enter")
    assert page.locator("details").first.get_attribute("open") is not None
    page.goto(f"/orgs/{employer}/trust")
    _tab_to(page, "#field-did")
    page.keyboard.insert_text("did:web:college.example")
    _tab_to(page, "#field-name")
    page.keyboard.insert_text("Example College")
    _tab_to(page, "form[action$='/trust/issuers'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "did:web:college.example" in page.locator("table").inner_text()
    _tab_to(page, "form[action*='/trust/issuers/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table").count() == 0
