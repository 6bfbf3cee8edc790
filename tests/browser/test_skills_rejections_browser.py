"""The page of skills an organization marked "Not relevant", in a real Chromium (issue 7,
item 2): reached from the organization page and from the achievement form, keyboard only,
also without JavaScript; "Suggest it again" takes an answer back; axe-core 0 violations at 360
and 1280 px, in English and Spanish, with items and empty."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from journeys import sign_in

from openler.skills_service import suggestions as service
from openler.storage import db as storage_db
from skill_engines import small_catalogue

pytestmark = pytest.mark.browser
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
OWNER = "owner@harbour.example"
WORDS = {"en": {"title": "Skills you marked as not relevant", "again": "Suggest it again",
                "done": "The skill can be suggested again.", "empty": "Nothing is marked"},
         "es": {"title": "Competencias que marcó como no pertinentes",
                "again": "Sugerirla de nuevo",
                "done": "La competencia puede volver a sugerirse.",
                "empty": "No hay nada marcado"}}


def _tab_to(page, selector: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def _follow(page, selector: str) -> None:
    _tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [360, 1280])
def test_review_and_undo_rejections(new_page, a11y, accounts, web, clean_db, language, width):
    words = WORDS[language]
    owner, org = accounts.org_owner(OWNER, "Harbour Training")
    skills = [s for s in small_catalogue() if s.uri][:2]
    with storage_db.make_sessionmaker(clean_db)() as s:
        for n, skill in enumerate(skills):
            service.reject(s, org_id=org, skill_uri=skill.uri, label=skill.label,
                           context="achievement" if n == 0 else "role", user_id=owner,
                           now=NOW.replace(minute=n))
        s.commit()
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}, {width} px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, {width} px]")

    page.goto(f"/orgs/{org}")
    _follow(page, f"a[href='/orgs/{org}/skills/rejections']")
    assert page.locator("h1").inner_text() == words["title"]
    for skill in skills:
        assert page.locator(f".rejections a[href='{skill.uri}']").inner_text() == skill.label
    check("rejections listed")

    newest = skills[1]
    _follow(page, ".rejections li:first-child button")
    assert words["done"] in page.locator(".notice").inner_text()
    assert page.locator(f".rejections a[href='{newest.uri}']").count() == 0
    assert page.locator(".rejections li").count() == 1
    check("one rejection taken back")

    # Without JavaScript: Enter on the last "Suggest it again" posts the form all the same.
    plain = new_page(java_script_enabled=False, viewport={"width": width, "height": 800})
    plain.goto(f"/language/{language}?next=/")
    sign_in(plain, OWNER, web.password)
    plain.goto(f"/orgs/{org}/skills/rejections")
    with plain.expect_navigation():
        plain.locator(".rejections li:first-child button").press("Enter")
    assert words["done"] in plain.locator(".notice").inner_text()
    assert words["empty"] in plain.locator(".rej-empty").inner_text()

    page.reload()
    assert words["empty"] in page.locator(".rej-empty").inner_text()
    check("empty")

    # The achievement form's suggestion panel links here too.
    page.goto(f"/orgs/{org}/catalog/new")
    _follow(page, f".skill-suggestions a[href='/orgs/{org}/skills/rejections']")
    assert page.locator("h1").inner_text() == words["title"]
