"""Passkeys end to end through the web endpoints, with a software authenticator."""

from __future__ import annotations

import json

from sqlalchemy import select

from openler.storage.tables import Passkey


def _json_post(client, path, token, body=None):
    return client.post(
        path,
        headers={
            "X-CSRF-Token": token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
        content=json.dumps(body or {}),
    )


def register(client, web, authenticator, label="My phone"):
    token = web.csrf_of(client, "/account")
    options = _json_post(client, "/account/passkeys/options", token).json()
    assert options["rp"]["id"] == "testserver"
    credential = authenticator.create(options)
    return _json_post(client, f"/account/passkeys?label={label}", token, credential)


def test_register_then_sign_in_with_passkey(client, db, accounts, web, authenticator, make_client):
    user_id = accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    response = register(client, web, authenticator)
    assert response.status_code == 200, response.text
    assert "My phone" in client.get("/account").text
    stored = db.scalars(select(Passkey)).one()
    assert stored.user_id == user_id and stored.credential_id == authenticator.credential_id

    fresh = make_client()
    token = web.csrf_of(fresh, "/sign-in")
    options = _json_post(fresh, "/sign-in/passkey/options", token).json()
    assertion = authenticator.get(options)
    result = _json_post(fresh, "/sign-in/passkey?next=/account", token, assertion)
    assert result.status_code == 200, result.text
    assert result.json() == {"next": "/account"}
    assert fresh.get("/account", follow_redirects=False).status_code == 200
    db.expire_all()
    assert db.scalars(select(Passkey.sign_count)).one() == 1


def test_passkey_sign_in_fails_on_wrong_origin(client, accounts, web, authenticator, make_client):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    assert register(client, web, authenticator).status_code == 200
    fresh = make_client()
    token = web.csrf_of(fresh, "/sign-in")
    options = _json_post(fresh, "/sign-in/passkey/options", token).json()
    assertion = authenticator.get(options, origin="https://phishing.example")
    result = _json_post(fresh, "/sign-in/passkey", token, assertion)
    assert result.status_code == 400
    assert "passkey could not be used" in result.json()["error"]
    assert fresh.get("/account", follow_redirects=False).status_code == 303


def test_passkey_challenge_is_single_use(client, accounts, web, authenticator, make_client):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    assert register(client, web, authenticator).status_code == 200
    fresh = make_client()
    token = web.csrf_of(fresh, "/sign-in")
    options = _json_post(fresh, "/sign-in/passkey/options", token).json()
    assertion = authenticator.get(options)
    assert _json_post(fresh, "/sign-in/passkey", token, assertion).status_code == 200
    other = make_client()
    token2 = web.csrf_of(other, "/sign-in")
    _json_post(other, "/sign-in/passkey/options", token2)
    # Replaying the old assertion against a new challenge fails.
    assert _json_post(other, "/sign-in/passkey", token2, assertion).status_code == 400


def test_registration_with_wrong_challenge_stores_nothing(client, db, accounts, web, authenticator):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    token = web.csrf_of(client, "/account")
    options = _json_post(client, "/account/passkeys/options", token).json()
    options["challenge"] = "AAAAAAAAAAAAAAAAAAAAAA"
    response = _json_post(client, "/account/passkeys", token, authenticator.create(options))
    assert response.status_code == 400
    assert db.scalars(select(Passkey)).all() == []


def test_unknown_passkey_is_refused(client, web, authenticator):
    token = web.csrf_of(client, "/sign-in")
    options = _json_post(client, "/sign-in/passkey/options", token).json()
    response = _json_post(client, "/sign-in/passkey", token, authenticator.get(options))
    assert response.status_code == 400


def test_garbage_credentials_are_400_not_500(client, accounts, web):
    accounts.learner("sam@example.org")
    web.sign_in(client, "sam@example.org")
    token = web.csrf_of(client, "/account")
    _json_post(client, "/account/passkeys/options", token)
    for body in ({}, {"id": "x"}, {"rawId": "!!", "response": {}}, {"response": "nope"}):
        assert _json_post(client, "/account/passkeys", token, body).status_code == 400
        assert _json_post(client, "/sign-in/passkey", token, body).status_code == 400
    raw = client.post(
        "/sign-in/passkey",
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
        content="[1,2",
    )
    assert raw.status_code == 400
