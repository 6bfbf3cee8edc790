"""The OpenAPI page at /docs, served from the bundled Swagger UI files.

FastAPI's default page loads Swagger UI from a CDN; OpenLER makes no outside
requests, so the page uses the Swagger UI 5 files shipped in the `swagger-ui-py`
package (Swagger UI 5 reads the OpenAPI 3.1 documents FastAPI writes).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/static/swagger-ui"


def _assets_dir() -> Path:
    import swagger_ui

    return Path(swagger_ui.__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Serve the API reference at /docs without any network access."""
    app.mount(ASSETS, StaticFiles(directory=_assets_dir()), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    async def api_reference() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="OpenLER API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
        # The reference is in English; say so, for screen readers (WCAG 3.1.1).
        body = bytes(page.body).replace(b"<html>", b'<html lang="en">', 1)
        return HTMLResponse(body)
