"""/sign-up comes back to where the visitor was (a `next` path on this site), and never
sends anyone to another site."""

from __future__ import annotations

import html
import re

import pytest

ACCOUNT = {"name": "Ana Díaz", "email": "ana@example.org", "password": "long enough password",
           "account_kind": "learner"}


def _hidden_next(page: str) -> str:
    return html.unescape(re.search(r'<input type="hidden" name="next" value="([^"]*)">',
                                   page).group(1))


def _sign_up(client, web, next_value: str | None, **changes):
    page = "/sign-up" + (f"?next={next_value}" if next_value else "")
    data = {**ACCOUNT, **changes, "csrf_token": web.csrf_of(client, "/sign-up")}
    if next_value is not None:
        data["next"] = next_value
    return client.post("/sign-up", data=data, follow_redirects=False), page


def test_sign_up_returns_to_a_local_next(client, web):
    form = client.get("/sign-up", params={"next": "/claim/abc?x=1"}).text
    assert _hidden_next(form) == "/claim/abc?x=1"
    assert 'href="/sign-in?next=/claim/abc%3Fx%3D1"' in form
    response, _ = _sign_up(client, web, "/claim/abc?x=1")
    assert response.status_code == 303 and response.headers["location"] == "/claim/abc?x=1"
    # Signed in: the page sends the account straight on.
    again = client.get("/sign-up", params={"next": "/wallet"}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/wallet"


def test_a_form_with_problems_keeps_next(client, web):
    response, _ = _sign_up(client, web, "/wallet/inbox", password="short")
    assert response.status_code >= 400 and _hidden_next(response.text) == "/wallet/inbox"


@pytest.mark.parametrize("outside", [
    "https://evil.example/", "//evil.example/path", "/\\evil.example", "http:/evil.example",
    "javascript:alert(1)", "evil.example"])
def test_outside_urls_are_refused(client, web, outside):
    assert _hidden_next(client.get("/sign-up", params={"next": outside}).text) == "/"
    response, _ = _sign_up(client, web, outside)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_without_next_the_old_places_stay(client, web):
    assert _hidden_next(client.get("/sign-up").text) == "/"
    response, _ = _sign_up(client, web, None)
    assert response.headers["location"] == "/"
    signed_in = client.get("/sign-up", follow_redirects=False)
    assert signed_in.headers["location"] == "/account"
    outside = client.get("/sign-up", params={"next": "//evil.example"}, follow_redirects=False)
    assert outside.headers["location"] == "/account"
