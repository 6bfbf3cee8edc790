"""Playwright over Debian's Chromium, axe-core checks, and failure screenshots.

Browser tests never skip: without Chromium they fail with a clear message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's 'chromium' package "
            "(sudo apt-get install chromium) or run `make setup`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def base_url(live_server) -> str:
    # "localhost" (not 127.0.0.1) so WebAuthn accepts it as a relying party id.
    return f"http://localhost:{live_server.port}"


@pytest.fixture
def new_page(chromium, base_url, request, clean_db):
    """Open pages in fresh browser contexts; screenshot every open page if the test fails."""
    contexts = []

    def _open(**context_options):
        options = {
            "base_url": base_url,
            "viewport": {"width": 1280, "height": 900},
            **context_options,
        }
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, context in enumerate(contexts):
        if failed:
            OUTPUT.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            for n, page in enumerate(context.pages):
                page.screenshot(path=str(OUTPUT / f"{name}-{index}-{n}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page, label: str = "") -> None:
    """Run axe-core with the WCAG 2.x A/AA tags and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} :: "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:5]
        )
        for v in violations
    )
    assert not violations, f"axe violations on {label or page.url}:\n{details}"


def assert_no_horizontal_scroll(page, label: str = "") -> None:
    """The page reflows: nothing wider than the viewport."""
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling on {label or page.url}: {widths}"


@pytest.fixture
def a11y():
    class Checks:
        accessible = staticmethod(assert_accessible)
        no_horizontal_scroll = staticmethod(assert_no_horizontal_scroll)

    return Checks


@pytest.fixture
def demo(db, clock):
    """The `openler serve --demo` data set, loaded into the test database."""
    from openler.demo import DEMO_USERS, load_demo

    load_demo(db, now=clock())
    db.commit()
    return {user.email: user for user in DEMO_USERS}
