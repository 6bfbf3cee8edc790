"""Pathways in a real Chromium with the `openler serve --demo` data: the demo learner opens
Pathways from the wallet menu, searches "nurse" with the plain GET form, opens Registered
Nurses and sees the skills shown, the skills to build and where to learn them; axe-core
finds no violations at 360 and 1280 px, in English and in Spanish, and the whole journey
also works with JavaScript switched off.

(Named ``..._browser`` because tests/web/test_wallet_pathways.py has the same base name.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from journeys import sign_in

from openler.demo import DEMO_USERS, ISSUER_NAME
from openler.demo_wallet import load_demo_wallet
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.wallet.crypto import MasterKey
from openler.wallet.service import WalletConfig

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
LEARNER = next(u for u in DEMO_USERS if u.role == "Learner")
WORDS = {
    "en": {"menu": "Pathways", "field": "Occupation or role", "search": "Search",
           "h1": "Pathway to Registered Nurses",
           "headings": ["Skills you already show", "Skills to build", "Where to learn them"],
           "summary": "You already show 4 of 8 skills for this occupation.",
           "bar": "Bar: 4 of 8 skills shown (50%)"},
    "es": {"menu": "Itinerarios", "field": "Ocupación o función", "search": "Buscar",
           "h1": "Itinerario hacia Registered Nurses",
           "headings": ["Competencias que ya demuestra", "Competencias por desarrollar",
                        "Dónde aprenderlas"],
           "summary": "Ya demuestra 4 de 8 competencias para esta ocupación.",
           "bar": "Barra: 4 de 8 competencias demostradas (50 %)"},
}
WIDTHS = (360, 1280)


@pytest.fixture
def demo_wallet(demo, db, clock, base_url):
    """The demo data set with the learner's wallet filled, as `openler serve --demo` does."""
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    load_demo_wallet(db, config=WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer),
                     learner_email=LEARNER.email, issuer_name=ISSUER_NAME,
                     now=datetime.now(UTC))
    db.commit()
    return demo


def _journey(page, words: dict) -> None:
    """From the wallet menu to the nurse pathway, with clicks and the GET form only."""
    page.goto("/wallet")
    page.get_by_role("navigation", name="Wallet" if words["menu"] == "Pathways" else "Cartera") \
        .get_by_role("link", name=words["menu"]).click()
    page.get_by_role("searchbox", name=words["field"]).fill("nurse")
    page.get_by_role("button", name=words["search"]).click()
    assert "q=nurse" in page.url
    page.get_by_role("link", name="Registered Nurses").click()
    assert page.locator("h1").inner_text() == words["h1"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_pathway_journey_is_accessible_at_360_and_1280(new_page, a11y, demo_wallet, language):
    words = WORDS[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, LEARNER.email, LEARNER.password)
    _journey(page, words)
    pathway = page.url
    assert [h.inner_text() for h in page.locator("main h2").all()][1:4] == words["headings"]
    assert page.locator("#summary-text").inner_text() == words["summary"]
    assert page.get_by_role("img", name=words["bar"]).count() == 1
    assert page.locator(".pathway-summary").count() == 1  # the bar's table alternative
    learn = page.locator("section[aria-labelledby='learn-title']")
    taught = learn.locator(".skill-name")
    assert taught.filter(has_text="Clinical Judgment and Patient Safety").count() == 2
    assert taught.filter(has_text="Spreadsheets for the Workplace").count() == 1
    search = pathway.rsplit("/", 1)[0] + "?q=nurse"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in (search, pathway):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            label = f"{path} [{language}, {width}px]"
            a11y.accessible(page, label)
            a11y.no_horizontal_scroll(page, label)


def test_pathway_journey_works_without_javascript(new_page, demo_wallet):
    page = new_page(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    sign_in(page, LEARNER.email, LEARNER.password)
    _journey(page, WORDS["en"])
    shown = page.locator("section[aria-labelledby='shown-title']")
    assert shown.locator(".skill-name", has_text="Active Listening").count() == 1
    assert shown.get_by_role("link", name="Workplace Communication").count() >= 1
    build = page.locator("section[aria-labelledby='build-title']")
    assert build.locator(".skill-name", has_text="Critical Thinking").count() == 1
