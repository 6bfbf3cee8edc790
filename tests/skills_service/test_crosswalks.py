"""Crosswalks between frameworks: the CSV read by column names (the ESCO-O*NET layout and
a plain source/target/relation one), O*NET codes turned into O*NET OnLine addresses, bad
rows named by line and field with nothing written, a second import under the same name
replacing the first, only exact and close matches counting as the same skill (both
directions), roles matched through a crosswalk and said so, the command line, and the
migration (up, down, up)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, inspect, select
from typer.testing import CliRunner

from openler.cli.main import app
from openler.skills_service import crosswalks
from openler.storage import db as storage_db
from openler.storage.tables_frameworks import SkillCrosswalk
from openler.verifier import matching, roles
from openler.wallet.models import Skill

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ESCO_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
ONET_DEVELOPER = "https://www.onetonline.org/link/summary/15-1252.00"
ESCO_LISTEN = "http://data.europa.eu/esco/skill/c0c6a2b3"
ONET_LISTEN = "https://www.onetonline.org/find/descriptor/result/2.A.1.b"
# The ESCO-O*NET crosswalk's own column names (O*NET id, ESCO URI, type of match).
OFFICIAL = ("O*NET Id,O*NET Title,ESCO or ISCO URI,ESCO or ISCO Title,Type of Match\n"
            f"15-1252.00,Software Developers,{ESCO_DEVELOPER},software developer,exactMatch\n"
            f"15-1252.00,Software Developers,http://data.europa.eu/esco/isco/C2512,"
            "Software developers,broadMatch\n")
PLAIN = ("source,target,relation\n"
         f"{ONET_LISTEN},{ESCO_LISTEN},skos:closeMatch\n"
         f"2.A.1.d,http://data.europa.eu/esco/skill/speak,related\n")


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(SkillCrosswalk))


def test_the_official_layout_and_onet_codes_become_addresses():
    links = crosswalks.parse(OFFICIAL)
    assert links == [
        crosswalks.Link(ONET_DEVELOPER, ESCO_DEVELOPER, "exactMatch"),
        crosswalks.Link(ONET_DEVELOPER, "http://data.europa.eu/esco/isco/C2512", "broadMatch")]
    plain = crosswalks.parse("\ufeff" + PLAIN)  # a byte-order mark is not part of a name
    assert plain[0].relation == "closeMatch" and plain[1].relation == "relatedMatch"
    assert plain[1].source == "https://www.onetonline.org/find/descriptor/result/2.A.1.d"


@pytest.mark.parametrize(("text", "said"), [
    ("from,to\nx,y\n", "line 1: no relation column"),
    (f"source,target,relation\n{ONET_LISTEN},,exactMatch\n", "line 2, field target is empty"),
    (f"source,target,relation\nsoftware,{ESCO_LISTEN},exactMatch\n",
     "line 2, field source: “software” is not a web address or an O*NET code"),
    (f"source,target,relation\n{ONET_LISTEN},{ESCO_LISTEN},sameAs\n",
     "line 2, field relation: “sameAs” is not one of exactMatch"),
])
def test_bad_rows_are_named_and_nothing_is_written(db, text, said):
    with pytest.raises(crosswalks.CrosswalkError) as caught:
        crosswalks.import_crosswalk(db, name="Broken", links=crosswalks.parse(text), now=NOW)
    assert any(said in p for p in caught.value.problems), caught.value.problems
    assert _count(db) == 0


def test_only_exact_and_close_matches_are_the_same_in_both_directions(db):
    assert crosswalks.import_crosswalk(db, name="ESCO-O*NET", links=crosswalks.parse(OFFICIAL),
                                       now=NOW) == 2
    crosswalks.import_crosswalk(db, name="Listening", links=crosswalks.parse(PLAIN), now=NOW)
    db.commit()
    found = crosswalks.equivalents(db, [ONET_DEVELOPER + "/", "HTTPS://data.europa.eu/esco/"
                                        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
                                        ONET_LISTEN, "https://www.onetonline.org/find/"
                                        "descriptor/result/2.A.1.d"])
    onet = found[crosswalks.key_of(ONET_DEVELOPER)]
    assert onet == (crosswalks.Equivalent(ESCO_DEVELOPER, "ESCO-O*NET", "exactMatch"),)
    assert found[crosswalks.key_of(ESCO_DEVELOPER)][0].uri == ONET_DEVELOPER
    assert found[crosswalks.key_of(ONET_LISTEN)][0].relation == "closeMatch"
    # broader and related links are kept but never make the same skill
    assert crosswalks.key_of("https://www.onetonline.org/find/descriptor/result/2.A.1.d") \
        not in found
    assert _count(db) == 4


def test_importing_a_name_again_replaces_it(db):
    crosswalks.import_crosswalk(db, name="ESCO-O*NET", links=crosswalks.parse(OFFICIAL),
                                now=NOW)
    crosswalks.import_crosswalk(db, name=" ESCO-O*NET ", links=crosswalks.parse(
        OFFICIAL.splitlines()[0] + "\n" + OFFICIAL.splitlines()[1] + "\n"), now=NOW)
    db.commit()
    assert _count(db) == 1


def test_a_role_is_met_through_a_crosswalk_and_the_match_says_which(db, accounts):
    _, org_id = accounts.org_owner("hr@acme.example", "Acme Hiring")
    crosswalks.import_crosswalk(db, name="ESCO-O*NET", links=crosswalks.parse(OFFICIAL),
                                now=NOW)
    role = roles.create_role(db, org_id=org_id, name="Developer", now=NOW, preferred=[],
                             required=[Skill(name="software developer",
                                             framework="ESCO", url=ESCO_DEVELOPER)])
    db.commit()
    [requirement] = roles.get_role(db, org_id=org_id, role_id=role.id).requirements
    assert [s.crosswalk for s in requirement.same_as] == ["ESCO-O*NET"]
    record = matching.Evidence("BSc Computing", (Skill(
        name="Software Developers", framework="O*NET-SOC", code="15-1252.00",
        url=ONET_DEVELOPER),), "verified")
    [found] = matching.explain([requirement], [record]).findings
    assert found.state == "verified"
    [match] = found.matches
    assert (match.how, match.crosswalk, match.exact) == ("crosswalk", "ESCO-O*NET", True)
    # without the crosswalk the same record does not meet it (names and codes differ)
    bare = matching.Requirement(requirement.skill)
    assert matching.explain([bare], [record]).findings[0].state == "missing"


def test_command_line_imports_and_refuses(database_url, clean_db, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(OFFICIAL, encoding="utf-8")
    bad.write_text("source,target,relation\nnope,nope,exact\n", encoding="utf-8")
    env = {"OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": "x" * 32}
    runner = CliRunner()
    refused = runner.invoke(app, ["skills", "import-crosswalk", str(bad), "--name", "Bad"],
                            env=env)
    assert refused.exit_code == 1
    assert "line 2, field source: “nope” is not a web address" in refused.output
    assert "refused: nothing was imported" in refused.output
    done = runner.invoke(app, ["skills", "import-crosswalk", str(good), "--name",
                               "ESCO-O*NET 2022"], env=env)
    assert done.exit_code == 0, done.output
    assert "2 pairs in the crosswalk “ESCO-O*NET 2022”." in done.output
    with storage_db.make_sessionmaker(clean_db)() as db:
        assert _count(db) == 2


def test_migration_up_down_up(scratch_engine):
    storage_db.upgrade(scratch_engine, "0019_skill_crosswalks")
    columns = {c["name"] for c in inspect(scratch_engine).get_columns("skill_crosswalks")}
    assert columns == {c.name for c in SkillCrosswalk.__table__.columns}
    storage_db.downgrade(scratch_engine, "0018_skill_frameworks")
    assert "skill_crosswalks" not in inspect(scratch_engine).get_table_names()
    storage_db.upgrade(scratch_engine, "0019_skill_crosswalks")
    assert "skill_crosswalks" in inspect(scratch_engine).get_table_names()
