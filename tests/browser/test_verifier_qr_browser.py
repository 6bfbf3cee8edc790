"""The verify page's QR image field in a real Chromium: a wallet-link QR explained in the error
summary, and a report whose technical details list a did:web document fetched from another
host (then from the cache); axe-core 0 violations in English and Spanish, no horizontal
scrolling at 360 px."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from journeys import sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from qr_material import qr_png, small_credential  # noqa: E402

from openler.core.dids import did_web_document  # noqa: E402

pytestmark = pytest.mark.browser
OWNER = "hr@acme.example"


@pytest.fixture
def employer(accounts) -> str:
    return accounts.org_owner(OWNER, "Acme Hiring", kind="employer")[1]


class _DidHost(BaseHTTPRequestHandler):
    body = b""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Cache-Control", "max-age=300")
        self.send_header("Content-Length", str(len(_DidHost.body)))
        self.end_headers()
        self.wfile.write(_DidHost.body)


@pytest.fixture
def did_host() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _DidHost)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("form[action$='/verify'] button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [1280, 360])
def test_qr_states_are_accessible(new_page, a11y, web, employer, did_host, language,
                                  width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}, {width}px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, {width}px]")

    page.goto(f"/orgs/{employer}/verify")
    page.set_input_files("#field-qr", files=[{
        "name": "offer.png", "mimeType": "image/png",
        "buffer": qr_png("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fi.example")}])
    _submit(page)
    assert page.locator("[data-error-summary] a[href='#field-qr']").count() == 1
    assert page.locator("#field-qr[aria-invalid=true]").count() == 1
    check("verify form with a wallet-link QR")

    did = f"did:web:127.0.0.1%3A{did_host}:issuers:b"
    signed, pair = small_credential(did)
    _DidHost.body = json.dumps(did_web_document(did, [("#key-1", pair.public_key())])).encode()
    for _ in range(2):  # the second time, the did:web document comes from the cache
        page.goto(f"/orgs/{employer}/verify")
        page.set_input_files("#field-qr", files=[{
            "name": "vc.png", "mimeType": "image/png", "buffer": qr_png(json.dumps(signed))}])
        _submit(page)
    assert page.locator(".vr-state.vr-warning").count() == 1
    page.locator("details summary").last.click()
    fetched = page.locator("details").last.inner_text()
    assert "did.json" in fetched and ("cache" in fetched or "caché" in fetched)
    check("report with fetched documents")
