"""Acceptance journey of a new learner (issue 5), in Spanish, from the keyboard alone, in a
real Chromium over the live app.

A newcomer opens a claim link from Forklift Academy (an organization on this instance),
creates a learner account, and adds the record to the wallet; imports a credential
signed by an issuer on no OpenLER instance (pasted); adds a self-reported volunteering
entry; puts all three into one presentation; shares it with Acme Hiring for 30 days.
An employer opens the link in a second browser context and sees the three records
checked, the self-reported one marked as such. The learner sees the opening logged,
stops the share, and the link refuses. axe-core runs on every page visited.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from wallet_import_samples import OtherIssuer

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
LEARNER = {"name": "Lucía Fernández", "email": "lucia@example.org",
           "password": "barcos en el puerto al alba"}
RECORD_PATH = re.compile(r".*/wallet/records/[0-9a-f]{32}$")
GENUINE = "Comprobado: este registro es auténtico."


def _tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching ``selector`` has focus (fails if unreachable)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def _type(page, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.type(text)


def _press_enter_and_wait(page, selector: str, url=None) -> None:
    """Tab to a link or button and press Enter, waiting for the next page."""
    _tab_to(page, selector)
    if url is None:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation(url=url):
            page.keyboard.press("Enter")


def _from_top(page) -> None:
    """Start the next Tab walk from the top of the page, as after loading it."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("body").focus()


