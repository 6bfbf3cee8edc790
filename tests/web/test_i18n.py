"""Language choice (cookie, Accept-Language) and catalog completeness: every message the
web app and account services can show has a Spanish translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from openler.web.i18n import negotiate

SRC = Path(__file__).resolve().parents[2] / "src" / "openler"
PO = SRC / "web" / "locale" / "es" / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7", "es"),
        ("de", "en"),
        ("", "en"),
        ("en;q=0.1, es;q=0.9", "es"),
        ("es;q=0", "en"),
        ("es;q=abc, en", "en"),
    ],
)
def test_accept_language_negotiation(header, expected):
    assert negotiate(header, ("en", "es"), "en") == expected


def test_accept_language_sets_page_language(client):
    html = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).text
    assert '<html lang="es">' in html
    assert "Inicio" in html


def test_cookie_beats_accept_language(client):
    client.get("/language/en")
    html = client.get("/", headers={"Accept-Language": "es"}).text
    assert '<html lang="en">' in html


def test_switch_returns_to_the_page(client):
    response = client.get("/language/es", params={"next": "/sign-up"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-up"
    assert "openler_lang=es" in response.headers["set-cookie"]


def test_unknown_language_is_ignored(client):
    response = client.get("/language/xx", follow_redirects=False)
    assert (
        "set-cookie" not in response.headers or "openler_lang" not in response.headers["set-cookie"]
    )


def _source_messages() -> set[str]:
    found: set[str] = set()
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    for folder in ("web", "accounts"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            SRC / folder, method_map, options, keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_spanish_translation():
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    # Plural entries (ngettext) have a tuple of ids (singular, plural) and of forms.
    pairs: dict[str, list[tuple[str, str]]] = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        if all(forms):
            pairs[ids[0]] = [(ids[min(n, len(ids) - 1)], form) for n, form in enumerate(forms)]
    messages = _source_messages()
    assert len(messages) > 100
    missing = sorted(m for m in messages if m not in pairs)
    assert not missing, f"untranslated: {missing}"
    # Placeholders survive translation, in every plural form.
    import re

    for each in pairs.values():
        for msgid, msgstr in each:
            assert sorted(re.findall(r"%\(\w+\)\w", msgid)) == sorted(
                re.findall(r"%\(\w+\)\w", msgstr)), (msgid, msgstr)
