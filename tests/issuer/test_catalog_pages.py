"""Catalog and award pages: each form names the wrong or missing field in the error
summary and saves nothing; other organizations get 404; status actions work."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from openler.storage import db as storage_db
from openler.storage.tables import Achievement
from openler.storage.tables_catalog import Award

VALID = {
    "name": "Safe Lifting",
    "achievement_type": "Course",
    "description": "Lifts patients safely.",
    "criteria": "Pass the practical test.",
    "alignment_1_name": "Patient handling",
    "alignment_1_url": "https://example.org/skills/handling",
    "alignment_1_framework": "ESCO",
    "alignment_1_code": "S3.1",
    "result_1_name": "Grade",
    "result_1_type": "LetterGrade",
    "result_1_allowed": "A, B, C",
}


@pytest.fixture
def staff(client, accounts, web):
    _user, org_id = accounts.org_owner("owner@college.example", "Example College")
    web.sign_in(client, "owner@college.example")
    return org_id


def _count(engine, table) -> int:
    with storage_db.make_sessionmaker(engine)() as s:
        return s.scalar(select(func.count()).select_from(table))


def _post(client, web, path, data, files=None):
    token = web.csrf_of(client, path)
    return client.post(path, data={"csrf_token": token, **data}, files=files,
                       follow_redirects=False)


def _create(client, web, org_id, **changes) -> str:
    response = _post(client, web, f"/orgs/{org_id}/catalog/new", {**VALID, **changes})
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def _summary(html: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert block, "no error summary"
    return re.findall(r'<a href="#field-([\w-]+)">', block.group(0))


@pytest.mark.parametrize(("field", "value"), [
    ("name", ""), ("description", ""), ("criteria", ""), ("achievement_type", "Spaceship"),
    ("alignment_1_url", "not a url"), ("credits_available", "lots"), ("image", "ftp://x"),
    ("result_1_type", "Vibes"),
])
def test_create_form_names_the_field_and_saves_nothing(client, web, staff, clean_db,
                                                       field, value):
    response = _post(client, web, f"/orgs/{staff}/catalog/new", {**VALID, field: value})
    assert response.status_code == 400
    assert field in _summary(response.text)
    assert f'id="field-{field}"' in response.text
    assert _count(clean_db, Achievement) == 0


def test_create_then_edit_form_errors_keep_the_achievement(client, web, staff, clean_db):
    aid = _create(client, web, staff)
    page = client.get(f"/orgs/{staff}/catalog/{aid}")
    assert page.status_code == 200 and "Safe Lifting" in page.text and "Patient handling" in page.text
    response = _post(client, web, f"/orgs/{staff}/catalog/{aid}/edit", {**VALID, "name": ""})
    assert response.status_code == 400 and _summary(response.text) == ["name"]
    assert "Safe Lifting" in client.get(f"/orgs/{staff}/catalog/{aid}").text


def test_uploaded_image_too_large_or_wrong_type(client, web, staff, clean_db):
    path = f"/orgs/{staff}/catalog/new"
    big = b"\x89PNG\r\n\x1a\n" + b"0" * 300_000
    response = _post(client, web, path, VALID, files={"image_file": ("a.png", big, "image/png")})
    assert response.status_code == 400 and _summary(response.text) == ["image_file"]
    response = _post(client, web, path, VALID,
                     files={"image_file": ("a.png", b"<script>", "image/png")})
    assert response.status_code == 400 and _summary(response.text) == ["image_file"]
    assert _count(clean_db, Achievement) == 0
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = _post(client, web, path, VALID, files={"image_file": ("a.png", png, "image/png")})
    assert response.status_code == 303
    aid = response.headers["location"].rsplit("/", 1)[1]
    assert 'src="data:image/png;base64,' in client.get(f"/orgs/{staff}/catalog/{aid}").text


@pytest.mark.parametrize(("data", "field"), [
    ({}, "recipient_email"),
    ({"recipient_email": "not-an-email"}, "recipient_email"),
    ({"recipient_did": "did:nope"}, "recipient_did"),
    ({"recipient_email": "a@b.example", "result_1": "Z"}, "result_1"),
    ({"recipient_email": "a@b.example", "valid_until": "soon"}, "valid_until"),
    ({"recipient_email": "a@b.example", "valid_from": "2027-01-02",
      "valid_until": "2027-01-01"}, "valid_until"),
    ({"recipient_email": "a@b.example", "evidence_1_url": "javascript:alert(1)"},
     "evidence_1_url"),
])
def test_award_form_names_the_field_and_issues_nothing(client, web, staff, clean_db, data,
                                                       field):
    aid = _create(client, web, staff)
    response = _post(client, web, f"/orgs/{staff}/catalog/{aid}/award", data)
    assert response.status_code == 400
    assert field in _summary(response.text)
    assert _count(clean_db, Award) == 0


def test_award_then_revoke_from_the_awards_page(client, web, staff, clean_db):
    aid = _create(client, web, staff)
    response = _post(client, web, f"/orgs/{staff}/catalog/{aid}/award",
                     {"recipient_email": "Sam@Learner.example", "result_1": "B",
                      "evidence_1_url": "https://portfolio.example/sam"},
                     files={"evidence_2": ("essay.txt", b"my essay", "text/plain")})
    assert response.status_code == 303, response.text
    listing = client.get(f"/orgs/{staff}/awards")
    assert "sam@learner.example" in listing.text and "Safe Lifting" in listing.text
    award_id = re.search(r"/awards/(\w+)/revoke", listing.text).group(1)
    download = client.get(f"/orgs/{staff}/awards/{award_id}/credential.json")
    assert download.json()["credentialSubject"]["result"][0]["value"] == "B"
    assert _post(client, web, f"/orgs/{staff}/awards/{award_id}/revoke", {}).status_code == 303
    listing = client.get(f"/orgs/{staff}/awards")
    assert "Revoked" in listing.text and f"/awards/{award_id}/revoke" not in listing.text
    # Suspension needs a suspension entry, which OB 3.0 credentials do not carry.
    assert _post(client, web, f"/orgs/{staff}/awards/{award_id}/suspend", {}).status_code == 400


def test_learner_record_download_is_a_signed_clr(client, web, staff):
    aid = _create(client, web, staff)
    _post(client, web, f"/orgs/{staff}/catalog/{aid}/award", {"recipient_email": "sam@l.example"})
    page = client.get(f"/orgs/{staff}/awards?learner=sam@l.example")
    assert "/learner-record" in page.text
    token = web.csrf_of(client, f"/orgs/{staff}/awards?learner=sam%40l.example")
    response = client.post(f"/orgs/{staff}/learner-record",
                           data={"csrf_token": token, "learner": "sam@l.example"})
    assert response.status_code == 200
    doc = response.json()
    assert "ClrCredential" in doc["type"] and doc["proof"]


def test_retire_hides_the_award_form_but_keeps_the_version(client, web, staff):
    aid = _create(client, web, staff)
    assert _post(client, web, f"/orgs/{staff}/catalog/{aid}/retire",
                 {"retire": "yes"}).status_code == 303
    assert client.get(f"/orgs/{staff}/catalog/{aid}/award").status_code == 404
    assert "Safe Lifting" in client.get(f"/orgs/{staff}/catalog").text
    doc = client.get(f"/orgs/{staff}/achievements/{aid}/v/1").json()
    assert doc["name"] == "Safe Lifting" and doc["achievementType"] == "Course"


def test_other_organization_gets_404_everywhere(client, web, staff, accounts, make_client):
    aid = _create(client, web, staff)
    accounts.org_owner("owner@other.example", "Other College")
    other = make_client()
    web.sign_in(other, "owner@other.example")
    for path in (f"/orgs/{staff}/catalog", f"/orgs/{staff}/catalog/{aid}",
                 f"/orgs/{staff}/catalog/{aid}/edit", f"/orgs/{staff}/catalog/{aid}/award",
                 f"/orgs/{staff}/awards"):
        assert other.get(path).status_code == 404, path
    token = web.csrf_of(other, "/account")
    response = other.post(f"/orgs/{staff}/catalog/{aid}/retire", data={"csrf_token": token})
    assert response.status_code == 404
    assert "Retire" in client.get(f"/orgs/{staff}/catalog/{aid}").text


def test_unknown_achievement_or_version_is_a_404_page(client, web, staff):
    aid = _create(client, web, staff)
    for path in (f"/orgs/{staff}/catalog/{'0' * 32}", f"/orgs/{staff}/catalog/{'0' * 32}/edit",
                 f"/orgs/{staff}/catalog/{'0' * 32}/award", f"/orgs/{staff}/awards/x/credential.json"):
        response = client.get(path)
        assert response.status_code == 404 and "<html" in response.text, path
    assert client.get(f"/orgs/{staff}/achievements/{aid}/v/2").status_code == 404
    assert client.get(f"/orgs/{staff}/achievements/{aid}/v/1").status_code == 200


def test_checking_staff_may_not_use_the_catalog(client, web, staff, accounts, make_client, engine):
    from openler.accounts import service
    from openler.storage.tables import User

    accounts.learner("checker@college.example")
    with storage_db.make_sessionmaker(engine)() as s:
        owner = s.scalars(select(User).where(User.email == "owner@college.example")).one()
        service.add_member(s, user=owner, org_id=staff, email="checker@college.example",
                           role="verifier_staff")
        s.commit()
    checker = make_client()
    web.sign_in(checker, "checker@college.example")
    assert checker.get(f"/orgs/{staff}").status_code == 200
    assert checker.get(f"/orgs/{staff}/catalog").status_code == 403


def test_editing_an_awarded_achievement_lists_a_new_version(client, web, staff, clean_db):
    aid = _create(client, web, staff)
    form = client.get(f"/orgs/{staff}/catalog/{aid}/award").text
    key = re.search(r'name="idempotency_key" value="(\w+)"', form).group(1)
    for _ in range(2):  # a double submission issues once
        response = _post(client, web, f"/orgs/{staff}/catalog/{aid}/award",
                         {"recipient_email": "sam@l.example", "idempotency_key": key})
        assert response.status_code == 303
    assert _count(clean_db, Award) == 1
    edit = client.get(f"/orgs/{staff}/catalog/{aid}/edit").text
    assert 'value="Patient handling"' in edit and 'value="A, B, C"' in edit
    response = _post(client, web, f"/orgs/{staff}/catalog/{aid}/edit",
                     {**VALID, "name": "Safe Lifting II"})
    assert response.status_code == 303
    detail = client.get(f"/orgs/{staff}/catalog/{aid}").text
    assert f"/achievements/{aid}/v/2" in detail and f"/achievements/{aid}/v/1" in detail
    assert client.get(f"/orgs/{staff}/achievements/{aid}/v/1").json()["name"] == "Safe Lifting"
    assert client.get(f"/orgs/{staff}/achievements/{aid}/v/2").json()["name"] == "Safe Lifting II"


def test_part_of_link_is_offered_and_shown(client, web, staff):
    programme = _create(client, web, staff, name="Care Programme",
                        achievement_type="LearningProgram")
    form = client.get(f"/orgs/{staff}/catalog/new").text
    assert f'<option value="{programme}">Care Programme</option>' in form
    course = _create(client, web, staff, parent_id=programme)
    detail = client.get(f"/orgs/{staff}/catalog/{course}").text
    assert f'href="/orgs/{staff}/catalog/{programme}">Care Programme</a>' in detail
    response = _post(client, web, f"/orgs/{staff}/catalog/{programme}/edit",
                     {**VALID, "name": "Care Programme", "parent_id": course})
    assert response.status_code == 400 and _summary(response.text) == ["parent_id"]
