"""CSRF on every POST form, session cookie flags, sign-in rate limiting, safe redirects."""

from __future__ import annotations

import pytest

POST_FORMS = [
    "/sign-in",
    "/sign-up",
    "/sign-out",
    "/account/profile",
    "/account/password",
    "/account/passkeys/abc/delete",
    "/orgs/abc/members",
]


@pytest.mark.parametrize("path", POST_FORMS)
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_post_without_valid_csrf_is_refused(client, accounts, web, path, token):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    data = {"email": "sam@example.org", "password": web.password, "name": "X"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "This action was refused" in response.text
    # Still signed in: the forged sign-out did nothing.
    assert client.get("/account", follow_redirects=False).status_code == 200


@pytest.mark.parametrize("path", ["/sign-in/passkey/options", "/account/passkeys/options"])
def test_json_endpoints_need_the_csrf_header(client, accounts, web, path):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    refused = client.post(path, headers={"Content-Type": "application/json"}, content="{}")
    assert refused.status_code == 403
    token = web.csrf_of(client, "/account")
    accepted = client.post(
        path, headers={"X-CSRF-Token": token, "Content-Type": "application/json"}, content="{}"
    )
    assert accepted.status_code == 200
    assert "challenge" in accepted.json()


def test_session_cookie_flags(client, accounts, web):
    accounts.learner("sam@example.org")
    response = web.sign_in(client, "sam@example.org")
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("openler_session=")
    )
    lowered = cookie.lower()
    assert "httponly" in lowered
    assert "samesite=lax" in lowered
    assert "secure" not in lowered.replace("samesite", "")


def test_secure_cookie_setting(settings, clock, clean_db, accounts, web):
    from fastapi.testclient import TestClient

    from openler.web.app import create_app

    secure_app = create_app(settings.model_copy(update={"secure_cookies": True}), clock=clock)
    accounts.learner("sam@example.org")
    with TestClient(secure_app, base_url="https://testserver") as c:
        response = web.sign_in(c, "sam@example.org")
        cookie = next(
            v
            for k, v in response.headers.multi_items()
            if k == "set-cookie" and v.startswith("openler_session=")
        )
        assert "; secure" in cookie.lower()


def test_session_is_rotated_on_sign_in(client, accounts, web):
    accounts.learner("sam@example.org")
    before = web.csrf_of(client, "/sign-in")
    web.sign_in(client, "sam@example.org")
    after = web.csrf_of(client, "/account")
    assert before != after


def test_sign_out_ends_the_session(client, accounts, web):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    token = web.csrf_of(client, "/account")
    response = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303


def _fail(client, web, email: str):
    return client.post(
        "/sign-in",
        data={"email": email, "password": "not the password", "csrf_token": web.csrf_of(client)},
    )


def test_rate_limit_per_account(client, accounts, web, clock, make_client):
    accounts.learner("sam@example.org")
    for _ in range(5):
        assert _fail(client, web, "sam@example.org").status_code == 400
    # The right password is refused now, even from another client, with a time to retry.
    other = make_client()
    response = other.post(
        "/sign-in",
        data={
            "email": "sam@example.org",
            "password": web.password,
            "csrf_token": web.csrf_of(other),
        },
    )
    assert response.status_code == 429
    assert "try again after 09:15 UTC" in response.text
    assert "Error:" in response.text
    clock.advance(minutes=15, seconds=1)
    web.sign_in(other, "sam@example.org")


def test_rate_limit_per_address(client, accounts, web):
    accounts.learner("sam@example.org")
    for n in range(5):
        assert _fail(client, web, f"guess{n}@example.org").status_code == 400
    response = client.post(
        "/sign-in",
        data={
            "email": "sam@example.org",
            "password": web.password,
            "csrf_token": web.csrf_of(client),
        },
    )
    assert response.status_code == 429


def test_spanish_rate_limit_message(client, accounts, web):
    client.get("/language/es")
    for _ in range(6):
        response = _fail(client, web, "sam@example.org")
    assert response.status_code == 429
    assert "inténtelo de nuevo después de las 09:15 UTC" in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_redirects_stay_on_site(client, target):
    response = client.get("/language/es", params={"next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_redirect_to_local_path(client, accounts, web):
    accounts.learner("sam@example.org")
    token = web.csrf_of(client)
    response = client.post(
        "/sign-in",
        data={
            "email": "sam@example.org",
            "password": web.password,
            "csrf_token": token,
            "next": "/account",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/account"
