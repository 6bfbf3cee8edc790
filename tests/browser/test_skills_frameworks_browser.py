"""The frameworks page in a real Chromium: the frameworks with their counts of skills and
occupations and their languages, search (English and Spanish, accents ignored, ESCO's
Spanish labels), an import with problems (each listed, nothing imported), then a good CASE
import; axe-core 0 violations in English and Spanish at 360 px and 1280 px with no
horizontal scrolling, and a run with JavaScript switched off that searches and imports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from journeys import sign_in

from openler.skills_service import frameworks_esco, frameworks_onet
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


# A few rows of ESCO's CSV download (URIs and labels are ESCO's), English then Spanish.
SHEETS = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"
NURSING = "http://data.europa.eu/esco/skill/f98e06f5-a09a-4356-b6a8-d55a7d3c5356"
NURSE = "http://data.europa.eu/esco/occupation/87d0795a-d41f-47ee-979f-0ab7d73836e7"
ESCO_FILES = {
    "en": {"skills_en.csv": "conceptType,conceptUri,preferredLabel,altLabels\n"
                            f"KnowledgeSkillCompetence,{SHEETS},use spreadsheets software,\n"
                            f"KnowledgeSkillCompetence,{NURSING},implement nursing care,\n",
           "occupations_en.csv": f"conceptType,conceptUri,preferredLabel\n"
                                 f"Occupation,{NURSE},nurse assistant\n",
           "occupationSkillRelations_en.csv": "occupationUri,relationType,skillUri\n"
                                              f"{NURSE},essential,{NURSING}\n"},
    "es": {"skills_es.csv": "conceptUri,preferredLabel,altLabels\n"
                            f"{SHEETS},utilizar programas informáticos de hojas de cálculo,\n"
                            f'{NURSING},realizar asistencia de enfermería,'
                            '"practicar la asistencia de enfermería"\n'},
}


@pytest.fixture
def school(accounts, clean_db, tmp_path) -> str:
    org_id = accounts.org_owner(OWNER, "Escuela Ejemplo", kind="school")[1]
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        frameworks_onet.import_onet(s, directory=frameworks_onet.DEMO_DIR, now=now)
        for language, files in ESCO_FILES.items():
            folder = tmp_path / f"esco-{language}"
            folder.mkdir()
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
            frameworks_esco.import_esco(s, directory=folder, language=language, now=now)
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
    esco = page.locator("section[aria-labelledby='list-title'] tbody tr").first
    cells = [c.strip() for c in esco.locator("td").all_inner_texts()]
    names = "English, Spanish" if language == "en" else "Inglés, Español"
    assert cells[0].startswith("ESCO") and cells[1:4] == ["2", "1", names]
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
    page.goto(f"/orgs/{school}/frameworks?q=asistencia+de+ENFERMERIA")
    found = page.locator("main table").first.inner_text()
    assert ("realizar asistencia de enfermería" if language == "es"
            else "implement nursing care") in found
    check("search of ESCO labels")


def test_search_and_import_work_without_javascript(new_page, web, school, tmp_path):
    page = new_page(java_script_enabled=False)
    sign_in(page, OWNER, web.password)
    page.goto(f"/orgs/{school}/frameworks?q=program")
    assert "Programming" in page.locator("main table").first.inner_text()
    _import(page, tmp_path, CASE, "case.json")
    assert "2 new" in page.locator("#import-result-title + p").inner_text()
