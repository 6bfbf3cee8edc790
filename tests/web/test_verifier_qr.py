"""The verify page reads a photo or screenshot of a QR code: a credential, a share link (this
instance or another, through the fetcher), a wallet link explained plainly, and every bad image
with its own message in English and Spanish, nothing stored and never a 500. Also the report's
technical details saying whether a did:web document came from the HTTP cache."""

from __future__ import annotations

import io
import json
import random
import re
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from openler.core.dids import FetchResponse, did_web_document
from openler.core.errors import DidResolutionError
from openler.storage import db as storage_db
from openler.storage.tables import Base

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qr_material import photo_like, qr_png, small_credential  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TEST_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py


@pytest.fixture
def app(database_url, clock, clean_db):
    """The app with loopback fetching allowed, so a local did:web host can be reached."""
    from openler.settings import Settings
    from openler.web.app import create_app

    return create_app(Settings(database_url=database_url, secret_key=TEST_SECRET,
                               fetch_allow_private=True), clock=clock)


@pytest.fixture
def employer(accounts, clean_db):
    owner_id, org_id = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    return org_id


@pytest.fixture
def hr(client, web, employer):
    web.sign_in(client, "hr@acme.example")
    return client


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _verify_image(client, org_id, image: bytes, *, name: str = "qr.png",
                  mime: str = "image/png", **fields):
    data = {"csrf_token": _csrf(client, f"/orgs/{org_id}/verify"), **fields}
    return client.post(f"/orgs/{org_id}/verify", data=data,
                       files={"qr": (name, image, mime)})


def test_the_form_offers_a_qr_image_field(hr, employer):
    page = hr.get(f"/orgs/{employer}/verify").text
    assert 'name="qr" type="file"' in page and 'accept="image/png,image/jpeg' in page
    assert "photo or screenshot of a QR code" in page


def test_a_qr_code_holding_a_credential_is_verified(hr, employer):
    signed, _ = small_credential()
    page = _verify_image(hr, employer, qr_png(json.dumps(signed)))
    assert page.status_code == 200, page.text
    assert "Verified, but the issuer is not on your list" in page.text
    assert signed["issuer"] in page.text and "What was checked: qr.png" in page.text
    tampered = dict(signed, name="Crane Operation")
    bad = _verify_image(hr, employer, qr_png(json.dumps(tampered)))
    assert bad.status_code == 200 and "Not verified" in bad.text


def test_a_photo_of_a_qr_code_with_a_share_link_of_another_instance(app, hr, employer):
    signed, _ = small_credential()
    base = "https://wallet.example/s/Token_qr-123456"
    fake = _fake_fetcher(app, hr, {
        f"{base}/presentation.json": FetchResponse(200, json.dumps(signed).encode(), {})})
    page = _verify_image(hr, employer, photo_like(base), name="photo.jpg", mime="image/jpeg")
    assert page.status_code == 200, page.text
    assert fake.asked == [f"{base}/presentation.json"]
    assert "Forklift Safety" in page.text and f"What was checked: {base}" in page.text
    down = _verify_image(hr, employer, qr_png("https://down.example/s/abcdefghijkl"))
    assert down.status_code == 400 and "We could not open this link" in down.text
    assert 'id="error-qr"' in down.text and 'href="#field-qr"' in down.text


def test_a_qr_code_with_an_unknown_share_link_of_this_instance(hr, employer):
    page = _verify_image(hr, employer, qr_png("http://testserver/s/abcdefghijklmnop"))
    assert page.status_code == 400 and "Nothing is shared at this link." in page.text


@pytest.mark.parametrize(("text", "english", "spanish"), [
    ("openid4vp://authorize?client_id=x&request_uri=https%3A%2F%2Fv.example%2Fr",
     "a request meant for a digital wallet app", "una solicitud para una aplicación de cartera"),
    ("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fi.example%2Fo",
     "a credential offer meant for a digital wallet app",
     "una oferta de credencial para una aplicación de cartera"),
])
def test_wallet_links_are_explained_not_checked(hr, employer, text, english, spanish):
    page = _verify_image(hr, employer, qr_png(text))
    assert page.status_code == 400 and english in page.text
    hr.get("/language/es")
    page = _verify_image(hr, employer, qr_png(text))
    assert page.status_code == 400 and spanish in page.text


def _two_codes() -> bytes:
    one = Image.open(io.BytesIO(qr_png("https://a.example/s/abcdefghijkl"))).convert("L")
    two = Image.open(io.BytesIO(qr_png("https://b.example/s/mnopqrstuvwx"))).convert("L")
    both = Image.new("L", (one.width + two.width + 40, max(one.height, two.height)), 255)
    both.paste(one, (0, 0))
    both.paste(two, (one.width + 40, 0))
    out = io.BytesIO()
    both.save(out, "PNG")
    return out.getvalue()


def _no_code() -> bytes:
    picture = Image.new("RGB", (320, 200), (250, 250, 240))
    draw = ImageDraw.Draw(picture)
    rng = random.Random(7)
    for _ in range(40):
        x, y = rng.randrange(300), rng.randrange(180)
        draw.rectangle((x, y, x + 15, y + 15), fill=(rng.randrange(256), 80, 80))
    out = io.BytesIO()
    picture.save(out, "JPEG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(qr_png("https://a.example/s/abcdefghijkl"))).save(out, "GIF")
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 6000), 1).save(out, "PNG")  # small file, 48 million pixels
    return out.getvalue()


