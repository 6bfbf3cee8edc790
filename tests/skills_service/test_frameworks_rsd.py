"""Rich Skill Descriptor import (OSMT JSON): skills with names, statements, keywords and
occupation links; bad skills named, nothing written; re-import updates by URI."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from openler.skills_service import frameworks, frameworks_rsd
from openler.skills_service.frameworks import FrameworkImportError
from openler.storage.tables import Organization

NOW = datetime(2026, 12, 1, tzinfo=UTC)
OSMT = "https://osmt.example.org/api/skills/"
COLLECTION = {
    "id": "https://osmt.example.org/api/collections/c-1", "name": "Welding collection",
    "author": {"name": "Example Workforce Board"},
    "skills": [
        {"id": OSMT + "s-1", "uuid": "s-1", "skillName": "MIG Welding",
         "skillStatement": "Join steel parts with gas metal arc welding to the drawing.",
         "keywords": ["GMAW", "metal inert gas"], "category": "Fabrication",
         "occupations": [{"code": "51-4121.00"}, {"code": "51-4121"}]},
        {"id": OSMT + "s-2", "uuid": "s-2", "skillName": "Blueprint Reading",
         "skillStatement": "Read welding symbols and dimensions on drawings.",
         "occupations": ["47-2111.00"]},
    ],
}


def _org(db) -> str:
    org = Organization(name="Board", kind="employer", created_at=NOW)
    db.add(org)
    db.flush()
    return org.id


def _import(db, org_id, collection=COLLECTION, language="en"):
    return frameworks_rsd.import_rsd(db, org_id=org_id, data=json.dumps(collection).encode(),
                                     now=NOW, language=language)


def test_collection_becomes_the_organizations_framework(db):
    org_id = _org(db)
    report = _import(db, org_id)
    items = {i.uri: i for i in frameworks.items_of(db, framework_id=report.framework_id)}
    mig = items[OSMT + "s-1"]
    assert mig.labels == {"en": "MIG Welding"} and mig.code == "s-1"
    assert mig.alt_labels == {"en": ["GMAW", "metal inert gas"]}
    assert mig.description["en"].startswith("Join steel parts")
    assert mig.extra == {"category": "Fabrication"}
    links = {(r.occupation_uri, r.skill_uri) for r in frameworks.relations_of(
        db, framework_id=report.framework_id)}
    assert links == {("https://www.onetonline.org/link/summary/51-4121.00", OSMT + "s-1"),
                     ("urn:soc:2018:51-4121", OSMT + "s-1"),
                     ("https://www.onetonline.org/link/summary/47-2111.00", OSMT + "s-2")}
    framework = frameworks.frameworks(db, org_id=org_id)[0]
    assert (framework.name, framework.attribution) == ("Welding collection",
                                                       "Example Workforce Board")


def test_reimport_is_idempotent_and_a_bare_list_in_spanish_works(db):
    org_id = _org(db)
    _import(db, org_id)
    again = _import(db, org_id)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    spanish = [{"id": OSMT + "s-9", "skillName": "Soldadura MIG",
                "skillStatement": "Unir piezas de acero."}]
    report = _import(db, org_id, spanish, language="es")
    items = frameworks.items_of(db, framework_id=report.framework_id)
    assert [i.labels for i in items] == [{"es": "Soldadura MIG"}]
    assert report.framework_id != again.framework_id


@pytest.mark.parametrize(("change", "message"), [
    (lambda c: c["skills"][1].pop("skillName"), "skill 2 (" + OSMT + "s-2): no label"),
    (lambda c: c["skills"][0].update(id="s-1"),
     "skill 1 (MIG Welding): needs an id that is an http(s) or urn URI"),
    (lambda c: c["skills"][1].pop("skillStatement"),
     "skill 2 (Blueprint Reading): has no skillStatement"),
    (lambda c: c["skills"].clear(), "skills: is empty"),
])
def test_a_bad_skill_is_named_and_nothing_is_written(db, change, message):
    org_id = _org(db)
    collection = copy.deepcopy(COLLECTION)
    change(collection)
    with pytest.raises(FrameworkImportError) as caught:
        _import(db, org_id, collection)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems
    assert frameworks.frameworks(db, org_id=org_id) == []


def test_an_unknown_occupation_code_is_a_warning(db):
    collection = copy.deepcopy(COLLECTION)
    collection["skills"][1]["occupations"] = ["welder"]
    report = _import(db, _org(db), collection)
    assert report.created == 2
    assert [str(p) for p in report.problems] == [
        "skill 2 (Blueprint Reading): occupation “welder” is not an O*NET-SOC or SOC code"]
    with pytest.raises(FrameworkImportError, match="not an RSD collection"):
        _import(db, _org(db), {"name": "x"})
