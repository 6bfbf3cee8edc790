"""Real HTTP against uvicorn on a loopback port: sign up, sign in, pages, errors."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.e2e

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _token(client: httpx.Client, path: str) -> str:
    return CSRF.search(client.get(path).text).group(1)


def test_sign_up_sign_in_and_browse_over_real_http(live_server, clean_db):
    with httpx.Client(base_url=live_server.url) as browser:
        response = browser.post(
            "/sign-up",
            data={
                "csrf_token": _token(browser, "/sign-up"),
                "name": "Lee Park",
                "email": "lee@example.org",
                "password": "a long passphrase",
                "account_kind": "organization",
                "organization_name": "Park Academy",
                "organization_kind": "school",
            },
        )
        assert response.status_code == 303
        home = browser.get("/")
        assert "Park Academy" in home.text
        org_url = re.search(r'href="(/orgs/[0-9a-f]{32})"', home.text).group(1)
        assert browser.get(org_url).status_code == 200
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie

    with httpx.Client(base_url=live_server.url) as other:
        assert other.get(org_url).status_code == 303  # not signed in: go sign in
        response = other.post(
            "/sign-in",
            data={
                "csrf_token": _token(other, "/sign-in"),
                "email": "lee@example.org",
                "password": "a long passphrase",
            },
        )
        assert response.status_code == 303
        assert other.get(org_url).status_code == 200


def test_errors_over_real_http(live_server, clean_db):
    with httpx.Client(base_url=live_server.url) as browser:
        assert browser.get("/missing").status_code == 404
        forged = browser.post("/sign-in", data={"email": "x@example.org", "password": "y"})
        assert forged.status_code == 403
        es = browser.get("/", headers={"Accept-Language": "es"})
        assert '<html lang="es">' in es.text
        assert browser.get("/static/style.css").headers["content-type"].startswith("text/css")
