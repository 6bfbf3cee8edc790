"""The skills profile in a real Chromium at 360 px, in English and in Spanish: the chart is an
image with a name and the table after it, the learner hides a skill and shows it again with
the keyboard only (no script needed), and axe-core finds no violations on any state.

(Named ``..._browser`` because tests/web/test_wallet_skills.py has the same base name, and
pytest's default import mode refuses two test modules with one name.)"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from journeys import sign_in
from sqlalchemy import select

from openler.issuer import awards, catalog
from openler.issuer import service as issuer_service
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.storage.tables import User
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.wallet.models import CheckReport

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
WORDS = {
    "en": {"title": "Your skills profile", "hidden": "The skill is hidden from your profile.",
           "back": "The skill is back in your profile.", "self": "Self-reported",
           "chart": "Bar chart: the number of records behind each skill"},
    "es": {"title": "Su perfil de habilidades",
           "hidden": "La habilidad quedó oculta en su perfil.",
           "back": "La habilidad vuelve a estar en su perfil.", "self": "Autodeclarado",
           "chart": "Gráfico de barras: el número de registros que respaldan cada habilidad"},
}
LONG = "Operate and maintain industrial refrigeration and air conditioning systems"


@pytest.fixture
def skilled(accounts, clean_db, base_url):
    """learner@example.org keeps a college record (two skills, one occupation) and one of
    their own that shares a skill by name."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test.", alignments=[
                AlignmentInput(target_name="Forklift driving",
                               target_url="https://skills.example.org/forklift",
                               target_framework="ESCO", target_code="S8.2"),
                AlignmentInput(target_name=LONG, target_url="https://skills.example.org/hvac"),
                AlignmentInput(target_name="Forklift operators",
                               target_url="http://data.europa.eu/esco/occupation/forklift-1")]))
        row = awards.award(s, config=issuer, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        token = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now).token
        s.commit()
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id, token=token,
                                            now=now)
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
        did = service.wallet_did(s, config=wallet, user_id=learner_id, now=now)
        mine = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Ana Learner"},
            "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credentialSubject": {"id": did, "type": ["AchievementSubject"], "achievement": {
                "id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"],
                "name": "Warehouse summer job", "criteria": {"narrative": "Two months."},
                "alignment": [{"type": ["Alignment"], "targetName": "forklift driving"}]}}}
        service.store(s, config=wallet, user_id=learner_id, credential=mine, source="self",
                      now=now, state="kept",
                      report=CheckReport("not_verified", (), now.isoformat()))
        s.commit()


def _press_enter_on(page, selector: str) -> None:
    """Tab from the top of the page until the selector has focus, then press Enter."""
    page.locator("body").focus()
    target = page.locator(selector)
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


