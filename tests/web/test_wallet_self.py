"""Self-reported learning pages through the app: the learner adds a volunteering entry with a
file (it lands in the wallet marked self-reported, signed by the learner), problems come back
as an error summary with field messages and store nothing, the evidence file downloads as an
attachment, an entry can be changed (a new signed version, same record), another learner and
other records get 404, forms need their CSRF token, and the pages speak Spanish."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.storage.tables import User
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.web.errors import FORM_ERROR_STATUS

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r"/wallet/records/([0-9a-f]{32})$")
PDF = b"%PDF-1.4\n% a letter of thanks\n%%EOF\n"
NEW = "/wallet/self-reported/new"
APP_SECRET = "test-secret-key-not-for-production"


def _csrf(client, path=NEW):
    return CSRF.search(client.get(path).text).group(1)


FIELDS = {"kind": "volunteering", "title": "Food bank volunteer",
          "description": "Sorted donations every Saturday.", "organization": "Madrid Food Bank",
          "start": "2025-01-10", "end": "2025-06-30", "skills": "Teamwork, Logistics",
          "evidence_1_description": "Letter of thanks"}


def _post(client, path=NEW, data=None, files=None, form_path=None):
    body = {"csrf_token": _csrf(client, form_path or path), **(data or {})}
    return client.post(path, data=body, files=files or {}, follow_redirects=False)


@pytest.fixture
def learner(client, accounts, web):
    accounts.learner("learner@example.org", "Ana Learner")
    accounts.learner("other@example.org", "Otto Other")
    web.sign_in(client, "learner@example.org")
    return client


def _wallet_records(clean_db, email="learner@example.org"):
    config = service.WalletConfig(master=MasterKey(APP_SECRET), issuer=IssuerConfig(
        base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET)))
    with storage_db.make_sessionmaker(clean_db)() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        return service.records(s, config=config, user_id=user.id)


def _add(client, **changes):
    reply = _post(client, data={**FIELDS, **changes},
                  files={"evidence_1": ("thanks.pdf", PDF, "application/pdf")})
    assert reply.status_code == 303, reply.text
    return RECORD.search(reply.headers["location"]).group(1)


def test_form_explains_and_is_private(learner):
    page = learner.get(NEW)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert "Add your own learning" in text and "Self-reported" in text
    assert "not by an organization" in text
    assert 'enctype="multipart/form-data"' in text
    assert re.search(r'name="show_name" value="yes" id="field-show_name"(?! checked)', text)
    assert "leave your name off unless they need it" in text
    assert 'aria-current="page">Add your own learning' in text


def test_sign_in_is_needed(client):
    reply = client.get(NEW, follow_redirects=False)
    assert reply.status_code in (303, 307) and "/sign-in" in reply.headers["location"]


def test_add_with_a_file_lands_marked_self_reported(learner, clean_db):
    record_id = _add(learner)
    page = learner.get(f"/wallet/records/{record_id}")
    assert page.status_code == 200 and "Food bank volunteer" in page.text
    assert "marked as self-reported" in page.text  # the flash
    [record] = _wallet_records(clean_db)
    assert record.id == record_id and record.state == "kept" and record.source == "self"
    vc = record.credential
    assert vc["issuer"]["id"] == vc["credentialSubject"]["id"]
    assert "name" not in vc["issuer"]
    assert record.arrival.outcome == "verified"
    listing = learner.get("/wallet").text
    assert "Food bank volunteer" in listing and "provenance self" in listing

    download = learner.get(f"/wallet/records/{record_id}/evidence/1")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == 'attachment; filename="thanks.pdf"'
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["cache-control"] == "no-store"
    assert learner.get(f"/wallet/records/{record_id}/evidence/2").status_code == 404
    assert learner.get(f"/wallet/records/{record_id}/evidence/x").status_code in (404, 422,
                                                                                  400)


def test_name_goes_in_only_when_ticked(learner, clean_db):
    _add(learner, show_name="yes")
    [record] = _wallet_records(clean_db)
    assert record.credential["issuer"]["name"] == "Ana Learner"


@pytest.mark.parametrize(("changes", "files", "fields", "message"), [
    ({"title": "", "description": " "}, {}, ["title", "description"],
     "Give it a title"),
    ({"end": "2024-12-01"}, {}, ["end"], "The end date must be the same as or after"),
    ({"start": "31/01/2025"}, {}, ["start"], "Enter a real date as year-month-day"),
    ({}, {"evidence_2": ("page.html", b"<script>alert(1)</script>", "text/html")},
     ["evidence_2"], "must be a PDF, PNG, JPEG or plain text"),
    ({}, {"evidence_1": ("big.pdf", PDF + bytes(512 * 1024), "application/pdf")},
     ["evidence_1"], "512 KB or smaller"),
])
def test_problems_show_an_error_summary_and_store_nothing(learner, clean_db, changes, files,
                                                          fields, message):
    reply = _post(learner, data={**FIELDS, **changes}, files=files)
    assert reply.status_code == FORM_ERROR_STATUS
    text = reply.text
    assert "There is a problem" in text and message in text
    for field in fields:
        assert f'href="#field-{field}"' in text and f'id="field-{field}"' in text
        assert f'id="error-{field}"' in text
    assert "choose your files again" in text
    if "title" not in fields:
        assert 'value="Food bank volunteer"' in text  # what was typed comes back
    assert _wallet_records(clean_db) == []


def test_csrf_is_required(learner, clean_db):
    reply = learner.post(NEW, data=FIELDS, follow_redirects=False)
    assert reply.status_code == 403
    assert _wallet_records(clean_db) == []


def test_edit_signs_a_new_version_of_the_same_record(learner, clean_db):
    record_id = _add(learner)
    [before] = _wallet_records(clean_db)
    edit_path = f"/wallet/self-reported/{record_id}/edit"
    form = learner.get(edit_path)
    assert form.status_code == 200 and 'value="Food bank volunteer"' in form.text
    assert 'value="Madrid Food Bank"' in form.text and "Keep thanks.pdf" in form.text
    assert re.search(r'name="keep-1" value="yes" id="field-keep-1" checked', form.text)
    reply = _post(learner, edit_path, data={**FIELDS, "title": "Food bank shift lead",
                                            "keep-1": "yes"})
    assert reply.status_code == 303, reply.text
    assert reply.headers["location"] == f"/wallet/records/{record_id}"
    [after] = _wallet_records(clean_db)
    assert after.id == before.id and after.summary.achievement_name == "Food bank shift lead"
    assert after.credential["id"] != before.credential["id"]
    assert after.arrival.outcome == "verified"
    assert learner.get(f"/wallet/records/{record_id}/evidence/1").content == PDF
    bad = _post(learner, edit_path, data={**FIELDS, "end": "1999-01-01"})
    assert bad.status_code == FORM_ERROR_STATUS and "Change your self-reported learning" in bad.text
    assert _wallet_records(clean_db)[0].credential == after.credential


def test_other_learners_and_other_records_get_404(client, make_client, web, claim):
    learner = client
    web.sign_in(learner, "learner@example.org")
    record_id = _add(learner)
    other = make_client()
    web.sign_in(other, "other@example.org")
    assert other.get(f"/wallet/self-reported/{record_id}/edit").status_code == 404
    assert other.get(f"/wallet/records/{record_id}/evidence/1").status_code == 404
    reply = _post(other, f"/wallet/self-reported/{record_id}/edit", data=FIELDS,
                  form_path=NEW)
    assert reply.status_code == 404
    # A record from an organization is not the learner's to change.
    path = claim[2]
    token = _csrf(learner, path)
    claimed = learner.post(f"{path}/openler-wallet", data={"csrf_token": token},
                           follow_redirects=False)
    claimed_id = RECORD.search(claimed.headers["location"]).group(1)
    assert learner.get(f"/wallet/self-reported/{claimed_id}/edit").status_code == 404
    assert learner.get("/wallet/self-reported/nope/edit").status_code == 404


def test_record_panel_says_who_made_it(app, learner, clean_db):
    record_id = _add(learner)
    [record] = _wallet_records(clean_db)
    did = record.summary.subject_id
    template = app.state.templates.env.get_template("wallet/_self_reported_panel.html")
    html = template.render(record=record, s=record.summary, wallet_did=did)
    assert "Self-reported: added by you, not checked by any organization" in html
    assert "Madrid Food Bank" in html and "From 2025-01-10 to 2025-06-30" in html
    assert f'href="/wallet/records/{record_id}/evidence/1"' in html
    assert f'href="/wallet/self-reported/{record_id}/edit"' in html
    assert template.render(record=record, s=record.summary, wallet_did="did:key:other") \
        .count("/edit") == 0


def test_pages_in_spanish(learner):
    learner.get("/language/es?next=/")
    page = learner.get(NEW).text
    assert 'lang="es"' in page
    assert "Agregar su propio aprendizaje" in page and "Autodeclarado" in page
    reply = _post(learner, data={**FIELDS, "title": ""})
    assert "Hay un problema" in reply.text and "Póngale un título" in reply.text


def test_skills_the_catalogs_know_can_be_chosen(learner, accounts, clean_db, clock):
    from openler.issuer import catalog
    from openler.issuer.catalog_input import AchievementInput, AlignmentInput

    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    config = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    with storage_db.make_sessionmaker(clean_db)() as s:
        catalog.create_achievement(
            s, config=config, org_id=org_id, now=clock(),
            data=AchievementInput(name="Forklift", description="Drives forklifts.",
                                  criteria="Passed.", alignments=(AlignmentInput(
                                      target_name="Operate forklift",
                                      target_url="http://data.europa.eu/esco/skill/abc",
                                      target_framework="ESCO"),)))
        s.commit()
    form = learner.get(NEW).text
    key = re.search(r'name="skill-([0-9a-f]{16})" value="yes"', form).group(1)
    assert "Operate forklift (ESCO)" in form
    reply = _post(learner, data={**FIELDS, "skills": "", f"skill-{key}": "yes"})
    assert reply.status_code == 303, reply.text
    [record] = _wallet_records(clean_db)
    [aligned] = record.credential["credentialSubject"]["achievement"]["alignment"]
    assert aligned["targetUrl"] == "http://data.europa.eu/esco/skill/abc"
    edit = learner.get(f"/wallet/self-reported/{record.id}/edit").text
    assert re.search(rf'name="skill-{key}" value="yes" id="field-skill-{key}" checked', edit)
