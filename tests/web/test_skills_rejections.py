"""The page where an organization reviews and undoes its "Not relevant" answers (issue 7,
item 2): ``/orgs/{org_id}/skills/rejections``. Members see it, owners change it, anyone
outside the organization gets 404; the forms' panels and the organization page link it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from openler.accounts import service as accounts_service
from openler.skills_service import suggestions as service
from openler.storage import db as storage_db
from openler.storage.tables import User
from openler.storage.tables_skills import SkillRejection
from skill_engines import ready_holder

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ADD = re.compile(r'name="skills_add" value="([^"]+)"')
FORGET = re.compile(r'action="(/orgs/[0-9a-f]+/skills/rejections/([0-9a-f]+)/forget)"')
DESCRIPTION = ("Learners drive a counterbalance forklift truck in a warehouse, stack pallets "
               "safely and check the load before moving it.")
FIELDS = {"name": "Forklift Operation Level 2", "achievement_type": "Certificate",
          "description": DESCRIPTION, "criteria": "Pass the practical test."}
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _post(client, path, data, form_path=None):
    token = CSRF.search(client.get(form_path or path).text).group(1)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _rows(engine):
    with storage_db.make_sessionmaker(engine)() as s:
        return s.scalars(select(SkillRejection)).all()


@pytest.fixture
def ready(app):
    app.state.skill_engine = ready_holder()
    return app.state.skill_engine


@pytest.fixture
def harbour(client, accounts, web, ready):
    owner, org = accounts.org_owner("owner@harbour.example", "Harbour Training")
    web.sign_in(client, "owner@harbour.example")
    return client, org


def _reject_on_new_achievement(client, org) -> str:
    new = f"/orgs/{org}/catalog/new"
    uri = ADD.findall(_post(client, new, {**FIELDS, "skills_action": "suggest"}).text)[1]
    done = _post(client, new, {**FIELDS, "skills_shown": "1", "skills_reject": uri})
    assert done.status_code == 200
    return uri


def _staff(accounts, clean_db, org, email="sam@harbour.example", role="issuer_staff"):
    accounts.learner(email, "Sam Staff")
    with storage_db.make_sessionmaker(clean_db)() as s:
        boss = s.scalars(select(User).where(User.email == "owner@harbour.example")).one()
        accounts_service.add_member(s, user=boss, org_id=org, email=email, role=role)
        s.commit()


def test_empty_state_and_the_links_to_the_page(harbour):
    client, org = harbour
    page = client.get(f"/orgs/{org}/skills/rejections")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "<h1>Skills you marked as not relevant</h1>" in text
    assert "Nothing is marked as not relevant" in text
    assert "no-store" in page.headers.get("cache-control", "")
    link = f'href="/orgs/{org}/skills/rejections"'
    assert link in client.get(f"/orgs/{org}").text
    form = client.get(f"/orgs/{org}/catalog/new").text
    assert link in form and "Skills you marked as not relevant" in form


def test_rejections_from_both_forms_are_listed_and_can_be_suggested_again(
        harbour, accounts, web, clean_db, make_client):
    client, org = harbour
    uri = _reject_on_new_achievement(client, org)
    # The employer side of the same organization rejects a skill on the role form.
    roles = f"/orgs/{org}/roles"
    job = {"name": "Warehouse operative", "job_description": "Operate forklifts and "
           "stack pallets in the warehouse."}
    role_uris = re.findall(r'name="skills_add_required" value="([^"]+)"',
                           _post(client, roles, {**job, "skills_action": "suggest"}).text)
    role_uri = next(u for u in role_uris if u != uri)
    _post(client, roles, {**job, "skills_shown": "1", "skills_reject": role_uri})
    rows = {r.skill_uri: r for r in _rows(clean_db)}
    assert set(rows) == {uri, role_uri}

    page = client.get(f"/orgs/{org}/skills/rejections")
    text = html.unescape(page.text)
    assert "2 skills" in text
    for row in rows.values():
        assert row.label in text and f'href="{row.skill_uri}"' in page.text
    assert text.count("<dd>ESCO</dd>") == 2
    assert "<dd>Achievement form</dd>" in text and "<dd>Role form</dd>" in text
    assert text.count("<dd>The whole organization</dd>") == 2
    assert text.count("<dd>Owner of Harbour Training</dd>") == 2
    assert re.search(r"<dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC</dd>", text)
    forms = dict((rid, action) for action, rid in FORGET.findall(page.text))
    assert set(forms) == {r.id for r in rows.values()}

    # Suggest it again: the rejection goes, and the achievement form offers the skill again.
    gone = rows[uri]
    done = _post(client, forms[gone.id], {}, form_path=f"/orgs/{org}/skills/rejections")
    assert done.status_code == 303
    assert done.headers["location"] == f"/orgs/{org}/skills/rejections"
    after = client.get(f"/orgs/{org}/skills/rejections")
    assert "The skill can be suggested again." in after.text
    assert [r.skill_uri for r in _rows(clean_db)] == [role_uri]
    offered = ADD.findall(_post(client, f"/orgs/{org}/catalog/new",
                                {**FIELDS, "skills_action": "suggest"}).text)
    assert uri in offered
    # Once gone, the same address is 404 (not a second deletion of something else).
    again = _post(client, forms[gone.id], {}, form_path=f"/orgs/{org}/skills/rejections")
    assert again.status_code == 404
    assert [r.skill_uri for r in _rows(clean_db)] == [role_uri]


def test_rejection_for_an_item_names_it(harbour, clean_db):
    client, org = harbour
    saved = _post(client, f"/orgs/{org}/catalog/new", FIELDS)
    achievement_id = saved.headers["location"].rsplit("/", 1)[1]
    edit = f"/orgs/{org}/catalog/{achievement_id}/edit"
    uri = ADD.findall(_post(client, edit, {**FIELDS, "skills_action": "suggest"}).text)[0]
    _post(client, edit, {**FIELDS, "skills_shown": "1", "skills_reject": uri})
    text = html.unescape(client.get(f"/orgs/{org}/skills/rejections").text)
    assert "<dd>Forklift Operation Level 2</dd>" in text
    assert "The whole organization" not in text


def test_members_see_it_and_only_owners_change_it(harbour, accounts, web, clean_db,
                                                  make_client):
    client, org = harbour
    uri = _reject_on_new_achievement(client, org)
    rejection = _rows(clean_db)[0]
    _staff(accounts, clean_db, org)
    staff = make_client()
    web.sign_in(staff, "sam@harbour.example")
    page = staff.get(f"/orgs/{org}/skills/rejections")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert rejection.label in text and "Only owners of the organization" in text
    assert not FORGET.findall(page.text) and "Suggest it again" not in text
    refused = _post(staff, f"/orgs/{org}/skills/rejections/{rejection.id}/forget", {},
                    form_path=f"/orgs/{org}/skills/rejections")
    assert refused.status_code == 403
    assert [r.skill_uri for r in _rows(clean_db)] == [uri]


def test_outside_the_organization_everything_is_404(harbour, accounts, web, clean_db,
                                                    make_client):
    client, org = harbour
    _reject_on_new_achievement(client, org)
    rejection = _rows(clean_db)[0]
    other_org = accounts.org_owner("boss@other.example", "Other College")[1]
    outsider = make_client()
    web.sign_in(outsider, "boss@other.example")
    assert outsider.get(f"/orgs/{org}/skills/rejections").status_code == 404
    stolen = _post(outsider, f"/orgs/{org}/skills/rejections/{rejection.id}/forget", {},
                   form_path=f"/orgs/{other_org}/skills/rejections")
    assert stolen.status_code == 404
    # Their own organization's address with our rejection id: not theirs, 404.
    crossed = _post(outsider, f"/orgs/{other_org}/skills/rejections/{rejection.id}/forget",
                    {}, form_path=f"/orgs/{other_org}/skills/rejections")
    assert crossed.status_code == 404
    assert len(_rows(clean_db)) == 1
    learner = make_client()
    accounts.learner("ana@example.org", "Ana Learner")
    web.sign_in(learner, "ana@example.org")
    assert learner.get(f"/orgs/{org}/skills/rejections").status_code == 404


def test_without_the_csrf_token_nothing_changes(harbour, clean_db):
    client, org = harbour
    _reject_on_new_achievement(client, org)
    rejection = _rows(clean_db)[0]
    reply = client.post(f"/orgs/{org}/skills/rejections/{rejection.id}/forget",
                        data={}, follow_redirects=False)
    assert reply.status_code == 403
    assert len(_rows(clean_db)) == 1


def test_a_former_member_and_an_unsafe_address_are_shown_safely(harbour, clean_db):
    client, org = harbour
    with storage_db.make_sessionmaker(clean_db)() as s:
        service.reject(s, org_id=org, skill_uri="javascript:alert(1)",
                       label="<b>Odd</b> skill", now=NOW)
        s.commit()
    page = client.get(f"/orgs/{org}/skills/rejections")
    assert 'href="javascript:' not in page.text and "<b>Odd</b>" not in page.text
    assert "&lt;b&gt;Odd&lt;/b&gt; skill" in page.text
    text = html.unescape(page.text)
    assert "<dd>A former member</dd>" in text and "<dd>Not known</dd>" in text


def test_the_page_in_spanish(harbour, clean_db):
    client, org = harbour
    _reject_on_new_achievement(client, org)
    client.get("/language/es?next=/")
    text = html.unescape(client.get(f"/orgs/{org}/skills/rejections").text)
    assert '<html lang="es"' in text
    assert "Competencias que marcó como no pertinentes" in text
    assert "Sugerirla de nuevo" in text and "Formulario de logro" in text
    assert "Toda la organización" in text
    with storage_db.make_sessionmaker(clean_db)() as s:
        for row in s.scalars(select(SkillRejection)):
            s.delete(row)
        s.commit()
    empty = html.unescape(client.get(f"/orgs/{org}/skills/rejections").text)
    assert "No hay nada marcado como no pertinente" in empty
