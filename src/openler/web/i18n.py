"""Language choice and message catalogs (GNU gettext via Babel).

The language comes from the `openler_lang` cookie set by the language switch, else
from Accept-Language (RFC 9110 section 12.5.4), else the default. The chosen
catalog is kept in a context variable for the duration of one request so templates
and Python code share one `gettext`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE_COOKIE = "openler_lang"
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

_NULL = NullTranslations()
_current: contextvars.ContextVar[NullTranslations | None] = contextvars.ContextVar(
    "openler_translations", default=None
)


@lru_cache(maxsize=8)
def translations_for(language: str) -> NullTranslations:
    """Load a compiled catalog, or compile the .po in memory when the .mo is absent."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo_path, po_path = folder / "messages.mo", folder / "messages.po"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as fh:
            return Translations(fh, domain="messages")
    if po_path.exists():
        import io

        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain="messages")
    return NullTranslations()


def gettext(message: str) -> str:
    """Translate into the current request's language."""
    return (_current.get() or _NULL).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count into the current request's language."""
    return (_current.get() or _NULL).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a string for extraction without translating it yet."""
    return message


def use_language(language: str) -> contextvars.Token[NullTranslations | None]:
    """Make `language` the one used by gettext in this context."""
    return _current.set(translations_for(language))


def negotiate(accept_language: str, supported: Iterable[str], default: str) -> str:
    """Pick the best supported language from an Accept-Language header."""
    supported = tuple(supported)
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if quality > 0 and primary in supported:
            choices.append((-quality, index, primary))
    return min(choices)[2] if choices else default


class LanguageMiddleware:
    """Choose the request's language and make gettext use it (pure ASGI, so the
    context variable reaches the route and the templates)."""

    def __init__(self, app: ASGIApp, *, languages: tuple[str, ...], default: str) -> None:
        self.app = app
        self.languages = languages
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        language = _cookie(headers.get("cookie", ""), LANGUAGE_COOKIE)
        if language not in self.languages:
            language = negotiate(headers.get("accept-language", ""), self.languages, self.default)
        scope.setdefault("state", {})["language"] = language
        token = use_language(language)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


def remember_language(response: Response, language: str, *, secure: bool) -> None:
    """Keep the chosen language for a year in a cookie the language middleware reads."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip()
    return None
