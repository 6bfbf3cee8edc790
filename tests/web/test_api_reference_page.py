"""The API reference page at /docs: served by the app in English and Spanish, every
operation on it, everything it loads local, bearer tokens declared truthfully."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from openler.web.api_reference import METHODS

LANGUAGES = {"en": "API reference", "es": "Referencia de la API"}


def _docs(client, language: str):
    return client.get("/docs", headers={"accept-language": language})


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_page_lists_every_path_in_each_language(client, language):
    page = _docs(client, language)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f'<html lang="{language}">' in page.text
    assert f"<h1>{LANGUAGES[language]}</h1>" in page.text
    text = html.unescape(page.text)
    document = client.get("/openapi.json").json()
    for path, item in document["paths"].items():
        for method in (m for m in item if m in METHODS):
            anchor = re.sub(r"[^a-z0-9]+", "-", f"{method}-{path}".lower()).strip("-")
            assert f'href="#{anchor}"' in page.text, (method, path)
            assert f'id="{anchor}"' in page.text, (method, path)
        assert path in text
    assert 'href="/openapi.json"' in page.text
    assert "<script" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_spanish_page_translates_summaries_and_chrome(client):
    page = html.unescape(_docs(client, "es").text)
    assert "Emitir una credencial firmada por la organización que llama" in page
    assert "Quién puede llamarlo" in page and "Cuerpo de la solicitud" in page
    assert "Issue a credential signed by the calling organization" not in page


class _EnglishOnly(HTMLParser):
    """Collect text that sits in an element whose nearest lang is "en"."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.english: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        lang = next((lang for lang in reversed(self.stack) if lang), None)
        if lang == "en" and data.strip():
            self.english.append(data.strip())


def test_untranslated_words_on_the_spanish_page_are_marked_english(app, client):
    @app.post("/frobnicate", summary="Frobnicate the widget", tags=["Widgets"])
    def frobnicate() -> dict[str, str]:
        """Turn the widget inside out."""
        return {}

    parser = _EnglishOnly()
    parser.feed(_docs(client, "es").text)
    assert "Frobnicate the widget" in parser.english
    assert "Turn the widget inside out." in parser.english
    assert "Widgets" in parser.english
    assert "Verificar una credencial" not in parser.english


def test_page_loads_only_local_assets(client):
    page = _docs(client, "en")
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert "/static/api-reference.css" in urls
    for url in urls:
        assert url.startswith(("/", "#")), f"{url} is fetched from outside this instance"
        if url.startswith("/"):
            assert client.get(url).status_code == 200, url
    anchors = set(re.findall(r'id="([^"]+)"', page.text))
    for url in urls:
        if url.startswith("#"):
            assert url[1:] in anchors, url


def test_openapi_documents_the_api_and_not_the_pages(client):
    spec = client.get("/openapi.json").json()
    for path in ("/credentials/issue", "/credentials/verify", "/presentations/verify"):
        assert "post" in spec["paths"][path], path
    assert any(p.startswith("/credentials/status/") for p in spec["paths"])
    for page in ("/docs", "/sign-in", "/", "/account"):
        assert page not in spec["paths"], page


# The routes that read a bearer token, and the scheme each must declare by itself.
TOKEN_ROUTES = {("post", "/credentials/issue"): "organizationApiToken",
                ("post", "/credentials/status"): "organizationApiToken",
                ("post", "/oid4vci/credential"): "oid4vciAccessToken"}


def test_declared_bearer_tokens_are_the_ones_enforced(client):
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    declared = {(method, path): op["security"] for path, item in spec["paths"].items()
                for method, op in item.items() if method in METHODS and "security" in op}
    assert declared == {route: [{scheme: []}] for route, scheme in TOKEN_ROUTES.items()}
    for (method, path), [requirement] in declared.items():
        [scheme] = requirement
        assert schemes[scheme]["type"] == "http" and schemes[scheme]["scheme"] == "bearer"
        assert schemes[scheme]["description"]
        answer = client.request(method.upper(), path, json={})
        assert answer.status_code == 401, (path, answer.text)
        assert answer.headers["content-type"].startswith("application/json")
    assert "security" not in spec["paths"]["/credentials/verify"]["post"]
    page = html.unescape(_docs(client, "en").text)
    issue = page.split('id="post-credentials-issue"', 1)[1].split("</section>", 1)[0]
    assert "A bearer token in the Authorization header" in issue
    verify = page.split('id="post-credentials-verify"', 1)[1].split("</section>", 1)[0]
    assert "Anyone: no token is needed." in verify


@pytest.mark.parametrize(("header", "api_message", "wallet_message"), [
    (None, "An organization API token is required.", "Send the access token as a Bearer token."),
    ("Basic abc", "Use 'Authorization: Bearer <token>'.",
     "Send the access token as a Bearer token."),
    ("Bearer nope", "The API token is not valid.",
     "The access token is unknown, used or expired."),
])
def test_declared_routes_keep_their_own_401_bodies(client, header, api_message, wallet_message):
    headers = {"Authorization": header} if header else {}
    for path in ("/credentials/issue", "/credentials/status"):
        answer = client.post(path, json={}, headers=headers)
        assert answer.status_code == 401
        assert answer.json() == {"error": "unauthenticated", "message": api_message}
        assert answer.headers["www-authenticate"] == 'Bearer realm="openler"'
    wallet = client.post("/oid4vci/credential", json={}, headers=headers)
    assert wallet.status_code == 401
    assert wallet.json() == {"error": "invalid_token", "error_description": wallet_message}
    assert wallet.headers["www-authenticate"] == (
        f'Bearer error="invalid_token", error_description="{wallet_message}"')


def test_wallet_routes_have_written_summaries_in_both_languages(client):
    spec = client.get("/openapi.json").json()
    summaries = {path: item[method]["summary"] for path, item in spec["paths"].items()
                 for method in item if path.startswith(("/oid4vci/", "/.well-known/oa",
                                                        "/.well-known/openid"))}
    assert summaries == {
        "/.well-known/openid-credential-issuer": "Credential issuer metadata",
        "/.well-known/oauth-authorization-server": "Authorization server metadata",
        "/oid4vci/offers/{ref}": "Get a credential offer by reference",
        "/oid4vci/token": "Redeem a pre-authorized code for an access token",
        "/oid4vci/nonce": "Get a fresh nonce for a key proof",
        "/oid4vci/credential": "Receive the offered credential",
    }
    for path, item in spec["paths"].items():
        if path in summaries:
            assert all(len(op["description"]) > 80 for op in item.values()), path
    page = html.unescape(_docs(client, "es").text)
    assert "Recibir la credencial ofrecida" in page
    assert "Receive the offered credential" not in page


def test_examples_are_keyboard_scrollable_with_a_name(client):
    page = _docs(client, "es").text
    blocks = re.findall(r"<pre([^>]*)>", page)
    assert len(blocks) >= 5
    for attrs in blocks:
        assert 'tabindex="0"' in attrs and 'role="region"' in attrs
        assert re.search(r'aria-label="Ejemplo [^"]+"', attrs), attrs
