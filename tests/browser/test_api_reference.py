"""The API reference at /docs in Chromium: axe-core (WCAG 2.0-2.2 A/AA) finds nothing in
English or Spanish, at desktop and phone width; the table of contents works from the
keyboard; the page reads the same with JavaScript off and loads nothing from outside."""

from __future__ import annotations

import pytest
from journeys import sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def _open_docs(page, language: str) -> None:
    page.goto(f"/language/{language}?next=/docs")
    assert page.url.endswith("/docs")
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["visitor", "registrar@riverside.example"])
def test_reference_has_no_axe_violations(new_page, a11y, demo, base_url, who, language):
    page = new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    if who in demo:
        sign_in(page, who, demo[who].password)
    _open_docs(page, language)
    assert page.locator("section.api-op").count() >= 10
    a11y.accessible(page, f"/docs [{language}]")
    a11y.no_horizontal_scroll(page, f"/docs [{language}]")
    assert not [u for u in outside if not u.startswith("data:")], outside


@pytest.mark.parametrize("language", ["en", "es"])
def test_reference_reflows_on_a_phone(new_page, a11y, language):
    page = new_page(**PHONE)
    _open_docs(page, language)
    a11y.no_horizontal_scroll(page, f"/docs [{language}, phone]")
    a11y.accessible(page, f"/docs [{language}, phone]")
    # Examples wider than the screen scroll inside their own focusable box.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('pre.api-example')]
              .filter(el => el.scrollWidth > el.clientWidth)
              .map(el => [el.tabIndex, el.getAttribute('aria-label')])"""
    )
    assert wide, "at 360 px some example should need to scroll"
    assert all(index == 0 and label for index, label in wide), wide


def test_contents_links_move_focus_to_the_section(page):
    _open_docs(page, "en")
    toc_links = page.locator("nav.api-toc a[href^='#post-'], nav.api-toc a[href^='#get-']")
    assert toc_links.count() >= 10
    # Reach the link from the keyboard alone: Tab until it has focus.
    target = "#post-credentials-verify"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href')") == target:
            break
    else:
        pytest.fail(f"Tab never reached the contents link {target}")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#post-credentials-verify'")
    assert page.evaluate("() => document.activeElement.id") == "post-credentials-verify"
    top = page.evaluate(
        "() => document.getElementById('post-credentials-verify').getBoundingClientRect().top"
    )
    assert -1 <= top < 100, top  # scrolled to the section
    # The next Tab continues inside that section: its first example, then onwards.
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "() => document.getElementById('post-credentials-verify').contains(document.activeElement)"
    )
    assert inside
    assert page.evaluate("() => document.activeElement.tagName") == "PRE"
    # Arrow keys scroll the focused example (keyboard access to overflowing code).
    assert page.evaluate("() => document.activeElement.scrollHeight > document.activeElement.clientHeight")
    page.keyboard.press("PageDown")
    page.wait_for_function("() => document.activeElement.scrollTop > 0")
    # "Back to contents" returns focus to the contents heading.
    page.locator("#post-credentials-verify .api-back a").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'api-contents'")


def test_reference_reads_the_same_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    _open_docs(page, "es")
    assert page.locator("h1").inner_text() == "Referencia de la API"
    assert page.get_by_text("/credentials/verify", exact=True).count() >= 2
    assert page.get_by_text("/sign-in", exact=True).count() == 0  # pages are not API
    page.locator("nav.api-toc a[href='#post-credentials-issue']").click()
    assert page.evaluate("() => document.activeElement.id") == "post-credentials-issue"
