"""Steps shared by the browser journeys: signing in and finding the member's organization."""

from __future__ import annotations

import re

HOME = re.compile(r"^http://[^/]+/$")


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the real form and wait for the home page."""
    page.goto("/sign-in")
    page.fill("#field-email", email)
    page.fill("#field-password", password)
    with page.expect_navigation(url=HOME):
        page.locator("form[action='/sign-in'] button[type=submit]").click()


def org_path(page) -> str:
    """The first organization page linked from the signed-in member's home page."""
    page.goto("/")
    return page.locator("main a[href^='/orgs/']").first.get_attribute("href")
