"""Journeys in a real Chromium: without JavaScript, with a passkey (virtual
authenticator), and a check that the accessibility checks can fail at all."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

HOME = re.compile(r"^http://[^/]+/$")


def test_axe_check_catches_a_real_violation(page, a11y):
    page.goto("/")
    page.evaluate(
        """() => { const i = document.createElement('input'); i.type = 'text';
                   document.querySelector('main').appendChild(i); }"""
    )
    with pytest.raises(AssertionError, match="label"):
        a11y.accessible(page)
    page.evaluate("() => document.body.style.minWidth = '2000px'")
    with pytest.raises(AssertionError, match="horizontal scrolling"):
        a11y.no_horizontal_scroll(page)


def test_sign_up_sign_out_sign_in_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/sign-up")
    page.fill("#field-name", "Noor Haddad")
    page.fill("#field-email", "noor@example.org")
    page.fill("#field-password", "a long passphrase")
    page.check("#field-account_kind")
    with page.expect_navigation(url=HOME):
        page.locator("form[action='/sign-up'] button[type=submit]").click()
    assert "Noor Haddad" in page.content()
    with page.expect_navigation(url=HOME):
        page.locator("form[action='/sign-out'] button").click()
    page.goto("/sign-in")
    assert page.locator("[data-passkey-signin]").is_hidden()
    page.fill("#field-email", "noor@example.org")
    page.fill("#field-password", "wrong password")
    page.locator("form[action='/sign-in'] button[type=submit]").click()
    assert page.title().startswith("Error: ")
    page.fill("#field-password", "a long passphrase")
    with page.expect_navigation(url=HOME):
        page.locator("form[action='/sign-in'] button[type=submit]").click()
    page.goto("/account")
    page.fill("#field-name", "Noor H.")
    page.select_option("#field-language", "es")
    page.locator("form[action='/account/profile'] button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Sus datos están guardados." in page.content()
    # (axe needs JavaScript, so this page is checked by the tests that have it.)


def test_passkey_register_and_sign_in(new_page, accounts, web):
    accounts.learner("pat@example.org", name="Pat")
    page = new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.goto("/sign-in")
    page.fill("#field-email", "pat@example.org")
    page.fill("#field-password", web.password)
    with page.expect_navigation(url=HOME):
        page.locator("form[action='/sign-in'] button[type=submit]").click()
    page.goto("/account")
    page.fill("#field-label", "Test laptop")
    page.click("[data-passkey-register-button]")
    page.wait_for_selector("text=Your passkey is added.")
    assert "Test laptop" in page.content()
    with page.expect_navigation(url=HOME):
        page.locator("form[action='/sign-out'] button").click()
    page.goto("/sign-in?next=/account")
    page.click("[data-passkey-signin-button]")
    page.wait_for_url(re.compile(r"^http://[^/]+/account$"))
    assert "pat@example.org" in page.content()
