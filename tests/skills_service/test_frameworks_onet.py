"""O*NET importer: the bundled demo subset loads with its occupations, skills, technology
skills and importance links; bad lines are named and nothing is written; re-import is
idempotent and updates by URI."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from openler.skills_service import frameworks, frameworks_onet
from openler.skills_service.frameworks import FrameworkImportError
from openler.storage.tables_frameworks import FrameworkItem, SkillFramework

NOW = datetime(2026, 12, 1, tzinfo=UTC)
DEVELOPERS = "https://www.onetonline.org/link/summary/15-1252.00"


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(FrameworkItem))


def test_demo_subset_imports_occupations_skills_and_links(db):
    report = frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=NOW)
    db.commit()
    items = {i.uri: i for i in frameworks.items_of(db, framework_id=report.framework_id)}
    occupations = [i for i in items.values() if i.kind == "occupation"]
    assert len(occupations) == 10
    assert items[DEVELOPERS].labels == {"en": "Software Developers"}
    assert items[DEVELOPERS].code == "15-1252.00"
    assert items["https://www.onetonline.org/find/descriptor/result/2.B.3.e"].labels["en"] == "Programming"
    links = frameworks.relations_of(db, framework_id=report.framework_id,
                                    occupation_uri=DEVELOPERS)
    importance = [r for r in links if r.kind == "importance"]
    assert importance[0].skill_uri == "https://www.onetonline.org/find/descriptor/result/2.B.3.e"  # strongest first
    assert [r.weight for r in importance] == sorted((r.weight for r in importance), reverse=True)
    assert any(items[r.skill_uri].labels["en"] == "Python" for r in links
               if r.kind == "technology")
    framework = db.get(SkillFramework, report.framework_id)
    assert framework.org_id is None and "CC BY 4.0" in framework.attribution
    assert report.created == len(items) and report.relations == len(
        frameworks.relations_of(db, framework_id=report.framework_id))


def test_reimport_is_idempotent_and_updates_by_uri(db, tmp_path):
    frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=NOW)
    db.commit()
    before = _count(db)
    again = frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=NOW)
    db.commit()
    assert (again.created, again.updated, _count(db)) == (0, 0, before)
    assert again.unchanged == before
    shutil.copytree(frameworks_onet.DEMO_DIR, tmp_path / "onet")
    path = tmp_path / "onet" / "Occupation Data.txt"
    path.write_text(path.read_text().replace("\tSoftware Developers\t",
                                             "\tSoftware Developers (renamed)\t"))
    changed = frameworks_onet.import_onet(db, directory=tmp_path / "onet", now=NOW)
    db.commit()
    assert (changed.created, changed.updated, _count(db)) == (0, 1, before)
    row = db.scalar(select(FrameworkItem).where(FrameworkItem.uri == DEVELOPERS))
    assert row.labels["en"] == "Software Developers (renamed)"


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("Occupation Data.txt", "15-1252.00", "1X-1252.00",
     "Occupation Data.txt line 2: “1X-1252.00” is not an O*NET-SOC code"),
    ("Skills.txt", "\t2.B.3.e\t", "\tnot-an-id\t",
     "Skills.txt line 2: “not-an-id” is not an element id"),
    ("Skills.txt", "\tIM\t4.25\t", "\tIM\tfour\t", "Skills.txt line 2: “four” is not a number"),
    ("Technology Skills.txt", "\t43232304\t", "\tabc\t",
     "Technology Skills.txt line 2: needs an example and a numeric commodity code"),
    ("Skills.txt", "15-1252.00", "99-9999.00",
     "Skills.txt line 2: occupation 99-9999.00 is not in Occupation Data.txt"),
])
def test_a_bad_line_is_named_and_nothing_is_written(db, tmp_path, file, old, new, message):
    shutil.copytree(frameworks_onet.DEMO_DIR, tmp_path / "onet")
    path = tmp_path / "onet" / file
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[1]
    lines[1] = lines[1].replace(old, new, 1)
    path.write_text("".join(lines))
    with pytest.raises(FrameworkImportError) as caught:
        frameworks_onet.import_onet(db, directory=tmp_path / "onet", now=NOW)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems
    assert _count(db) == 0


def test_missing_columns_and_missing_files_are_fatal(db, tmp_path):
    with pytest.raises(FrameworkImportError, match="no “Occupation Data.txt”"):
        frameworks_onet.import_onet(db, directory=tmp_path, now=NOW)
    (tmp_path / "Occupation Data.txt").write_text("Code\tTitle\n15-1252.00\tX\n")
    with pytest.raises(FrameworkImportError, match="line 1: missing columns: O\\*NET-SOC Code"):
        frameworks_onet.import_onet(db, directory=tmp_path, now=NOW)
    assert _count(db) == 0


def test_command_line_imports_the_demo_and_refuses_bad_files(database_url, clean_db, tmp_path):
    from typer.testing import CliRunner

    from openler.cli.main import app
    from openler.storage import db as storage_db

    runner = CliRunner()
    env = {"OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": "cli-test-secret"}
    done = runner.invoke(app, ["skills", "import-onet"], env=env)
    assert done.exit_code == 0, done.output
    assert "0 updated" in done.output and "created" in done.output
    with storage_db.make_sessionmaker(clean_db)() as s:
        assert _count(s) > 10
    bad = tmp_path / "case.json"
    bad.write_text('{"CFDocument": {"uri": "urn:d", "title": "T"}, "CFItems": [{}]}')
    unknown = runner.invoke(app, ["skills", "import-case", str(bad), "--org", "nope"], env=env)
    assert unknown.exit_code == 2 and "no organization has the id nope" in unknown.output
    with storage_db.make_sessionmaker(clean_db)() as s:
        from openler.storage.tables import Organization

        s.add(Organization(id="o1", name="Uni", kind="school", created_at=NOW))
        s.commit()
    refused = runner.invoke(app, ["skills", "import-case", str(bad), "--org", "o1"], env=env)
    assert refused.exit_code == 1
    assert "error: CFItems item 1: has no fullStatement" in refused.output
    assert "refused: nothing was imported" in refused.output
