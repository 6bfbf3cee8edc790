"""Every page renders, in English and Spanish, with the layout's landmarks."""

from __future__ import annotations

import re

import pytest


def _org_urls(client, accounts, web):
    accounts.org_owner("owner@college.example", "Test College")
    web.sign_in(client, "owner@college.example")
    home = client.get("/").text
    org_url = re.search(r'href="(/orgs/[0-9a-f]{32})"', home).group(1)
    return org_url


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", ["/", "/sign-in", "/sign-up", "/does-not-exist"])
def test_public_pages_have_landmarks_and_lang(client, path, language):
    client.get(f"/language/{language}")
    response = client.get(path)
    assert response.status_code == (404 if path == "/does-not-exist" else 200)
    html = response.text
    assert f'<html lang="{language}">' in html
    assert 'class="skip-link" href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert re.search(r"<title>[^<]+ – OpenLER</title>", html)
    assert html.count("<h1>") == 1


def test_spanish_pages_have_no_english_chrome(client):
    client.get("/language/es")
    html = client.get("/").text
    for english in ("Skip to main content", "Sign in", "Create an account", "For learners"):
        assert english not in html
    assert "Saltar al contenido principal" in html
    assert "Para estudiantes" in html


def test_member_pages_render_in_both_languages(client, accounts, web):
    org_url = _org_urls(client, accounts, web)
    for language in ("en", "es"):
        client.get(f"/language/{language}")
        for path in ("/", "/account", org_url):
            response = client.get(path)
            assert response.status_code == 200, path
            assert f'<html lang="{language}">' in response.text
