"""The frameworks page /orgs/{org_id}/frameworks: members see the frameworks and search
them (English and Spanish, accents ignored); owners import a CASE or RSD file and get a
per-item report; a bad file imports nothing; staff cannot import (403), other
organizations get 404, visitors are sent to sign in."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime

import pytest

from openler.accounts import service as accounts_service
from openler.skills_service import frameworks_onet
from openler.storage import db as storage_db

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NOW = datetime(2026, 12, 1, tzinfo=UTC)
CASE = {
    "CFDocument": {"uri": "https://case.example.edu/d", "title": "Marco de la escuela",
                   "language": "es"},
    "CFItems": [
        {"identifier": "c1", "uri": "https://case.example.edu/1", "humanCodingScheme": "E.1",
         "fullStatement": "Gestión de redes informáticas"},
        {"identifier": "c2", "uri": "https://case.example.edu/2", "humanCodingScheme": "E.2",
         "fullStatement": "Atención al público"},
    ],
}
RSD = {"name": "Welding skills", "id": "https://osmt.example.org/c/1", "skills": [
    {"id": "https://osmt.example.org/s/1", "skillName": "MIG Welding",
     "skillStatement": "Join steel with MIG.", "occupations": ["51-4121.00"]}]}


@pytest.fixture
def school(accounts, clean_db):
    owner_id, org_id = accounts.org_owner("dean@school.example", "Escuela", kind="school")
    accounts.learner("staff@school.example", "Staff")
    with storage_db.make_sessionmaker(clean_db)() as s:
        owner = accounts_service.current_user(s, user_id=owner_id)
        accounts_service.add_member(s, user=owner, org_id=org_id,
                                    email="staff@school.example", role="issuer_staff")
        frameworks_onet.import_onet(s, directory=frameworks_onet.DEMO_DIR, now=NOW)
        s.commit()
    return org_id


@pytest.fixture
def dean(client, web, school):
    web.sign_in(client, "dean@school.example")
    return client


def _import(client, org_id, content: bytes, fmt="case", language="en"):
    token = CSRF.search(client.get(f"/orgs/{org_id}/frameworks").text).group(1)
    return client.post(f"/orgs/{org_id}/frameworks/import",
                       data={"csrf_token": token, "format": fmt, "language": language},
                       files={"framework_file": ("f.json", content, "application/json")})


def test_who_may_see_and_import(client, make_client, web, school, accounts):
    path = f"/orgs/{school}/frameworks"
    assert client.get(path, follow_redirects=False).status_code == 303
    staff = make_client()
    web.sign_in(staff, "staff@school.example")
    page = staff.get(path)
    assert page.status_code == 200 and "O*NET-SOC" in page.text
    assert "Import your own framework" not in page.text
    assert _import(staff, school, json.dumps(CASE).encode()).status_code == 403
    accounts.org_owner("boss@other.example", "Other", kind="school")
    other = make_client()
    web.sign_in(other, "boss@other.example")
    assert other.get(path).status_code == 404


def test_import_case_then_search_in_spanish_without_accents(dean, school):
    page = _import(dean, school, json.dumps(CASE).encode())
    assert page.status_code == 200
    assert "Marco de la escuela: 2 new, 0 changed, 0 unchanged." in page.text
    again = _import(dean, school, json.dumps(CASE).encode())
    assert "Marco de la escuela: 0 new, 0 changed, 2 unchanged." in again.text
    dean.get("/language/es")
    found = dean.get(f"/orgs/{school}/frameworks", params={"q": "GESTION"})
    assert found.status_code == 200 and 'lang="es">Gestión de redes informáticas' in found.text
    assert "Marcos de competencias" in found.text and "1 resultado para" in found.text
    english = dean.get(f"/orgs/{school}/frameworks", params={"q": "softw"})
    assert "Software Developers" in english.text


def test_import_rsd_file(dean, school):
    page = _import(dean, school, json.dumps(RSD).encode(), fmt="rsd")
    assert "Welding skills: 1 new, 0 changed, 0 unchanged." in page.text
    found = dean.get(f"/orgs/{school}/frameworks", params={"q": "mig weld"})
    assert "MIG Welding" in found.text


def test_a_bad_file_lists_each_problem_and_imports_nothing(dean, school):
    bad = copy.deepcopy(CASE)
    bad["CFItems"][1].pop("fullStatement")
    bad["CFItems"].append({"uri": "https://case.example.edu/1", "fullStatement": "Twice"})
    page = _import(dean, school, json.dumps(bad).encode())
    assert page.status_code == 400
    assert "Nothing was imported: the file has problems." in page.text
    assert "CFItems, item 2 (<code>c2</code>): it has no statement" in page.text
    assert "is used by another item too" in page.text
    assert "Marco de la escuela" not in page.text
    dean.get("/language/es")
    spanish = _import(dean, school, json.dumps(bad).encode())
    assert "CFItems, elemento 2 (<code>c2</code>): no tiene enunciado" in spanish.text


@pytest.mark.parametrize(("content", "fmt", "message"), [
    (b"{oops", "case", "This file is not JSON."),
    (b'{"skills": 1}', "rsd", "is not a Rich Skill Descriptor collection"),
    (b'{"CFItems": []}', "case", "is not a CASE package"),
    (b"", "case", "Choose a CASE or RSD file."),
    (b"{}", "xml", "Choose the format of the file"),
])
def test_whole_file_problems_get_a_specific_message(dean, school, content, fmt, message):
    if content:
        page = _import(dean, school, content, fmt=fmt)
    else:
        token = CSRF.search(dean.get(f"/orgs/{school}/frameworks").text).group(1)
        page = dean.post(f"/orgs/{school}/frameworks/import",
                         data={"csrf_token": token, "format": fmt, "language": "en"})
    assert page.status_code == 400
    assert message in page.text and "There is a problem" in page.text
