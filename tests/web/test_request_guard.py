"""Addresses with control characters, and values the database refuses, never reach a 500.

On PostgreSQL a NUL inside text makes the driver raise; the guard answers such an
address as "not found" before any route runs (the same on SQLite), and a value the
database still refuses gets the plain "bad request" page with nothing changed.
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DataError


@pytest.mark.parametrize("path", [
    "/orgs/%00", "/orgs/abc%00def/inbox", "/wallet/records/%00", "/wallet/records/%0A/delete",
    "/s/%00", "/s/ab%1Fcd", "/claim/%00", "/wallet/shares/%7F", "/orgs/x/requests/%00",
])
def test_control_characters_in_the_path_are_not_found(client, web, claim, path):
    web.sign_in(client, "learner@example.org")
    reply = client.get(path)
    assert reply.status_code == 404, path
    assert "<h1" in reply.text  # the accessible error page, not a bare error


def test_a_nul_in_the_query_is_not_found(client):
    assert client.get("/wallet?q=%00").status_code == 404
    assert client.get("/wallet?q=%2500").status_code in (200, 303)  # a literal "%00" is text


def test_a_value_the_database_refuses_gets_a_plain_400(app, client):
    def refuse() -> None:
        raise DataError("SELECT 1", {}, Exception("text fields cannot contain NUL"))

    app.add_api_route("/refuse-for-test", refuse, methods=["GET"])
    reply = client.get("/refuse-for-test")
    assert reply.status_code == 400
    assert "Something went wrong on our side" not in reply.text
