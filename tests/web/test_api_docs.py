"""The API reference at /docs works offline: every script and style it loads is ours."""

from __future__ import annotations

import re


def test_docs_page_loads_only_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    urls += re.findall(r"""url:\s*['"]([^'"]+)['"]""", page.text)
    assert urls, "the page should reference its assets"
    for url in urls:
        assert url.startswith("/"), f"{url} is fetched from outside this instance"
        assert client.get(url).status_code == 200, url


def test_openapi_documents_the_vc_api_endpoints(client):
    spec = client.get("/openapi.json").json()
    for path in ("/credentials/issue", "/credentials/verify", "/presentations/verify"):
        assert "post" in spec["paths"][path], path
    assert any(p.startswith("/credentials/status/") for p in spec["paths"])
