"""SafeHttpFetcher.post and fetch(headers=...) against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.net import SafeHttpFetcher


class _Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    server_version = "test"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        if self.path == "/whoami":
            body = json.dumps({"auth": self.headers.get("Authorization")}).encode()
            self._send(200, body, Cache_Control="max-age=60")
        else:
            self._send(404)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/echo":
            body = json.dumps({
                "content_type": self.headers.get("Content-Type"),
                "auth": self.headers.get("Authorization"),
                "raw": raw.decode(),
                "form": {k: v[0] for k, v in parse_qs(raw.decode()).items()},
            }).encode()
            self._send(200, body, Content_Type="application/json")
        elif self.path == "/moved":
            self._send(307, Location="/echo")
        elif self.path == "/big":
            self._send(200, b"z" * 5000)
        elif self.path == "/error":
            self._send(400, b'{"error": "invalid_grant"}', Content_Type="application/json")
        else:
            self._send(404)


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture()
def fetcher() -> Iterator[SafeHttpFetcher]:
    with SafeHttpFetcher(allow_private=True, timeout=5, max_bytes=4096) as f:
        yield f


def test_post_form_is_url_encoded(server: int, fetcher: SafeHttpFetcher) -> None:
    form = {"grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            "pre-authorized_code": "a b&c", "tx_code": "1234"}
    response = fetcher.post(f"http://127.0.0.1:{server}/echo", form=form)
    echoed = json.loads(response.body)
    assert response.status == 200
    assert echoed["content_type"] == "application/x-www-form-urlencoded"
    assert echoed["form"] == form


def test_post_json_with_bearer_header(server: int, fetcher: SafeHttpFetcher) -> None:
    payload = {"credential_configuration_id": "x", "proof": {"jwt": "a.b.c"}}
    response = fetcher.post(f"http://127.0.0.1:{server}/echo", json_body=payload,
                            headers={"Authorization": "Bearer tok"})
    echoed = json.loads(response.body)
    assert echoed["content_type"] == "application/json"
    assert echoed["auth"] == "Bearer tok"
    assert json.loads(echoed["raw"]) == payload


def test_post_without_body_sends_empty_body(server: int, fetcher: SafeHttpFetcher) -> None:
    echoed = json.loads(fetcher.post(f"http://127.0.0.1:{server}/echo").body)
    assert echoed["raw"] == ""


def test_post_rejects_both_bodies(server: int, fetcher: SafeHttpFetcher) -> None:
    with pytest.raises(ValueError):
        fetcher.post(f"http://127.0.0.1:{server}/echo", form={"a": "b"}, json_body={})


def test_post_does_not_follow_redirects(server: int, fetcher: SafeHttpFetcher) -> None:
    response = fetcher.post(f"http://127.0.0.1:{server}/moved", form={"secret": "s"})
    assert response.status == 307
    assert response.headers["location"] == "/echo"


def test_post_error_status_is_returned(server: int, fetcher: SafeHttpFetcher) -> None:
    response = fetcher.post(f"http://127.0.0.1:{server}/error", form={})
    assert response.status == 400
    assert json.loads(response.body)["error"] == "invalid_grant"


def test_post_size_cap(server: int, fetcher: SafeHttpFetcher) -> None:
    with pytest.raises(DidResolutionError, match="larger"):
        fetcher.post(f"http://127.0.0.1:{server}/big", form={})


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/token", "https://10.0.0.1/token", "https://169.254.169.254/token",
    "https://[::1]/token", "http://127.0.0.1:{port}/echo",
])
def test_post_refuses_private_targets_in_production(url: str, server: int) -> None:
    with SafeHttpFetcher(allow_private=False, timeout=2) as strict, \
            pytest.raises(AddressNotAllowedError):
        strict.post(url.format(port=server), form={"a": "b"})


def test_post_connection_refused_is_a_resolution_error(fetcher: SafeHttpFetcher) -> None:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DidResolutionError):
        fetcher.post(f"http://127.0.0.1:{port}/token", form={})


def test_fetch_with_headers_bypasses_the_cache(server: int, fetcher: SafeHttpFetcher) -> None:
    url = f"http://127.0.0.1:{server}/whoami"
    _Handler.hits.pop("/whoami", None)
    first = json.loads(fetcher.fetch(url, headers={"Authorization": "Bearer one"}).body)
    second = json.loads(fetcher.fetch(url, headers={"Authorization": "Bearer two"}).body)
    assert (first["auth"], second["auth"]) == ("Bearer one", "Bearer two")
    plain = json.loads(fetcher.fetch(url).body)  # stored by the plain call, not the others
    assert plain["auth"] is None
    fetcher.fetch(url)
    assert _Handler.hits["/whoami"] == 3
