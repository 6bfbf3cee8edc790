"""Selective disclosure in a real Chromium, in English and in Spanish: the learner picks
records from two issuers and her own self-reported one, chooses with the keyboard alone which
details of an SD-JWT record to share (none is ticked at first), shares the presentation, and
an employer in another browser context sees only those details, checked, with the
self-reported record marked in words. The print form is there too. axe-core finds no
violations on any of these pages, at 360 px."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from journeys import sign_in

from disclosure_material import SECRET_VALUES, sd_jwt_record, self_reported_record
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import service
from openler.wallet.crypto import MasterKey

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
WORDS = {
    "en": {"genuine": "Checked just now: genuine.", "birth": "Date of birth",
           "hidden": "Hidden:", "self": "Self-reported",
           "why": "Added by the person sharing it, not checked by any organization.",
           "part": "Shared in part", "print": "Printed copy"},
    "es": {"genuine": "Comprobado ahora mismo: auténtica.", "birth": "Fecha de nacimiento",
           "hidden": "Oculto:", "self": "Autodeclarado",
           "why": "Lo agregó la persona que lo comparte; ninguna organización lo ha comprobado.",
           "part": "Compartido en parte", "print": "Copia impresa"},
}


@pytest.fixture
def records(accounts, clean_db, base_url):
    """learner@example.org holds a Data Integrity record, an SD-JWT VC and her own record."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test."))
        row = awards.award(s, config=issuer, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        new = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now)
        s.commit()
        di = service.receive_from_claim(s, config=wallet, user_id=learner_id, token=new.token,
                                        now=now)
        service.accept(s, config=wallet, user_id=learner_id, record_id=di.id, now=now)
        sd = sd_jwt_record(s, config=wallet, user_id=learner_id, now=now)
        own = self_reported_record(s, config=wallet, user_id=learner_id, now=now)
        s.commit()
        return {"di": di.id, "sd": sd.id, "own": own.id}


def _active_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name || ''")


@pytest.mark.parametrize("language", ["en", "es"])
def test_pick_details_by_keyboard_and_employer_sees_only_them(new_page, a11y, web, records,
                                                               language):
    words = WORDS[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)

    def check(p, label: str) -> None:
        assert p.locator("html").get_attribute("lang") == language
        a11y.accessible(p, f"{label} [{language}]")
        a11y.no_horizontal_scroll(p, f"{label} [{language}]")

    page.goto("/wallet/presentations/new")
    check(page, "new presentation with details to choose")
    sd = records["sd"]
    boxes = page.locator(f"input[name^='claim-{sd}-']")
    assert boxes.count() == 5 and all(not boxes.nth(i).is_checked() for i in range(5))
    assert words["birth"] in page.locator("main").inner_text()

    page.locator("#field-name").focus()
    page.keyboard.type("Port jobs")
    page.locator(f"input[name='record-{records['di']}']").focus()
    page.keyboard.press("Space")
    page.locator(f"input[name='record-{sd}']").focus()
    page.keyboard.press("Space")
    seen = []
    for _ in range(5):  # birthdate, email, family_name, given_name, grade
        page.keyboard.press("Tab")
        seen.append(_active_name(page))
        if seen[-1].endswith(("-given_name", "-grade")):
            page.keyboard.press("Space")
    assert [name.rsplit("-", 1)[1] for name in seen] == [
        "birthdate", "email", "family_name", "given_name", "grade"]
    page.locator(f"input[name='record-{records['own']}']").focus()
    page.keyboard.press("Space")
    page.locator("form[action='/wallet/presentations/new'] button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/wallet/presentations/[0-9a-f]{32}$"))
    main = page.locator("main").inner_text()
    assert words["hidden"] in main and words["birth"] in main.split(words["hidden"], 1)[1]
    check(page, "presentation with a record shared in part")

    page.locator("main a[href$='/share']").click()
    check(page, "share form listing what is shared")
    page.fill("#field-audience", "Port HR")
    page.fill("#field-purpose", "Forklift driver job")
    page.locator("form[action$='/share'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/wallet/shares/[0-9a-f]{32}$"))
    link = re.search(r"https?://\S+/s/[A-Za-z0-9_-]+", page.locator("main").inner_text()).group(0)

    viewer = new_page()
    viewer.goto(f"/language/{language}?next=/")
    assert viewer.goto(link).status == 200
    shown = viewer.locator("main").inner_text()
    assert "Forklift Safety" in shown and "Forklift Operator Licence" in shown
    assert "Distinction" in shown and "Ana" in shown and words["part"] in shown
    for name in ("birthdate", "email"):
        assert SECRET_VALUES[name] not in viewer.content()
    assert words["self"] in shown and words["why"] in shown
    outline = viewer.locator("section.self-reported-item").evaluate(
        "e => getComputedStyle(e).borderLeftStyle")
    assert outline == "dashed"
    check(viewer, "shared records, some in part, as the viewer")

    page.goto(f"/wallet/records/{records['di']}/print")
    assert page.locator("#field-audience").input_value() == words["print"]
    check(page, "print form")