@pytest.mark.parametrize(("image", "english", "spanish"), [
    (b"", "We cannot open this image.", "No podemos abrir esta imagen."),
    (b"\x89PNG\r\n\x1a\nnot really", "We cannot open this image.",
     "No podemos abrir esta imagen."),
    (qr_png("x")[:200], "We cannot open this image.", "No podemos abrir esta imagen."),
    (_gif(), "We cannot open this image.", "No podemos abrir esta imagen."),
    (_bomb(), "We cannot open this image.", "No podemos abrir esta imagen."),
    (b"\xff" * 5_000_001, "This image is larger than 5 MB.", "Esta imagen ocupa más de 5 MB."),
    (_no_code(), "We found no QR code in this image.",
     "No encontramos ningún código QR en esta imagen."),
    (_two_codes(), "This image has more than one QR code.",
     "Esta imagen tiene más de un código QR."),
    (qr_png("hello there"), "holds something that is not a credential, a presentation or a "
     "share link: hello there", "contiene algo que no es una credencial, una presentación ni "
     "un enlace para compartir: hello there"),
    (qr_png("https://example.org/about"), "holds a web address that is not an OpenLER share "
     "link: https://example.org/about", "contiene una dirección web que no es un enlace para "
     "compartir de OpenLER: https://example.org/about"),
])
def test_each_bad_image_gets_its_own_message_and_nothing_is_stored(
        hr, employer, clean_db, image, english, spanish):
    before = _row_counts(clean_db)
    page = _verify_image(hr, employer, image)
    assert page.status_code == 400, page.text
    assert english in page.text and "There is a problem" in page.text
    hr.get("/language/es")
    page = _verify_image(hr, employer, image)
    assert page.status_code == 400 and spanish in page.text
    assert _row_counts(clean_db) == before


def test_a_file_takes_precedence_over_a_qr_image(hr, employer):
    signed, _ = small_credential(name="From the file")
    data = {"csrf_token": _csrf(hr, f"/orgs/{employer}/verify")}
    page = hr.post(f"/orgs/{employer}/verify", data=data, files={
        "file": ("vc.json", json.dumps(signed).encode(), "application/json"),
        "qr": ("qr.png", qr_png("hello"), "image/png")})
    assert page.status_code == 200 and "From the file" in page.text


def _row_counts(engine) -> dict[str, int]:
    with storage_db.make_sessionmaker(engine)() as s:
        return {t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables}


class _DidHost(BaseHTTPRequestHandler):
    documents: dict[str, bytes] = {}
    hits: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _DidHost.hits.append(self.path)
        body = _DidHost.documents.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Cache-Control", "max-age=300")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture
def did_host() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _DidHost)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_technical_details_say_whether_the_did_document_came_from_the_cache(
        hr, employer, did_host):
    did = f"did:web:127.0.0.1%3A{did_host}:issuers:q"
    signed, pair = small_credential(did)
    _DidHost.hits.clear()
    _DidHost.documents["/issuers/q/did.json"] = json.dumps(
        did_web_document(did, [("#key-1", pair.public_key())])).encode()
    url = f"http://127.0.0.1:{did_host}/issuers/q/did.json"
    first = _verify_image(hr, employer, qr_png(json.dumps(signed)))
    assert first.status_code == 200, first.text
    assert "Verified, but the issuer is not on your list" in first.text
    assert "documents fetched from other sites" in first.text
    assert re.search(rf"<code>{re.escape(url)}</code>: downloaded just now", first.text)
    second = _verify_image(hr, employer, qr_png(json.dumps(signed)))
    assert re.search(rf"<code>{re.escape(url)}</code>: from our cache, \d+ s old", second.text)
    assert _DidHost.hits == ["/issuers/q/did.json"]
    hr.get("/language/es")
    third = _verify_image(hr, employer, qr_png(json.dumps(signed)))
    assert re.search(rf"<code>{re.escape(url)}</code>: de nuestra caché", third.text)


class FakeFetcher:
    def __init__(self, answers):
        self.answers = answers
        self.asked: list[str] = []

    def fetch(self, url, *, headers=None):
        self.asked.append(url)
        answer = self.answers.get(url)
        if answer is None:
            raise DidResolutionError(url, "refused")
        return answer


def _fake_fetcher(app, client, answers):
    from openler.web.api import deps

    class _Req:
        def __init__(self, app):
            self.app = app

    client.get("/")
    deps._shared(_Req(app))
    fake = FakeFetcher(answers)
    app.state.vc_api["fetcher"] = fake
    return fake


def test_no_member_outside_the_organization_can_post_an_image(make_client, web, employer,
                                                              accounts, clean_db):
    accounts.org_owner("hr@other.example", "Other Hiring", kind="employer")
    other = make_client()
    web.sign_in(other, "hr@other.example")
    token = _csrf(other, "/account")
    reply = other.post(f"/orgs/{employer}/verify", data={"csrf_token": token},
                       files={"qr": ("qr.png", qr_png("hello"), "image/png")})
    assert reply.status_code == 404
