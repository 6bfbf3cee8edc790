"""Search across frameworks: by label and alternative label, case- and accent-insensitive,
English and Spanish, prefix and word matches first, organizations see only their own
frameworks next to the global ones; ESCO loads from the bundled tables (skills and
occupations in English, Spanish labels of a subset of skills)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from openler.skills_service import frameworks, frameworks_case, frameworks_onet
from openler.skills_service.frameworks import fold
from openler.skills_service.search import search
from openler.storage.tables import Organization
from openler.storage.tables_frameworks import SkillFramework

NOW = datetime(2026, 12, 1, tzinfo=UTC)
CASE = {
    "CFDocument": {"uri": "https://case.example.edu/d", "title": "Marco propio",
                   "language": "es"},
    "CFItems": [
        {"uri": "https://case.example.edu/1", "humanCodingScheme": "A.1",
         "fullStatement": "Programación en Python", "conceptKeywords": ["scripts"]},
        {"uri": "https://case.example.edu/2", "humanCodingScheme": "A.2",
         "fullStatement": "Gestión de proyectos ágiles"},
        {"uri": "https://case.example.edu/3", "humanCodingScheme": "A.3",
         "fullStatement": "Atención al cliente en línea"},
    ],
}


def _setup(db) -> str:
    frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=NOW)
    org = Organization(name="Uni", kind="school", created_at=NOW)
    db.add(org)
    db.flush()
    frameworks_case.import_case(db, org_id=org.id, data=json.dumps(CASE).encode(), now=NOW)
    db.commit()
    return org.id


def test_english_prefix_and_word_matches_rank_first(db):
    _setup(db)
    hits = search(db, query="program", language="en")
    assert hits[0].label == "Programming" and hits[0].framework == "O*NET"
    labels = [h.label for h in search(db, query="service", language="en")]
    assert labels[0] == "Service Orientation"  # label starts with the query
    assert "Customer Service Representatives" in labels  # a word of it does
    assert labels.index("Service Orientation") < labels.index("Customer Service Representatives")
    assert [h.label for h in search(db, query="SOFTWARE developers", language="en")] == [
        "Software Developers"]


def test_spanish_labels_match_without_accents_for_the_owner_only(db):
    org_id = _setup(db)
    assert search(db, query="gestion", language="es") == []  # not visible without the org
    hits = search(db, query="gestion", language="es", org_id=org_id)
    assert [(h.label, h.language, h.code) for h in hits] == [
        ("Gestión de proyectos ágiles", "es", "A.2")]
    assert [h.label for h in search(db, query="ÁGIL", language="es", org_id=org_id)] == [
        "Gestión de proyectos ágiles"]
    assert search(db, query="programacion", language="es", org_id=org_id)[0].uri == \
        "https://case.example.edu/1"


def test_alternative_labels_rank_after_labels_and_language_first(db):
    org_id = _setup(db)
    hits = search(db, query="python", language="es", org_id=org_id)
    # The Spanish item comes before the English-only O*NET technology skill "Python".
    assert [h.label for h in hits][:2] == ["Programación en Python", "Python"]
    english = search(db, query="python", language="en", org_id=org_id)
    assert english[0].label == "Python"
    by_alternative = search(db, query="scripts", language="es", org_id=org_id)
    assert [(h.label, h.matched) for h in by_alternative] == [
        ("Programación en Python", "scripts")]
    spreadsheet = search(db, query="spreadsheet", language="en")
    assert spreadsheet[0].label == "Microsoft Excel" and spreadsheet[0].matched == (
        "Spreadsheet software")


def test_framework_filter_and_limit(db):
    org_id = _setup(db)
    everything = search(db, query="a", language="en", org_id=org_id, limit=100)
    assert {h.framework for h in everything} == {"O*NET", "Marco propio"}
    only = search(db, query="a", language="en", org_id=org_id, frameworks=["O*NET"])
    assert only and {h.framework for h in only} == {"O*NET"} and len(only) <= 20
    assert len(search(db, query="a", language="en", limit=3)) == 3
    assert search(db, query="   ", language="en") == []
    assert search(db, query="zzzz-nothing", language="en") == []
    assert search(db, query="100%_", language="en") == []  # LIKE wildcards are escaped


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="aábcçeéiíñoóuúüAÁEÉ ", min_size=1, max_size=12))
def test_fold_ignores_case_accents_and_spacing(text):
    folded = fold(text)
    assert folded == fold(folded.upper()) == fold(f"  {text}  ")
    assert not set(folded) & set("áéíóúüçñÁÉ") and folded == folded.lower()


SHEETS = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"
NURSING = "http://data.europa.eu/esco/skill/f98e06f5-a09a-4356-b6a8-d55a7d3c5356"
DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"


def test_esco_loads_idempotently_in_english_and_spanish_and_is_searchable(db):
    report = frameworks.load_esco(db, now=NOW)
    db.commit()
    assert report.created > 16_000 and report.updated == 49  # the Spanish subset merged
    assert "have no URI" in str(report.problems[-1])
    framework = db.get(SkillFramework, report.framework_id)
    assert framework.languages == ["en", "es"]
    assert frameworks.kind_counts(db, framework_ids=[framework.id])[framework.id] == {
        "skill": 13_564, "occupation": 3_039}
    hits = search(db, query="manage musical staff", language="en")
    assert hits[0].uri == "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    assert hits[0].framework == "ESCO" and hits[0].rank == 0
    # Outside the Spanish subset a Spanish search finds the English label.
    assert search(db, query="manage musical staff", language="es")[0].language == "en"
    # Inside it, Spanish labels are found with or without accents and capitals.
    for query in ("hojas de cálculo", "HOJAS DE CALCULO", "programas informaticos de hojas"):
        assert [(h.uri, h.language) for h in search(db, query=query, language="es")][:1] == [
            (SHEETS, "es")], query
    nursing = search(db, query="asistencia de enfermeria", language="es")
    assert (nursing[0].uri, nursing[0].label) == (NURSING, "realizar asistencia de enfermería")
    assert search(db, query="implement nursing care", language="en")[0].label == (
        "implement nursing care")
    occupation = search(db, query="software developer", language="en")[0]
    assert (occupation.uri, occupation.kind, occupation.rank) == (DEVELOPER, "occupation", 0)
    nurses = search(db, query="nurse", language="en", kind="occupation", limit=50)
    assert nurses and {h.kind for h in nurses} == {"occupation"}
    assert "nurse responsible for general care" in [h.label for h in nurses]
    assert {h.kind for h in search(db, query="nurse", language="en", kind="skill")} == {"skill"}
    again = frameworks.load_esco(db, now=NOW)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == report.created + report.updated  # each Spanish row counted too
    assert db.get(SkillFramework, report.framework_id).languages == ["en", "es"]
