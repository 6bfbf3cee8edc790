"""Every object URL of one organization or learner answers 404 (never 403) to the staff
of another organization and to another learner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from openler.storage.tables import Achievement, Alignment, Passkey


@pytest.fixture
def first_tenant(db, accounts, clock):
    """An issuer with one achievement, and a learner with one passkey."""
    owner_id, org_id = accounts.org_owner("owner@first.example", "First College")
    learner_id = accounts.learner("learner@first.example")
    achievement = Achievement(
        organization_id=org_id,
        name="Welding Basics",
        description="d",
        criteria="c",
        created_at=clock(),
        alignments=[
            Alignment(
                target_name="Welding",
                target_url="https://example.org/w",
                target_framework="F",
                target_code="W1",
            )
        ],
    )
    passkey = Passkey(
        user_id=learner_id,
        credential_id=b"cred-1",
        public_key=b"pk",
        sign_count=0,
        label="Phone",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    db.add_all([achievement, passkey])
    db.commit()
    return {"org_id": org_id, "achievement_id": achievement.id, "passkey_id": passkey.id}


def object_requests(t):
    org, ach, pk = t["org_id"], t["achievement_id"], t["passkey_id"]
    return [
        ("GET", f"/orgs/{org}", None),
        ("GET", f"/orgs/{org}/achievements/{ach}", None),
        ("POST", f"/orgs/{org}/members", {"email": "x@example.org", "role": "owner"}),
        ("POST", f"/account/passkeys/{pk}/delete", {}),
    ]


@pytest.mark.parametrize("outsider", ["other_staff", "other_learner"])
def test_outsiders_get_404_on_every_object_url(client, db, accounts, web, first_tenant, outsider):
    if outsider == "other_staff":
        accounts.org_owner("owner@second.example", "Second College", kind="employer")
        web.sign_in(client, "owner@second.example")
    else:
        accounts.learner("learner@second.example")
        web.sign_in(client, "learner@second.example")
    token = web.csrf_of(client, "/")
    for method, url, data in object_requests(first_tenant):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Page not found" in response.text
    db.expire_all()
    assert db.scalar(select(Passkey.id)) == first_tenant["passkey_id"]


def test_owners_see_their_own_objects(client, accounts, web, first_tenant):
    web.sign_in(client, "owner@first.example")
    org, ach = first_tenant["org_id"], first_tenant["achievement_id"]
    assert client.get(f"/orgs/{org}").status_code == 200
    page = client.get(f"/orgs/{org}/achievements/{ach}")
    assert page.status_code == 200 and "Welding Basics" in page.text and "W1" in page.text


def test_learner_can_delete_own_passkey(client, db, web, first_tenant):
    web.sign_in(client, "learner@first.example")
    token = web.csrf_of(client, "/account")
    response = client.post(
        f"/account/passkeys/{first_tenant['passkey_id']}/delete",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.scalar(select(Passkey.id)) is None


def test_an_achievement_under_the_wrong_org_is_404(client, accounts, web, first_tenant):
    _owner, second_org = accounts.org_owner("owner@second.example", "Second College")
    web.sign_in(client, "owner@second.example")
    # Own organization, other organization's achievement id.
    url = f"/orgs/{second_org}/achievements/{first_tenant['achievement_id']}"
    assert client.get(url).status_code == 404


def test_visitors_are_sent_to_sign_in(client, first_tenant):
    response = client.get(f"/orgs/{first_tenant['org_id']}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=%2Forgs%2F")
