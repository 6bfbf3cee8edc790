"""Every form: a wrong or missing field gives an error summary naming the field, the
field points at its message, the title starts with "Error:", and nothing is saved."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from openler.storage.tables import Membership, Organization, User


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def assert_error_page(response, field: str, label: str) -> None:
    html = response.text
    assert response.status_code == 400, html
    assert re.search(r"<title>Error: ", html)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert "autofocus" in re.search(r'<div class="error-summary"[^>]*>', html).group(0)
    assert f'href="#field-{field}"' in summary.group(1)
    assert label in summary.group(1)
    field_tag = re.search(
        rf'<(input|select|fieldset)[^>]*id="field-{field}"[^>]*>', html
    ) or re.search(rf'<fieldset[^>]*aria-describedby="[^"]*error-{field}[^"]*"', html)
    assert field_tag, f"field {field} missing"
    described = re.search(rf'aria-describedby="[^"]*error-{field}[^"]*"', html)
    assert described, f"field {field} is not described by its error"
    assert f'id="error-{field}"' in html


SIGN_UP_OK = {
    "name": "Ana Díaz",
    "email": "ana@example.org",
    "password": "long enough password",
    "account_kind": "learner",
}


@pytest.mark.parametrize(
    ("change", "field", "label"),
    [
        ({"name": ""}, "name", "Full name"),
        ({"email": ""}, "email", "Email address"),
        ({"email": "not-an-email"}, "email", "Email address"),
        ({"password": "short"}, "password", "Password"),
        ({"account_kind": ""}, "account_kind", "Type of account"),
        ({"account_kind": "wizard"}, "account_kind", "Type of account"),
        ({"account_kind": "organization"}, "organization_name", "Organization name"),
        (
            {"account_kind": "organization", "organization_name": "X", "organization_kind": "bank"},
            "organization_kind",
            "Type of organization",
        ),
    ],
)
def test_sign_up_errors_save_nothing(client, db, web, change, field, label):
    data = {**SIGN_UP_OK, **change, "csrf_token": web.csrf_of(client, "/sign-up")}
    response = client.post("/sign-up", data=data)
    assert_error_page(response, field, label)
    assert count(db, User) == 0
    assert count(db, Organization) == 0
    # What the person typed is kept, except the password.
    if field != "name":
        assert 'value="Ana Díaz"' in response.text
    assert "long enough password" not in response.text


def test_sign_up_with_taken_email(client, db, accounts, web):
    accounts.learner("ana@example.org")
    data = {**SIGN_UP_OK, "csrf_token": web.csrf_of(client, "/sign-up")}
    response = client.post("/sign-up", data=data)
    assert_error_page(response, "email", "Email address")
    assert count(db, User) == 1


def test_sign_up_organization_creates_owner(client, db, web):
    data = {
        **SIGN_UP_OK,
        "account_kind": "organization",
        "organization_name": "Lakeside Training",
        "organization_kind": "school",
        "csrf_token": web.csrf_of(client, "/sign-up"),
    }
    response = client.post("/sign-up", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert count(db, Organization) == 1
    assert db.scalars(select(Membership.role)).one() == "owner"
    home = client.get("/").text
    assert "Lakeside Training" in home


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        ({"email": "", "password": "x"}, "email", "Email address"),
        ({"email": "a@b.example", "password": ""}, "password", "Password"),
    ],
)
def test_sign_in_missing_fields(client, web, data, field, label):
    response = client.post("/sign-in", data={**data, "csrf_token": web.csrf_of(client)})
    assert_error_page(response, field, label)


def test_sign_in_wrong_password_names_the_fields(client, accounts, web):
    accounts.learner("sam@example.org")
    response = client.post(
        "/sign-in",
        data={
            "email": "sam@example.org",
            "password": "wrong password!",
            "csrf_token": web.csrf_of(client),
        },
    )
    assert_error_page(response, "email", "Email address")
    assert "password is not right" in response.text
    assert client.get("/account", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        ({"name": "", "language": "en"}, "name", "Full name"),
        ({"name": "New Name", "language": "klingon"}, "language", "Language"),
        ({"name": "x" * 201, "language": "es"}, "name", "Full name"),
    ],
)
def test_profile_errors_save_nothing(client, db, accounts, web, data, field, label):
    user_id = accounts.learner("sam@example.org", name="Sam")
    web.sign_in(client, "sam@example.org")
    response = client.post(
        "/account/profile", data={**data, "csrf_token": web.csrf_of(client, "/account")}
    )
    assert_error_page(response, field, label)
    db.expire_all()
    user = db.get(User, user_id)
    assert (user.name, user.language) == ("Sam", "en")


def test_profile_saves_and_switches_language(client, db, accounts, web):
    user_id = accounts.learner("sam@example.org", name="Sam")
    web.sign_in(client, "sam@example.org")
    response = client.post(
        "/account/profile",
        data={"name": "Samuel", "language": "es", "csrf_token": web.csrf_of(client, "/account")},
    )
    assert response.status_code == 200
    assert '<html lang="es">' in response.text
    assert "Sus datos están guardados." in response.text
    db.expire_all()
    assert db.get(User, user_id).name == "Samuel"


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        (
            {
                "current_password": "",
                "new_password": "another long one",
                "confirm_password": "another long one",
            },
            "current_password",
            "Current password",
        ),
        (
            {
                "current_password": "wrong wrong wrong",
                "new_password": "another long one",
                "confirm_password": "another long one",
            },
            "current_password",
            "Current password",
        ),
        (
            {"current_password": "PW", "new_password": "short", "confirm_password": "short"},
            "new_password",
            "New password",
        ),
        (
            {
                "current_password": "PW",
                "new_password": "another long one",
                "confirm_password": "different long one",
            },
            "confirm_password",
            "Confirm new password",
        ),
        (
            {"current_password": "PW", "new_password": "another long one", "confirm_password": ""},
            "confirm_password",
            "Confirm new password",
        ),
    ],
)
def test_password_change_errors_save_nothing(
    client, accounts, web, make_client, data, field, label
):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    data = {k: (web.password if v == "PW" else v) for k, v in data.items()}
    response = client.post(
        "/account/password", data={**data, "csrf_token": web.csrf_of(client, "/account")}
    )
    assert_error_page(response, field, label)
    web.sign_in(make_client(), "sam@example.org", web.password)  # the old password still works


def test_password_change_works(client, accounts, web, make_client):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    new = "a brand new passphrase"
    response = client.post(
        "/account/password",
        data={
            "current_password": web.password,
            "new_password": new,
            "confirm_password": new,
            "csrf_token": web.csrf_of(client, "/account"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    web.sign_in(make_client(), "sam@example.org", new)


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        ({"email": "", "role": "issuer_staff"}, "email", "Email address"),
        ({"email": "nobody@example.org", "role": "issuer_staff"}, "email", "Email address"),
        ({"email": "sam@example.org", "role": ""}, "role", "Role"),
        ({"email": "sam@example.org", "role": "king"}, "role", "Role"),
        ({"email": "owner@college.example", "role": "owner"}, "email", "Email address"),
    ],
)
def test_add_member_errors_save_nothing(client, db, accounts, web, data, field, label):
    _owner, org_id = accounts.org_owner("owner@college.example", "Test College")
    accounts.learner("sam@example.org")
    web.sign_in(client, "owner@college.example")
    response = client.post(
        f"/orgs/{org_id}/members",
        data={**data, "csrf_token": web.csrf_of(client, f"/orgs/{org_id}")},
    )
    assert_error_page(response, field, label)
    assert count(db, Membership) == 1


def test_add_member_works_and_only_owners_may(client, db, accounts, web, make_client):
    _owner, org_id = accounts.org_owner("owner@college.example", "Test College")
    accounts.learner("staff@college.example")
    web.sign_in(client, "owner@college.example")
    response = client.post(
        f"/orgs/{org_id}/members",
        data={
            "email": "staff@college.example",
            "role": "issuer_staff",
            "csrf_token": web.csrf_of(client, f"/orgs/{org_id}"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert count(db, Membership) == 2
    staff = make_client()
    web.sign_in(staff, "staff@college.example")
    page = staff.get(f"/orgs/{org_id}")
    assert page.status_code == 200
    assert "Add a member" not in page.text
    accounts.learner("third@example.org")
    refused = staff.post(
        f"/orgs/{org_id}/members",
        data={"email": "third@example.org", "role": "owner", "csrf_token": web.csrf_of(staff, "/")},
    )
    assert refused.status_code == 403
    assert count(db, Membership) == 2


def test_spanish_error_messages(client, web):
    client.get("/language/es")
    data = {**SIGN_UP_OK, "email": "", "csrf_token": web.csrf_of(client, "/sign-up")}
    response = client.post("/sign-up", data=data)
    assert response.status_code == 400
    assert "<title>Error: Crear una cuenta – OpenLER</title>" in response.text
    assert "Hay un problema" in response.text
    assert "Correo electrónico: está vacío. Rellénelo." in response.text


@pytest.mark.parametrize("field", ["name", "email"])
def test_control_characters_are_a_form_error_not_a_crash(client, db, web, field):
    data = {**SIGN_UP_OK, field: SIGN_UP_OK[field][:3] + "\x00\x07" + SIGN_UP_OK[field][3:]}
    response = client.post("/sign-up", data={**data, "csrf_token": web.csrf_of(client, "/sign-up")})
    assert response.status_code == 400
    assert f'href="#field-{field}"' in response.text
    assert count(db, User) == 0


def test_sign_in_with_control_characters_is_a_form_error(client, web):
    response = client.post(
        "/sign-in",
        data={
            "email": "a\x00b@example.org",
            "password": "whatever",
            "csrf_token": web.csrf_of(client),
        },
    )
    assert response.status_code == 400
    assert 'href="#field-email"' in response.text
