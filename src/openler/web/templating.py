"""Jinja2 environment with gettext, and the one `render` helper every route uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from openler.web import forms, i18n
from openler.web.security import csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Templates:
    """Build the template set with the i18n extension bound to the request's language."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.globals["language_names"] = i18n.LANGUAGE_NAMES
    env.globals["kind_label"] = forms.kind_label
    env.globals["role_label"] = forms.role_label
    return Jinja2Templates(env=env)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with what every layout needs (user, language, CSRF token, flash)."""
    templates: Jinja2Templates = request.app.state.templates
    language = request.scope.get("state", {}).get("language", "en")
    i18n.use_language(language)  # also right when called outside the language middleware
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    page: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "signed_in": bool(request.session.get("uid")),
        "language": language,
        "languages": request.app.state.settings.languages,
        "csrf_token": csrf_token(request),
        "flash": request.session.pop("flash", None),
        "here_quoted": quote(here, safe=""),
        "errors": {},
    }
    page.update(context or {})
    return templates.TemplateResponse(request, template, page, status_code=status_code)