@pytest.fixture
def claim_path(accounts, clean_db, base_url):
    """Forklift Academy awards a course with an ESCO skill to lucia@example.org."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=now,
            data=AchievementInput(
                name="Forklift Safety", description="Operates forklifts safely.",
                criteria="Passed the practical test.",
                alignments=[AlignmentInput(target_name="Operate forklift",
                                           target_url="http://data.europa.eu/esco/skill/forklift",
                                           target_framework="ESCO", target_code="S8.2")]))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email=LEARNER["email"], now=now)
        new = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now)
        s.commit()
        return new.path


def test_new_learner_in_spanish_keyboard_only(new_page, a11y, claim_path):
    page = new_page(viewport={"width": 1024, "height": 900})
    visited: list[str] = []

    def check(p, label: str) -> None:
        assert p.locator("html").get_attribute("lang") == "es", label
        a11y.accessible(p, label)
        visited.append(label)

    page.goto("/language/es?next=/")

    # 1. The claim link from the e-mail; a new learner account; the record into the wallet.
    page.goto(claim_path)
    check(page, "claim page, signed out")
    _press_enter_and_wait(page, "main a[href^='/wallet/sign-up?next=']")
    check(page, "learner sign-up")
    _type(page, "#field-name", LEARNER["name"])
    _type(page, "#field-email", LEARNER["email"])
    _type(page, "#field-password", LEARNER["password"])
    _press_enter_and_wait(page, "form[action='/wallet/sign-up'] button[type=submit]",
                          re.compile(rf".*{re.escape(claim_path)}$"))
    check(page, "claim page, signed in")
    _press_enter_and_wait(page, "main form[action$='/openler-wallet'] button", RECORD_PATH)
    assert GENUINE in page.locator("main").inner_text()
    check(page, "claimed record on arrival")
    _press_enter_and_wait(page, "form[action$='/accept'] button[type=submit]")
    assert "El registro está en su cartera." in page.locator("main").inner_text()
    check(page, "claimed record kept")

    # 2. A credential from an issuer on no OpenLER instance, pasted into the import page.
    other = OtherIssuer("Harbour Skills Institute")
    pasted = json.dumps(other.ldp(name="Marine Electrics", skill="Wire a boat"))
    _from_top(page)
    _press_enter_and_wait(page, "main a[href='/wallet/import']")
    check(page, "import page")
    _tab_to(page, "#field-text")
    page.keyboard.insert_text(pasted)  # what a paste from the clipboard does
    _press_enter_and_wait(page, "form[action='/wallet/import'] button[type=submit]",
                          RECORD_PATH)
    main = page.locator("main").inner_text()
    assert GENUINE in main and "Harbour Skills Institute" in main
    check(page, "imported record on arrival")
    _press_enter_and_wait(page, "form[action$='/accept'] button[type=submit]")
    check(page, "imported record kept")

    # 3. Self-reported volunteering.
    _from_top(page)
    _press_enter_and_wait(page, "main a[href='/wallet/self-reported/new']")
    check(page, "self-reported form")
    _tab_to(page, "#field-kind")
    page.keyboard.press("Space")  # the first kind: volunteering
    _type(page, "#field-title", "Voluntaria en el banco de alimentos")
    _type(page, "#field-description", "Clasifiqué donaciones y organicé el turno del sábado.")
    _type(page, "#field-start", "2025-01-10")
    _type(page, "#field-skills", "Trabajo en equipo, Logística")
    _press_enter_and_wait(page, "form[action='/wallet/self-reported/new'] button[type=submit]",
                          RECORD_PATH)
    main = page.locator("main").inner_text()
    assert "Voluntaria en el banco de alimentos" in main and "Autodeclarado" in main
    check(page, "self-reported record")

    # 4. One presentation of all three records.
    _from_top(page)
    _press_enter_and_wait(page, "main a[href='/wallet/presentations']")
    check(page, "presentations")
    _press_enter_and_wait(page, "main a[href='/wallet/presentations/new']")
    check(page, "new presentation")
    _type(page, "#field-name", "Solicitud de empleo en Acme")
    boxes = page.locator("form[action='/wallet/presentations/new'] input[name^='record-']")
    assert boxes.count() == 3
    for index in range(3):
        box_id = boxes.nth(index).get_attribute("id")
        _tab_to(page, f"#{box_id}")
        page.keyboard.press("Space")
        assert boxes.nth(index).is_checked()
    _press_enter_and_wait(page, "form[action='/wallet/presentations/new'] button[type=submit]",
                          re.compile(r".*/wallet/presentations/[0-9a-f]{32}$"))
    main = page.locator("main").inner_text()
    for name in ("Forklift Safety", "Marine Electrics", "Voluntaria en el banco de alimentos"):
        assert name in main
    check(page, "presentation")

    # 5. Share it with Acme Hiring, for 30 days.
    _from_top(page)
    _press_enter_and_wait(page, "main a[href$='/share']")
    check(page, "share form")
    _type(page, "#field-audience", "Acme Hiring")
    _type(page, "#field-purpose", "Puesto de operaria de carretilla")
    thirty = page.locator("input[name='expiry'][value='30']")
    if not thirty.is_checked():  # 30 days is the default; choose it with the arrows if not
        _tab_to(page, "input[name='expiry']:checked, input[name='expiry']")
        for _ in range(4):
            if thirty.is_checked():
                break
            page.keyboard.press("ArrowDown")
    assert thirty.is_checked()
    _press_enter_and_wait(page, "form[action$='/share'] button[type=submit]",
                          re.compile(r".*/wallet/shares/[0-9a-f]{32}$"))
    main = page.locator("main").inner_text()
    link = re.search(r"https?://\S+/s/[A-Za-z0-9_-]+", main).group(0)
    check(page, "share page")

    # 6. The employer opens the link in a second browser context.
    employer = new_page()
    employer.goto("/language/es?next=/")
    response = employer.goto(link)
    assert response.status == 200
    shown = employer.locator("main").inner_text()
    for name in ("Forklift Safety", "Marine Electrics", "Voluntaria en el banco de alimentos",
                 "Acme Hiring", "Autodeclarado"):
        assert name in shown, name
    assert employer.locator("main .provenance.self").count() >= 1
    check(employer, "shared presentation, as the employer")

    # 7. The learner sees the opening logged, then stops the share.
    page.reload()
    assert "Acme Hiring vio esto el" in page.locator("main").inner_text()
    _press_enter_and_wait(page, "form[action$='/stop'] button[type=submit]")
    assert "Se dejó de compartir." in page.locator("main").inner_text()
    check(page, "share page, stopped")

    refused = employer.goto(link)
    assert refused.status == 410
    text = employer.locator("main").inner_text()
    assert "Este enlace ya no funciona" in text
    for name in ("Forklift Safety", "Marine Electrics", "Voluntaria"):
        assert name not in text
    check(employer, "stopped link, as the employer")
    assert len(visited) == len(set(visited)) == 18  # every page of the journey checked
