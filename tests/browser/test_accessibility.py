"""axe-core (WCAG 2.0-2.2 A/AA) on every page, in English and Spanish, at desktop width,
at 360 px wide and at 200% zoom; keyboard focus; error summary behaviour."""

from __future__ import annotations

import pytest
from journeys import sign_in

pytestmark = pytest.mark.browser


LANGUAGES = ["en", "es"]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone-360": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    # A 1280 px window at 200% zoom lays out like a 640 CSS px viewport at scale 2.
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}


def _choose_language(page, language: str) -> None:
    page.goto(f"/language/{language}?next=/")
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_public_pages(new_page, a11y, language, viewport):
    page = new_page(**VIEWPORTS[viewport])
    _choose_language(page, language)
    for path in ("/", "/sign-in", "/sign-up", "/no-such-page"):
        page.goto(path)
        label = f"{path} [{language}, {viewport}]"
        assert page.locator("html").get_attribute("lang") == language
        a11y.no_horizontal_scroll(page, label)
        if viewport == "desktop":
            a11y.accessible(page, label)


def _member_paths(page) -> list[str]:
    """Home, account, and every organization and achievement page linked from them."""
    paths = ["/", "/account"]
    page.goto("/")
    orgs = [a.get_attribute("href") for a in page.locator("main a[href^='/orgs/']").all()]
    for org in orgs:
        paths.append(org)
        page.goto(org)
        paths += [
            a.get_attribute("href")
            for a in page.locator("main a[href*='/achievements/']").all()[:1]
        ]
    return paths


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    "who", ["registrar@riverside.example", "sam@learner.example", "hiring@harbor.example"]
)
def test_member_pages(new_page, a11y, demo, who, language, viewport):
    page = new_page(**VIEWPORTS[viewport])
    _choose_language(page, language)
    sign_in(page, who, demo[who].password)
    paths = _member_paths(page)
    if who.startswith("registrar"):
        assert any("/achievements/" in p for p in paths)
    for path in paths:
        page.goto(path)
        label = f"{path} as {who} [{language}, {viewport}]"
        assert page.locator("html").get_attribute("lang") == language
        a11y.no_horizontal_scroll(page, label)
        if viewport == "desktop":
            a11y.accessible(page, label)
        if viewport == "phone-360":
            _assert_target_sizes(page, label)


def _assert_target_sizes(page, label: str) -> None:
    """Controls that are not links inside a sentence are at least 24 x 24 CSS px."""
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              'header a, header button, button, input:not([type=hidden]), select, .button, .link-list a')]
            .filter(el => el.offsetParent !== null)
            .map(el => { const r = el.getBoundingClientRect();
                         return [el.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)]; })
            .filter(([, w, h]) => w < 24 || h < 24)"""
    )
    assert not small, f"targets under 24px on {label}: {small}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_summary_gets_focus_and_links_to_fields(page, a11y, language):
    _choose_language(page, language)
    page.goto("/sign-up")
    page.locator("form[action='/sign-up'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.title().startswith("Error: ")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    a11y.accessible(page, f"sign-up errors [{language}]")
    first_link = page.locator("[data-error-summary] a").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.evaluate("() => '#' + document.activeElement.id") == target
    described = page.locator(target).get_attribute("aria-describedby") or ""
    assert "error-" in described


@pytest.mark.parametrize("language", LANGUAGES)
def test_settings_errors_are_accessible(page, a11y, accounts, web, language):
    accounts.org_owner("owner@college.example", "Test College")
    _choose_language(page, language)
    sign_in(page, "owner@college.example", web.password)
    page.goto("/account")
    page.locator("form[action='/account/password'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    a11y.accessible(page, f"password errors [{language}]")
    org_link = page.locator("a[href^='/orgs/']").first
    org_link.click()
    page.locator("form[action$='/members'] button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    a11y.accessible(page, f"member errors [{language}]")


def test_skip_link_is_first_and_focus_is_visible(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.getAttribute('href')]"
    )
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # Every focused control shows a visible indicator (outline or box-shadow).
    page.goto("/sign-in")
    for _ in range(8):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
        )
        tag, outline_style, outline_width, shadow = style
        visible = (outline_style != "none" and outline_width != "0px") or shadow != "none"
        assert visible, f"no visible focus on {tag}: {style}"
