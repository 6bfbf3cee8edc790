"""The API reference at /docs renders offline in Chromium.

It is the Swagger UI 5 widget; axe-core finds colour-contrast, nested-interactive and
target-size problems inside the widget, so it is not yet an accessible page (recorded in
the issue note as open work: an accessible, server-rendered API reference)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_api_reference_renders_from_local_assets_only(page, base_url):
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    page.goto("/docs")
    page.wait_for_selector(".opblock-tag", timeout=15_000)  # Swagger UI drew the endpoints
    assert page.get_by_text("/credentials/verify", exact=True).count() >= 1
    assert page.get_attribute("html", "lang") == "en"
    assert not [u for u in outside if not u.startswith("data:")], outside
    assert page.get_by_text("/sign-in", exact=True).count() == 0  # pages are not API
