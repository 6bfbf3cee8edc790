"""The frameworks page in a real Chromium: search (English and Spanish, accents ignored),
an import with problems (each listed, nothing imported), then a good CASE import; axe-core
0 violations in English and Spanish at 360 px and 1280 px with no horizontal scrolling,
and a run with JavaScript switched off that searches and imports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from journeys import sign_in

from openler.skills_service import frameworks_onet
from openler.storage import db as storage_db

pytestmark = pytest.mark.browser

OWNER = "dean@escuela.example"
CASE = {
    "CFDocument": {"uri": "https://case.example.edu/d", "title": "Marco de la escuela",
                   "language": "es"},
    "CFItems": [
        {"identifier": "c1", "uri": "https://case.example.edu/1", "humanCodingScheme": "E.1",
         "fullStatement": "Gestión de redes informáticas de una organización grande con "
                          "direcciones https://case.example.edu/very/long/path/without/spaces"},
        {"identifier": "c2", "uri": "https://case.example.edu/2", "humanCodingScheme": "E.2",
         "fullStatement": "Atención al público"},
    ],
}


@pytest.fixture
def school(accounts, clean_db) -> str:
    org_id = accounts.org_owner(OWNER, "Escuela Ejemplo", kind="school")[1]
    with storage_db.make_sessionmaker(clean_db)() as s:
        frameworks_onet.import_onet(s, directory=frameworks_onet.DEMO_DIR,
                                    now=datetime(2026, 12, 1, tzinfo=UTC))
        s.commit()
    return org_id


def _import(page, tmp_path, document: dict, name: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    page.check("#field-format")  # CASE
    page.set_input_files("#field-framework_file", str(path))
    with page.expect_navigation():
        page.locator("form[action$='/frameworks/import'] button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [360, 1280])
def test_frameworks_page_is_accessible(new_page, a11y, web, school, tmp_path, language, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}, {width}px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, {width}px]")

    page.goto(f"/orgs/{school}/frameworks")
    assert "O*NET-SOC" in page.locator("main").inner_text()
    check("frameworks page")
    bad = copy.deepcopy(CASE)
    bad["CFItems"][1].pop("fullStatement")
    _import(page, tmp_path, bad, "bad.json")
    assert page.locator("[data-error-summary] a[href='#field-framework_file']").count() == 1
    assert page.locator("section[aria-labelledby='problems-title'] li").count() == 1
    check("import with a problem")
    _import(page, tmp_path, CASE, "case.json")
    assert "Marco de la escuela" in page.locator("#import-result-title + p").inner_text()
    check("import result")
    page.fill("#field-q", "GESTION")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert "Gestión de redes" in page.locator("main table").first.inner_text()
    check("search result")
    page.goto(f"/orgs/{school}/frameworks?q=zzzz")
    check("search without results")


def test_search_and_import_work_without_javascript(new_page, web, school, tmp_path):
    page = new_page(java_script_enabled=False)
    sign_in(page, OWNER, web.password)
    page.goto(f"/orgs/{school}/frameworks?q=program")
    assert "Programming" in page.locator("main table").first.inner_text()
    _import(page, tmp_path, CASE, "case.json")
    assert "2 new" in page.locator("#import-result-title + p").inner_text()
