"""ESCO's official CSV download: skills, occupations and their links in English, then
Spanish labels merged by URI (English kept); bad rows are named by file, line and field and
nothing is written; links to unknown concepts are left out with a note; the command line.

The fixtures are a handful of rows in ESCO's format: the URIs, the preferred labels and the
Spanish alternative labels are ESCO's; descriptions are shortened, and the English
alternative labels of Python and the occupation's links are illustrative only."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from openler.skills_service import esco_bundled, frameworks, frameworks_esco, frameworks_onet
from openler.skills_service.frameworks import FrameworkImportError
from openler.skills_service.search import search
from openler.storage.tables_frameworks import FrameworkItem, FrameworkRelation, SkillFramework

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ESCO = "http://data.europa.eu/esco/"
MUSIC = ESCO + "skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
SHEETS = ESCO + "skill/1973c966-f236-40c9-b2d4-5d71a89019be"
PYTHON = ESCO + "skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
DEVELOPER = ESCO + "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
SKILLS_HEADER = ("conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,"
                 "hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,description\n")
SKILLS_EN = SKILLS_HEADER + (
    f'KnowledgeSkillCompetence,{MUSIC},skill/competence,sector-specific,manage musical staff,'
    '"manage staff of music\ncoordinate duties of musical staff",,released,,,,,'
    '"Assign and manage staff tasks in areas such as scoring, arranging, copying music."\n'
    f'KnowledgeSkillCompetence,{SHEETS},skill/competence,transversal,use spreadsheets software,'
    ',,released,,,,,"Use software tools to create and edit tabular data."\n'
    f'KnowledgeSkillCompetence,{PYTHON},knowledge,sector-specific,'
    'Python (computer programming),"Python\nPy3K",,released,,,,,\n')
SKILLS_ES = ("conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
             f"KnowledgeSkillCompetence,{MUSIC},skill/competence,sector-specific,"
             "gestionar tareas en relación con los músicos,,\n"
             f"KnowledgeSkillCompetence,{SHEETS},skill/competence,transversal,"
             "utilizar programas informáticos de hojas de cálculo,,\n"
             f'KnowledgeSkillCompetence,{PYTHON},knowledge,sector-specific,Python,'
             '"Python prog\nPython3",\n')
OCCUPATIONS_EN = (
    "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description\n"
    f'Occupation,{DEVELOPER},2512,software developer,"programmer\nsoftware engineer",,released'
    ',,,,,,"Software developers implement or program all kinds of software systems."\n')
RELATIONS = ("occupationUri,relationType,skillType,skillUri\n"
             f"{DEVELOPER},essential,knowledge,{PYTHON}\n"
             f"{DEVELOPER},optional,skill/competence,{SHEETS}\n")


def write_files(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def english(tmp_path) -> Path:
    return write_files(tmp_path / "en", {"skills_en.csv": SKILLS_EN,
                                         "occupations_en.csv": OCCUPATIONS_EN,
                                         "occupationSkillRelations_en.csv": RELATIONS})


@pytest.fixture
def spanish(tmp_path) -> Path:
    return write_files(tmp_path / "es", {"skills_es.csv": SKILLS_ES})


def _items(db) -> dict[str, FrameworkItem]:
    return {i.uri: i for i in db.scalars(select(FrameworkItem))}


def _count(db, table=FrameworkItem) -> int:
    return db.scalar(select(func.count()).select_from(table))


def test_english_files_import_skills_occupations_and_links(db, english):
    report = frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    db.commit()
    assert (report.created, report.relations) == (4, 2)
    items = _items(db)
    music = items[MUSIC]
    assert music.kind == "skill" and music.labels == {"en": "manage musical staff"}
    assert music.alt_labels == {"en": ["manage staff of music",
                                       "coordinate duties of musical staff"]}
    assert music.description["en"].startswith("Assign and manage staff tasks")
    assert items[PYTHON].extra == {"esco": {"skill_type": "knowledge",
                                            "reuse_level": "sector-specific"}}
    developer = items[DEVELOPER]
    assert developer.kind == "occupation" and developer.extra["esco"]["isco_group"] == "2512"
    assert developer.code == "f2b15a0e-e65a-438a-affb-29b9d50b77d1"  # no ``code`` column
    framework = db.get(SkillFramework, report.framework_id)
    assert framework.key == "ESCO" and framework.org_id is None
    assert framework.languages == ["en"] and framework.item_count == 4
    assert frameworks.kind_counts(db, framework_ids=[framework.id]) == {
        framework.id: {"skill": 3, "occupation": 1}}


def test_spanish_merges_into_english_and_is_searchable_without_accents(db, english, spanish):
    frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    report = frameworks_esco.import_esco(db, directory=spanish, language="es", now=NOW)
    db.commit()
    assert (report.created, report.updated, report.relations) == (0, 3, 0)
    items = _items(db)
    assert items[SHEETS].labels == {"en": "use spreadsheets software",
                                    "es": "utilizar programas informáticos de hojas de cálculo"}
    assert items[SHEETS].description["en"].startswith("Use software tools")  # kept
    assert items[PYTHON].alt_labels == {"en": ["Python", "Py3K"],
                                        "es": ["Python prog", "Python3"]}
    assert _count(db, FrameworkRelation) == 2  # a folder without links keeps the links
    framework = db.scalar(select(SkillFramework))
    assert framework.languages == ["en", "es"]
    hits = search(db, query="HOJAS DE CALCULO", language="es")
    assert [(h.uri, h.language) for h in hits] == [(SHEETS, "es")]
    assert search(db, query="musicos", language="es")[0].label == (
        "gestionar tareas en relación con los músicos")
    assert search(db, query="spreadsheets", language="es")[0].uri == SHEETS
    english_hit = search(db, query="hojas", language="en")[0]
    assert (english_hit.label, english_hit.language) == ("use spreadsheets software", "en")
    # English again: the Spanish labels stay, nothing changes.
    again = frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert _items(db)[SHEETS].labels["es"].startswith("utilizar")


def test_a_language_imported_again_replaces_only_that_languages_labels(db, english, spanish):
    frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    frameworks_esco.import_esco(db, directory=spanish, language="es", now=NOW)
    (english / "skills_en.csv").write_text(
        SKILLS_EN.replace('"Python\nPy3K"', "Py3K").replace('"Use software tools', '"Use'),
        encoding="utf-8")
    report = frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    assert (report.created, report.updated) == (0, 2)
    items = _items(db)
    assert items[PYTHON].alt_labels == {"en": ["Py3K"], "es": ["Python prog", "Python3"]}
    assert items[SHEETS].description == {"en": "Use to create and edit tabular data."}
    assert items[SHEETS].labels["es"].startswith("utilizar programas")


def test_occupation_skills_lists_an_occupations_links_labelled(db, english, spanish):
    frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    frameworks_esco.import_esco(db, directory=spanish, language="es", now=NOW)
    frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=NOW)
    db.commit()
    skills = frameworks.occupation_skills(db, DEVELOPER, language="es")
    assert [(s.label, s.kind, s.language, s.framework) for s in skills] == [
        ("Python", "essential", "es", "ESCO"),
        ("utilizar programas informáticos de hojas de cálculo", "optional", "es", "ESCO")]
    assert frameworks.occupation_skills(db, DEVELOPER)[1].label == "use spreadsheets software"
    onet = frameworks.occupation_skills(db, "https://www.onetonline.org/link/summary/15-1252.00")
    importance = [s for s in onet if s.kind == "importance"]
    assert importance and [s.weight for s in importance] == sorted(
        (s.weight for s in importance), reverse=True)
    assert frameworks.occupation_skills(db, ESCO + "occupation/nothing") == []


BAD_ROWS = [
    ("skills_en.csv", SKILLS_EN.replace("conceptUri,", "uri,", 1),
     "skills_en.csv line 1: missing columns: conceptUri"),
    # The first data row spans lines 2-3 (two alternative labels): the second starts on 4.
    ("skills_en.csv", SKILLS_EN.replace(",use spreadsheets software,", ",,"),
     "skills_en.csv line 4: field preferredLabel is empty"),
    ("skills_en.csv", SKILLS_EN.replace(PYTHON, "not a uri"),
     "skills_en.csv line 5: field conceptUri: “not a uri” is not an http(s) URI"),
    ("skills_en.csv", SKILLS_EN.replace("KnowledgeSkillCompetence,", "SkillGroup,", 1),
     "skills_en.csv line 2: field conceptType: “SkillGroup” is not KnowledgeSkillCompetence"),
    # The Python row spans lines 5-6: a row added at the end starts on line 7.
    ("skills_en.csv", SKILLS_EN + f"KnowledgeSkillCompetence,{MUSIC},knowledge\n",
     "skills_en.csv line 7: has 3 fields, the header has 13"),
    ("skills_en.csv", SKILLS_EN + SKILLS_EN.splitlines(keepends=True)[3],
     f"skills_en.csv line 7: the URI {SHEETS} appears twice"),
    ("occupationSkillRelations_en.csv", RELATIONS.replace("optional", "nice to have"),
     "occupationSkillRelations_en.csv line 3: field relationType: “nice to have” is not "
     "essential or optional"),
    ("occupationSkillRelations_en.csv", RELATIONS.replace(f"{DEVELOPER},essential", ",essential"),
     "occupationSkillRelations_en.csv line 2: field occupationUri is empty"),
    ("occupations_en.csv", OCCUPATIONS_EN + 'Occupation,https://x.example/o,,"unclosed\n',
     "occupations_en.csv line 4: is not valid CSV"),  # the row above spans lines 2-3
]


@pytest.mark.parametrize(("file", "text", "message"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_written(db, english, file, text, message):
    (english / file).write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkImportError) as caught:
        frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems
    assert (_count(db), _count(db, FrameworkRelation), _count(db, SkillFramework)) == (0, 0, 0)


def test_links_to_unknown_concepts_are_left_out_with_a_note(db, english):
    unknown = ESCO + "skill/00000000-0000-0000-0000-000000000000"
    (english / "occupationSkillRelations_en.csv").write_text(
        RELATIONS + f"{DEVELOPER},optional,knowledge,{unknown}\n", encoding="utf-8")
    report = frameworks_esco.import_esco(db, directory=english, language="en", now=NOW)
    assert report.relations == 2
    notes = [str(p) for p in report.problems]
    assert any(unknown in n and "left out" in n for n in notes)
    assert not any(p.fatal for p in report.problems)


def test_folder_language_and_code_rules(db, tmp_path):
    with pytest.raises(FrameworkImportError, match="no ESCO file here"):
        frameworks_esco.import_esco(db, directory=tmp_path, language="en", now=NOW)
    folder = write_files(tmp_path / "x", {"skills_en.csv": SKILLS_EN})
    with pytest.raises(FrameworkImportError, match="is not a language code"):
        frameworks_esco.import_esco(db, directory=folder, language="english", now=NOW)
    # Files without a language in their name are read too; an occupation's code is kept.
    coded = OCCUPATIONS_EN.replace("description\n", "description,code\n", 1).replace(
        'systems."\n', 'systems.",2512.4\n')
    write_files(tmp_path / "plain", {"occupations.csv": coded})
    frameworks_esco.import_esco(db, directory=tmp_path / "plain", language="en", now=NOW)
    assert _items(db)[DEVELOPER].code == "2512.4"
    # A later file without codes (as the bundled table) does not undo it.
    frameworks.write(db, meta=frameworks.ESCO_META, now=NOW, merge=True, items=[
        frameworks.ItemInput(uri=DEVELOPER, kind="occupation", labels={"en": "software developer"},
                             code="f2b15a0e-e65a-438a-affb-29b9d50b77d1")])
    assert _items(db)[DEVELOPER].code == "2512.4"


LABEL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=30).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(preferred=LABEL, alternatives=st.lists(LABEL, max_size=6))
def test_alternative_labels_survive_the_csv_round_trip(tmp_path, preferred, alternatives):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["conceptUri", "preferredLabel", "altLabels"])
    writer.writerow([SHEETS, preferred, "\n".join(alternatives)])
    path = tmp_path / "skills_es.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    problems: list = []
    items = frameworks_esco.parse_concepts(path, language="es", problems=problems, where={})
    assert problems == []
    label = " ".join(preferred.split())
    expected = [a for a in dict.fromkeys(alternatives) if a != label]
    assert items[0].labels == {"es": label}
    assert items[0].alt_labels == ({"es": expected} if expected else {})


def test_command_line_imports_a_folder_and_refuses_bad_files(database_url, clean_db, english,
                                                             spanish):
    from typer.testing import CliRunner

    from openler.cli.main import app
    from openler.storage import db as storage_db

    runner = CliRunner()
    env = {"OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": "cli-test-secret"}
    done = runner.invoke(app, ["skills", "import-esco", str(english)], env=env)
    assert done.exit_code == 0, done.output
    assert "4 created" in done.output and "2 occupation-skill links" in done.output
    merged = runner.invoke(app, ["skills", "import-esco", str(spanish), "--language", "es"],
                           env=env)
    assert merged.exit_code == 0 and "3 updated" in merged.output, merged.output
    with storage_db.make_sessionmaker(clean_db)() as s:
        assert _items(s)[MUSIC].labels["es"] == "gestionar tareas en relación con los músicos"
    (spanish / "skills_es.csv").write_text(SKILLS_ES.replace(MUSIC, "urn:x"), encoding="utf-8")
    refused = runner.invoke(app, ["skills", "import-esco", str(spanish), "--language", "es"],
                            env=env)
    assert refused.exit_code == 1
    assert "error: skills_es.csv line 2: field conceptUri: “urn:x”" in refused.output
    assert "refused: nothing was imported" in refused.output
    missing = runner.invoke(app, ["skills", "import-esco", str(english / "nope")], env=env)
    assert missing.exit_code == 2 and "is not a folder" in missing.output


def test_bundled_spanish_subset_is_esco_csv_for_skills_of_the_english_table():
    source = frameworks_esco.parse({frameworks_esco.SKILLS: esco_bundled.SPANISH},
                                   language="es")
    assert source.problems == [] and 40 <= len(source.items) <= 60
    assert {i.uri for i in source.items} <= {i.uri for i in esco_bundled.skill_items()[0]}
    labels = {i.uri: i.labels for i in source.items}
    assert labels[SHEETS] == {"es": "utilizar programas informáticos de hojas de cálculo"}
    assert labels[PYTHON] == {"es": "Python"}
    assert all(i.kind == "skill" and not i.description for i in source.items)


def test_frameworks_page_counts_skills_and_occupations_and_names_languages(
        client, web, accounts, clean_db, english, spanish):
    from openler.storage import db as storage_db

    org_id = accounts.org_owner("dean@school.example", "Escuela", kind="school")[1]
    with storage_db.make_sessionmaker(clean_db)() as s:
        frameworks_esco.import_esco(s, directory=english, language="en", now=NOW)
        frameworks_esco.import_esco(s, directory=spanish, language="es", now=NOW)
        frameworks_onet.import_onet(s, directory=frameworks_onet.DEMO_DIR, now=NOW)
        s.commit()
    web.sign_in(client, "dean@school.example")

    def rows(html: str) -> list[list[str]]:
        table = html[html.index('id="list-title"'):]
        table = table[table.index("<tbody>"):table.index("</tbody>")]
        return [[" ".join(cell.split("<br>")[0].split()) for cell in
                 re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]

    page = client.get(f"/orgs/{org_id}/frameworks")
    assert page.status_code == 200
    assert '<th scope="col" class="fw-num">Occupations</th>' in page.text
    esco, onet = rows(page.text)
    assert esco[:4] == ["ESCO", "3", "1", "English, Spanish"]
    assert onet[0] == "O*NET-SOC" and onet[3] == "English"
    assert int(onet[1]) > 10 and onet[2] == "10"
    client.get("/language/es")
    spanish_page = client.get(f"/orgs/{org_id}/frameworks", params={"q": "hojas de calculo"})
    assert rows(spanish_page.text)[0][:4] == ["ESCO", "3", "1", "Inglés, Español"]
    assert ">Ocupaciones</th>" in spanish_page.text
    assert 'lang="es">utilizar programas informáticos de hojas de cálculo' in spanish_page.text
    assert "1 resultado para" in spanish_page.text


IMPORTS = st.lists(st.tuples(st.sampled_from(["en", "es", "fr"]), LABEL,
                             st.lists(LABEL, max_size=2)), min_size=1, max_size=5)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(imports=IMPORTS)
def test_merging_keeps_every_language_and_the_last_word_of_each(db, imports):
    uri = f"{ESCO}skill/{uuid.uuid4()}"
    for language, label, alternatives in imports:
        frameworks.write(db, meta=frameworks.ESCO_META, now=NOW, merge=True, items=[
            frameworks.ItemInput(uri=uri, kind="skill", labels={language: label},
                                 alt_labels={language: alternatives} if alternatives else {})])
    item = _items(db)[uri]
    last = {language: (label, alternatives) for language, label, alternatives in imports}
    assert item.labels == {language: label for language, (label, _) in last.items()}
    assert item.alt_labels == {language: alts for language, (_, alts) in last.items() if alts}
    again = frameworks.write(db, meta=frameworks.ESCO_META, now=NOW, merge=True, items=[
        frameworks.ItemInput(uri=uri, kind="skill", labels={imports[-1][0]: imports[-1][1]},
                             alt_labels={imports[-1][0]: imports[-1][2]} if imports[-1][2]
                             else {})])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_hidden_labels_find_a_skill_but_are_never_shown_and_survive_a_second_language(
        db, tmp_path):
    """ESCO's hiddenLabels (here a misspelling and an old term) are searched, not shown as
    labels, and importing Spanish keeps the English ones."""
    with_hidden = SKILLS_EN.replace(
        f"{SHEETS},skill/competence,transversal,use spreadsheets software,,,released",
        f'{SHEETS},skill/competence,transversal,use spreadsheets software,,'
        '"use spreadsheet sofware\nuse worksheet programs",released')
    assert with_hidden != SKILLS_EN
    folder = write_files(tmp_path / "hidden-en", {"skills_en.csv": with_hidden})
    frameworks_esco.import_esco(db, directory=folder, language="en", now=NOW)
    db.commit()
    for query in ("sofware", "worksheet programs"):
        hits = search(db, query=query, language="en")
        assert [h.uri for h in hits] == [SHEETS], query
        assert hits[0].label == hits[0].matched == "use spreadsheets software"
    sheets = _items(db)[SHEETS]
    assert "use worksheet programs" not in str(sheets.alt_labels)
    assert sheets.labels == {"en": "use spreadsheets software"}
    spanish = write_files(tmp_path / "hidden-es", {"skills_es.csv": SKILLS_ES})
    frameworks_esco.import_esco(db, directory=spanish, language="es", now=NOW)
    db.commit()
    assert [h.uri for h in search(db, query="worksheet programs", language="es")] == [SHEETS]
    assert frameworks.hidden_labels(_items(db)[SHEETS].extra) == {
        "en": ["use spreadsheet sofware", "use worksheet programs"]}
