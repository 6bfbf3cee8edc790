"""1EdTech CASE import: a CFPackage becomes the organization's framework with codes,
labels in the document's language, keywords and isChildOf parents; every bad item is
named and nothing is written; re-import updates by URI; other organizations do not
see it."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from openler.skills_service import frameworks, frameworks_case
from openler.skills_service.frameworks import FrameworkImportError
from openler.storage.tables import Organization
from openler.storage.tables_frameworks import FrameworkItem

NOW = datetime(2026, 12, 1, tzinfo=UTC)
BASE = "https://case.example.edu/uri/"
PACKAGE = {
    "CFDocument": {"identifier": "doc-1", "uri": BASE + "doc-1", "title": "Competencias TIC",
                   "creator": "Instituto Ejemplo", "language": "es-MX", "version": "2"},
    "CFItems": [
        {"identifier": "it-1", "uri": BASE + "it-1", "humanCodingScheme": "TIC.1",
         "fullStatement": "Gestión de bases de datos relacionales", "CFItemType": "Domain"},
        {"identifier": "it-2", "uri": BASE + "it-2", "humanCodingScheme": "TIC.1.1",
         "fullStatement": "Diseñar esquemas normalizados para una base de datos",
         "abbreviatedStatement": "Diseño de esquemas", "conceptKeywords": ["SQL", "modelado"],
         "CFItemType": "Competency"},
        {"identifier": "it-3", "uri": BASE + "it-3", "humanCodingScheme": "TIC.1.2",
         "fullStatement": "Write SQL queries", "language": "en", "CFItemType": "Competency"},
    ],
    "CFAssociations": [
        {"associationType": "isChildOf", "originNodeURI": {"identifier": "it-2",
                                                           "uri": BASE + "it-2"},
         "destinationNodeURI": {"identifier": "it-1", "uri": BASE + "it-1"}},
        {"associationType": "isChildOf", "originNodeURI": {"uri": BASE + "it-1"},
         "destinationNodeURI": {"uri": BASE + "doc-1"}},
    ],
}


def _org(db, name: str = "Instituto") -> str:
    org = Organization(name=name, kind="school", created_at=NOW)
    db.add(org)
    db.flush()
    return org.id


def _import(db, org_id, package=PACKAGE):
    return frameworks_case.import_case(db, org_id=org_id, data=json.dumps(package).encode(),
                                       now=NOW)


def test_package_becomes_the_organizations_framework(db):
    org_id = _org(db)
    report = _import(db, org_id)
    db.commit()
    assert (report.created, report.updated) == (3, 0)
    items = {i.code: i for i in frameworks.items_of(db, framework_id=report.framework_id)}
    assert items["TIC.1"].labels == {"es": "Gestión de bases de datos relacionales"}
    assert items["TIC.1.1"].labels == {"es": "Diseño de esquemas"}
    assert items["TIC.1.1"].description == {
        "es": "Diseñar esquemas normalizados para una base de datos"}
    assert items["TIC.1.1"].alt_labels == {"es": ["SQL", "modelado"]}
    assert items["TIC.1.1"].parent_uri == BASE + "it-1" and items["TIC.1"].parent_uri == ""
    assert items["TIC.1.2"].labels == {"en": "Write SQL queries"}
    seen = frameworks.frameworks(db, org_id=org_id)
    assert [f.name for f in seen] == ["Competencias TIC"] and seen[0].languages == ["en", "es"]
    assert frameworks.frameworks(db, org_id=_org(db, "Other")) == []


def test_reimport_updates_by_uri(db):
    org_id = _org(db)
    first = _import(db, org_id)
    again = _import(db, org_id)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = copy.deepcopy(PACKAGE)
    changed["CFItems"][2]["fullStatement"] = "Write and tune SQL queries"
    third = _import(db, org_id, changed)
    db.commit()
    assert (third.created, third.updated, third.framework_id) == (0, 1, first.framework_id)
    assert db.scalar(select(func.count()).select_from(FrameworkItem)) == 3


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p["CFItems"][1].pop("fullStatement"),
     "CFItems item 2 (it-2): has no fullStatement"),
    (lambda p: p["CFItems"][2].update(uri=BASE + "it-1"), "the URI " + BASE + "it-1 appears twice"),
    (lambda p: p["CFItems"].__setitem__(0, "text"), "CFItems item 1: is not an object"),
    (lambda p: p["CFDocument"].pop("title"), "CFDocument: has no title"),
    (lambda p: p.pop("CFItems"), "CFItems: is missing or empty"),
])
def test_a_bad_item_is_named_and_nothing_is_written(db, change, message):
    org_id = _org(db)
    package = copy.deepcopy(PACKAGE)
    change(package)
    with pytest.raises(FrameworkImportError) as caught:
        _import(db, org_id, package)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems
    assert frameworks.frameworks(db, org_id=org_id) == []


@pytest.mark.parametrize(("data", "message"), [
    (b"", "file: is empty"), (b"{\n  oops", "file line 2: is not valid JSON"),
    (b'{"CFItems": []}', "not a CASE package"),
])
def test_unreadable_files_are_refused(db, data, message):
    with pytest.raises(FrameworkImportError, match=message):
        frameworks_case.import_case(db, org_id=_org(db), data=data, now=NOW)


def test_association_to_an_unknown_item_is_only_a_warning(db):
    package = copy.deepcopy(PACKAGE)
    package["CFAssociations"].append({"associationType": "isChildOf",
                                      "originNodeURI": {"uri": BASE + "gone"},
                                      "destinationNodeURI": {"uri": BASE + "it-1"}})
    report = _import(db, _org(db), package)
    assert report.created == 3
    assert [str(p) for p in report.problems] == [
        f"CFAssociations item 3: its child {BASE}gone is not among the CFItems"]
