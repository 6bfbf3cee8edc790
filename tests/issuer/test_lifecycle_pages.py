"""Lifecycle, dashboard and audit pages: the revocation reason appears only on the owners'
audit page (never on staff pages, the status list or public JSON), forms use the error
summary, owners alone see the audit log (staff 403, other organizations 404)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from openler.accounts import service as accounts_service
from openler.storage import db as storage_db

REASON = "Secret misconduct finding 7731"
COURSE = {"name": "Safe Lifting", "achievement_type": "Course",
          "description": "Lifts patients safely.", "criteria": "Pass the practical test."}


@pytest.fixture
def org(client, accounts, web, clean_db):
    _user, org_id = accounts.org_owner("owner@college.example", "Example College")
    accounts.learner("staff@college.example", "Staff Member")
    with storage_db.make_sessionmaker(clean_db)() as s:
        owner = accounts_service.current_user(s, user_id=_user)
        accounts_service.add_member(s, user=owner, org_id=org_id, email="staff@college.example",
                                    role="issuer_staff")
        s.commit()
    web.sign_in(client, "owner@college.example")
    return org_id


def _post(client, web, path, data, csrf_from):
    token = web.csrf_of(client, csrf_from)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _award(client, web, org_id, email="sam@learner.example", **extra) -> str:
    r = _post(client, web, f"/orgs/{org_id}/catalog/new", COURSE, f"/orgs/{org_id}/catalog/new")
    aid = r.headers["location"].rsplit("/", 1)[1]
    path = f"/orgs/{org_id}/catalog/{aid}/award"
    r = _post(client, web, path, {"recipient_email": email, **extra}, path)
    assert r.status_code == 303, r.text
    listing = client.get(f"/orgs/{org_id}/awards").text
    return re.search(r"/awards/(\w+)/life", listing).group(1)


def _summary(html: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert block, "no error summary"
    return re.findall(r'<a href="#field-([\w-]+)">', block.group(0))


def test_revoke_reason_is_required_and_shown_in_the_summary(client, web, org):
    award_id = _award(client, web, org)
    life = f"/orgs/{org}/awards/{award_id}/life"
    r = _post(client, web, f"{life}/revoke", {"reason": "  "}, life)
    assert r.status_code == 400 and _summary(r.text) == ["reason"]
    assert 'id="field-reason"' in r.text and 'aria-invalid="true"' in r.text
    assert '<dd id="credential-status">Valid</dd>' in client.get(life).text


def test_reason_is_private_to_the_owners_audit_view(client, web, org, make_client):
    award_id = _award(client, web, org)
    credential = client.get(f"/orgs/{org}/awards/{award_id}/credential.json").json()
    life = f"/orgs/{org}/awards/{award_id}/life"
    r = _post(client, web, f"{life}/revoke", {"reason": REASON}, life)
    assert r.status_code == 303
    assert "Revoked" in client.get(life).text
    status_url = credential["credentialStatus"]["statusListCredential"]
    status = client.get("/credentials/status/" + status_url.rsplit("/", 1)[1])
    assert status.status_code == 200 and status.headers["cache-control"] == "no-cache"
    public = [status.text, client.get(f"/orgs/{org}/did.json").text]
    staff_pages = [client.get(p).text for p in (
        life, f"/orgs/{org}/awards", f"/orgs/{org}/dashboard", f"/orgs/{org}",
        f"/orgs/{org}/awards/{award_id}/credential.json")]
    for body in public + staff_pages:
        assert REASON not in body
    assert REASON in client.get(f"/orgs/{org}/audit").text
    staff = make_client()
    web.sign_in(staff, "staff@college.example")
    assert REASON not in staff.get(life).text
    assert staff.get(f"/orgs/{org}/audit").status_code == 403
    assert staff.get(f"/orgs/{org}/audit.csv").status_code == 403
    assert staff.get(f"/orgs/{org}/dashboard").status_code == 200


def test_reissue_with_a_new_name(client, web, org):
    award_id = _award(client, web, org)
    life = f"/orgs/{org}/awards/{award_id}/life"
    r = _post(client, web, f"{life}/reissue", {}, life)
    assert r.status_code == 400 and _summary(r.text) == ["recipient_name"]
    r = _post(client, web, f"{life}/reissue", {"valid_until": "tomorrow"}, life)
    assert r.status_code == 400 and _summary(r.text) == ["valid_until"]
    r = _post(client, web, f"{life}/reissue", {"recipient_name": "Old Name"}, life)
    assert r.status_code == 303
    first = r.headers["location"]
    r = _post(client, web, first + "/reissue", {"recipient_name": "New Name"}, first)
    newest = client.get(r.headers["location"])
    assert "New Name" in newest.text
    for path in (first, life, f"/orgs/{org}/awards"):
        assert "Old Name" not in client.get(path).text
    old_json = client.get(f"/orgs/{org}/awards/{first.split('/')[-2]}/credential.json").text
    assert "Old Name" not in old_json
    assert "superseded" in client.get(f"/orgs/{org}/audit").text


def test_expired_shows_in_the_awards_list(client, web, org, clock):
    _award(client, web, org, valid_until="2026-12-01")
    assert "Expired" not in client.get(f"/orgs/{org}/awards").text
    clock.advance(days=30)
    assert "Expired" in client.get(f"/orgs/{org}/awards").text


def test_other_organizations_get_404(client, web, org, accounts, make_client):
    award_id = _award(client, web, org)
    accounts.org_owner("owner@other.example", "Other College")
    other = make_client()
    web.sign_in(other, "owner@other.example")
    for path in (f"/orgs/{org}/audit", f"/orgs/{org}/audit.csv", f"/orgs/{org}/dashboard",
                 f"/orgs/{org}/awards/{award_id}/life"):
        assert other.get(path).status_code == 404, path
    mine = other.get("/account").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', mine).group(1)
    r = other.post(f"/orgs/{org}/awards/{award_id}/life/revoke",
                   data={"csrf_token": token, "reason": "x"}, follow_redirects=False)
    assert r.status_code == 404


def test_audit_filters_and_csv(client, web, org):
    _award(client, web, org)
    page = client.get(f"/orgs/{org}/audit?action=award_issued")
    assert page.status_code == 200 and "Credential issued" in page.text
    assert "Achievement created" not in page.text.split("<tbody>")[1]
    assert client.get(f"/orgs/{org}/audit?since=2099-01-01").text.count("<tbody>") == 0
    bad = client.get(f"/orgs/{org}/audit?since=soon")
    assert bad.status_code == 400 and _summary(bad.text) == ["since"]
    export = client.get(f"/orgs/{org}/audit.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][:3] == ["time_utc", "actor", "action"]
    assert {r[2] for r in rows[1:]} == {"achievement_created", "award_issued"}
    assert {r[1] for r in rows[1:]} == {"owner@college.example"}


def test_dashboard_suppresses_small_groups(client, web, org):
    for n in range(2):
        _award(client, web, org, email=f"l{n}@learner.example")
    page = client.get(f"/orgs/{org}/dashboard")
    assert page.status_code == 200 and "<svg" in page.text and 'role="img"' in page.text
    assert "fewer than 5" in page.text
    assert not re.search(r"<td>2</td>", page.text)