@pytest.mark.parametrize("language", ["en", "es"])
def test_skills_profile_hide_and_show_by_keyboard(new_page, a11y, web, skilled, language):
    words = WORDS[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto("/wallet/skills")
    assert page.locator("h1").inner_text() == words["title"]
    chart = page.get_by_role("img", name=words["chart"])
    assert chart.count() == 1
    assert chart.get_attribute("aria-describedby") == "skills-chart-alt"
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 360
    labels = page.locator("svg.skills-chart text").all_text_contents()
    assert labels[0] == "Forklift driving (2)"
    assert any(t.startswith("Operate and maintain") and t.endswith("… (1)") for t in labels)
    rows = page.locator("table.skills-table tbody tr")
    assert rows.count() == 3
    first = rows.nth(0).inner_text()
    assert "Forklift Safety" in first and "Warehouse summer job" in first
    assert words["self"] in first
    check("skills profile")

    hide = "table.skills-table tbody tr:nth-child(1) form[action='/wallet/skills/hide'] button"
    _press_enter_on(page, hide)
    assert words["hidden"] in page.locator(".notice").inner_text()
    assert page.locator("table.skills-table tbody tr").count() == 2
    hidden = page.locator("section[aria-labelledby='hidden-title']")
    assert "Forklift driving" in hidden.inner_text()
    assert "Forklift driving" not in page.locator("svg.skills-chart").text_content()
    check("skills profile with a hidden skill")

    _press_enter_on(page, "form[action='/wallet/skills/show'] button")
    assert words["back"] in page.locator(".notice").inner_text()
    assert page.locator("table.skills-table tbody tr").count() == 3
    assert page.locator("section[aria-labelledby='hidden-title']").count() == 0
    check("skills profile after showing it again")


PAGES = {
    "en": {"strength": "Verified completion", "mine": "Self-reported",
           "feature": "The skill is featured: it comes first in your profile.",
           "hid_mine": "1 self-reported skill is hidden. You can show it again below.",
           "export": "Download your skills as alignments",
           "endorsed": "Forklift Guild endorses the achievement “Forklift Safety”",
           "expired": "Expired on 1 January 2025"},
    "es": {"strength": "Finalización verificada", "mine": "Autodeclarado",
           "feature": "La habilidad queda destacada: aparece primero en su perfil.",
           "hid_mine": "Se ocultó 1 habilidad autodeclarada. Puede volver a mostrarla abajo.",
           "export": "Descargar sus habilidades como alineaciones",
           "endorsed": "Forklift Guild respalda el logro «Forklift Safety»",
           "expired": "Caducó el 1 de enero de 2025"},
}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["en", "es"])
def test_strength_curation_and_export_pages(new_page, a11y, web, skilled, language, width):
    """Strength in words with an icon, recency, sorting, featuring by keyboard, hiding every
    self-reported skill, and the export page: no script needed, axe-clean, no sideways page."""
    words = PAGES[language]
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}, {width}px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, {width}px]")

    page.goto("/wallet/skills?sort=strength")
    rows = page.locator("table.skills-table tbody tr")
    assert rows.count() == 3
    first = rows.nth(0)
    assert words["strength"] in first.locator("td").nth(1).inner_text()
    assert first.locator("td").nth(1).locator("svg.strength-icon[aria-hidden='true']").count() == 1
    assert words["mine"] in first.locator("td").nth(3).inner_text()
    assert page.locator("#field-sort").input_value() == "strength"
    check("skills profile sorted by strength")

    _press_enter_on(page, "table.skills-table tbody tr:nth-child(3) "
                          "form[action='/wallet/skills/feature'] button")
    assert words["feature"] in page.locator(".notice").inner_text()
    assert page.url.endswith("/wallet/skills?sort=strength")
    page.goto("/wallet/skills")
    assert page.locator("table.skills-table tbody tr").nth(0).locator(".featured-mark").count() == 1
    check("skills profile with a featured skill")

    page.goto("/wallet/skills/export")
    assert page.locator("h1").inner_text() == words["export"]
    assert page.locator("input[type=checkbox][name=key]:checked").count() == 3
    check("skills export page")
    with page.expect_download() as download:
        page.locator("form.skills-export button[type=submit]").click()
    saved = download.value
    assert saved.suggested_filename == "skills-alignments.json"
    assert {a["targetName"] for a in json.loads(Path(saved.path()).read_text("utf-8"))} == {
        "Forklift driving", LONG, "Forklift operators"}
    page.locator("input[type=checkbox][name=key]").nth(0).uncheck()
    page.locator("input[type=checkbox][name=key]").nth(1).uncheck()
    page.locator("input[type=checkbox][name=key]").nth(2).uncheck()
    page.locator("form.skills-export button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    check("skills export page with an error")


@pytest.fixture
def only_mine(skilled, accounts, clean_db, base_url):
    """The learner also states a skill no record of an issuer backs (an expired record), and
    keeps a guild's signed endorsement of the forklift course."""
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    guild_id = accounts.org_owner("owner@guild.example", "Forklift Guild")[1]
    with storage_db.make_sessionmaker(clean_db)() as s:
        learner_id = s.scalars(select(User.id).where(User.email == "learner@example.org")).one()
        course = next(r for r in service.records(s, config=wallet, user_id=learner_id)
                      if r.summary.achievement_name == "Forklift Safety")
        endorsement, _ = issuer_service.issue_credential(
            s, config=issuer, org_id=guild_id, now=now, credential={
                "@context": ["https://www.w3.org/ns/credentials/v2",
                             "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                "type": ["VerifiableCredential", "EndorsementCredential"],
                "name": "Guild endorsement",
                "credentialSubject": {
                    "id": course.credential["credentialSubject"]["achievement"]["id"],
                    "type": ["EndorsementSubject"], "endorsementComment": "Safe and thorough."}})
        service.store(s, config=wallet, user_id=learner_id, credential=endorsement,
                      source="import", now=now, state="kept")
        did = service.wallet_did(s, config=wallet, user_id=learner_id, now=now)
        service.store(s, config=wallet, user_id=learner_id, source="self", now=now,
                      state="kept", report=CheckReport("not_verified", (), now.isoformat()),
                      credential={
                          "@context": ["https://www.w3.org/ns/credentials/v2",
                                       "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                          "id": f"urn:uuid:{uuid.uuid4()}",
                          "type": ["VerifiableCredential", "OpenBadgeCredential"],
                          "issuer": {"id": did, "type": ["Profile"], "name": "Ana Learner"},
                          "validUntil": "2025-01-01T00:00:00Z",
                          "credentialSubject": {"id": did, "type": ["AchievementSubject"],
                                                "achievement": {
                              "type": ["Achievement"], "name": "Choir",
                              "alignment": [{"type": ["Alignment"], "targetName": "Singing"}]}}})
        s.commit()


@pytest.mark.parametrize("language", ["en", "es"])
def test_hide_every_self_reported_skill_by_keyboard(new_page, a11y, web, only_mine, language):
    words = PAGES[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)
    page.goto("/wallet/skills")
    assert page.locator("table.skills-table tbody tr").count() == 4
    table = page.locator("table.skills-table").inner_text()
    assert words["endorsed"] in table and words["expired"] in table
    a11y.accessible(page, f"skills profile with an endorsement and an expired record [{language}]")
    _press_enter_on(page, "form[action='/wallet/skills/hide-self-reported'] button")
    assert words["hid_mine"] in page.locator(".notice").inner_text()
    assert page.locator("table.skills-table tbody tr").count() == 3
    assert "Singing" in page.locator("section[aria-labelledby='hidden-title']").inner_text()
    a11y.accessible(page, f"skills profile after hiding self-reported [{language}]")
    a11y.no_horizontal_scroll(page, f"skills profile after hiding self-reported [{language}]")
