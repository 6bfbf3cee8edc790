"""The error page: accessible 404/403/400 pages, a logged 500 for the unexpected, and
no 500 for any bad input a visitor can send."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_404_page_is_translated(client):
    client.get("/language/es")
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "<title>No se encontró la página – OpenLER</title>" in response.text
    assert "Código de error: 404" in response.text


def test_405_is_an_error_page_not_a_crash(client):
    response = client.put("/sign-in")
    assert response.status_code == 405
    assert "<h1>" in response.text


def test_unexpected_error_renders_500_page_and_logs(app, caplog):
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with (
        TestClient(app, raise_server_exceptions=False) as c,
        caplog.at_level(logging.ERROR, "openler.web"),
    ):
        c.get("/language/es")
        response = c.get("/boom")
    assert response.status_code == 500
    assert "Algo salió mal de nuestro lado" in response.text
    assert '<html lang="es">' in response.text
    assert "kaboom" not in response.text
    assert any("unexpected error" in r.message for r in caplog.records)


def test_json_client_gets_json_errors(client):
    response = client.post(
        "/sign-in/passkey", headers={"Content-Type": "application/json"}, content="not json"
    )
    assert response.status_code in (400, 403)
    assert response.headers["content-type"].startswith("application/json")


def test_malformed_multipart_is_400(client, web):
    token = web.csrf_of(client)
    response = client.post(
        "/sign-in",
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\nbroken" + token.encode(),
    )
    assert response.status_code in (400, 403)


TEXT = st.text(max_size=300)
FORM_POSTS = ["/sign-in", "/sign-up", "/account/profile", "/account/password", "/orgs/zzz/members"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(FORM_POSTS),
    fields=st.dictionaries(
        st.sampled_from(
            [
                "email",
                "password",
                "name",
                "account_kind",
                "organization_name",
                "organization_kind",
                "language",
                "current_password",
                "new_password",
                "confirm_password",
                "role",
                "next",
            ]
        ),
        TEXT,
    ),
)
def test_no_500_on_any_form_input(client, web, path, fields):
    token = web.csrf_of(client, "/sign-in")
    response = client.post(path, data={**fields, "csrf_token": token}, follow_redirects=False)
    assert response.status_code < 500, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/%00",
        "/orgs/" + "a" * 5000,
        "/language/xx?next=%0d%0aSet-Cookie:x=1",
        "/static/../settings.py",
        "/orgs/abc/achievements/%ff%fe",
        "/sign-in?next=javascript:alert(1)",
    ],
)
def test_no_500_on_odd_urls(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code < 500
    assert "Set-Cookie:x" not in response.headers.get("location", "")
