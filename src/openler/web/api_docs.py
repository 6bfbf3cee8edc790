"""The API reference at /docs: a server-rendered page built from the app's own OpenAPI
document, in the site layout, in the reader's language, without JavaScript.

Spec: OpenAPI 3.1.0 section 4.8.27 (Security Scheme Object) and 4.8.30 (Security
Requirement Object): routes that read an ``Authorization: Bearer`` token declare it
with FastAPI's ``Security`` (web/api/deps.py), so /openapi.json and the page both say
who may call them (RFC 6750 section 2.1).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from openler.web import i18n
from openler.web.api_reference import build_reference, code_spans
from openler.web.templating import render


def install(app: FastAPI) -> None:
    """Serve the API reference at /docs (routes declare their own bearer tokens)."""

    @app.get("/docs", include_in_schema=False)
    def api_reference(request: Request) -> Response:
        """Every API operation, its access, inputs, answers and examples, as one page."""
        language = request.scope.get("state", {}).get("language", "en")
        reference = build_reference(
            app.openapi(), translate=None if language == "en" else i18n.gettext
        )
        return render(request, "api/reference.html", {
            "reference": reference,
            "code_spans": code_spans,
            "openapi_url": app.openapi_url or "/openapi.json",
            "nav": "docs",
        })
