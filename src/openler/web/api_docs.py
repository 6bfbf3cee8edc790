"""The API reference at /docs: a server-rendered page built from the app's own OpenAPI
document, in the site layout, in the reader's language, without JavaScript.

Spec: OpenAPI 3.1.0 section 4.8.27 (Security Scheme Object) and 4.8.30 (Security
Requirement Object): routes that read an ``Authorization: Bearer`` token declare it
here, so /openapi.json and the page both say who may call them (RFC 6750 section 2.1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from openler.web import i18n
from openler.web.api_reference import build_reference, code_spans
from openler.web.templating import render

API_TOKEN = "organizationApiToken"
ACCESS_TOKEN = "oid4vciAccessToken"
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    API_TOKEN: {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token of the organization, created by one of its owners.",
    },
    ACCESS_TOKEN: {
        "type": "http",
        "scheme": "bearer",
        "description": "The access token returned by POST /oid4vci/token.",
    },
}
# The routes read the Authorization header themselves (web/api/deps.py::api_caller and
# routers/oid4vci.py), so FastAPI cannot see the requirement; it is declared here.
BEARER_ROUTES: dict[tuple[str, str], str] = {
    ("post", "/credentials/issue"): API_TOKEN,
    ("post", "/credentials/status"): API_TOKEN,
    ("post", "/oid4vci/credential"): ACCESS_TOKEN,
}


def install(app: FastAPI) -> None:
    """Serve the API reference at /docs and declare the bearer tokens in /openapi.json."""
    app.openapi = _with_security(app.openapi)  # type: ignore[method-assign]

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


def _with_security(generate: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        document = generate()  # FastAPI's, cached until the routes change
        return declare_bearer_tokens(document)

    return openapi


def declare_bearer_tokens(document: dict[str, Any]) -> dict[str, Any]:
    """Add the bearer-token requirements the routes enforce themselves (idempotent)."""
    paths = document.get("paths", {})
    for (method, path), scheme in BEARER_ROUTES.items():
        operation = paths.get(path, {}).get(method)
        if operation is None:
            continue
        operation.setdefault("security", [{scheme: []}])
        schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes.setdefault(scheme, SECURITY_SCHEMES[scheme])
    return document
