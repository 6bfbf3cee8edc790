"""SafeHttpFetcher against a real HTTP server on 127.0.0.1 (allow_private=True),
and its refusals of private targets (allow_private=False)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from openler.core.dids import DidResolver, did_web_document, public_key_from_vm
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.keys import generate_keypair
from openler.net import SafeHttpFetcher, cache_seconds

PAIR = generate_keypair()
DID = "did:web:127.0.0.1%3A{port}:issuers:1"


class _Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    server_version = "test"

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        port = self.server.server_address[1]
        if self.path == "/issuers/1/did.json":
            did = DID.format(port=port)
            doc = did_web_document(did, [("#key-1", PAIR.public_key())])
            self._send(200, json.dumps(doc).encode(), Content_Type="application/did+json")
        elif self.path == "/cached":
            self._send(200, b"{}", Cache_Control="public, max-age=60")
        elif self.path == "/nostore":
            self._send(200, b"{}", Cache_Control="no-store")
        elif self.path.startswith("/hop/"):
            n = int(self.path.rsplit("/", 1)[1])
            target = "/cached" if n == 0 else f"/hop/{n - 1}"
            self._send(302, Location=target)
        elif self.path == "/to-metadata":
            self._send(302, Location="http://169.254.169.254/latest/meta-data")
        elif self.path == "/big":
            self._send(200, b"x" * 5000)
        elif self.path == "/big-chunked":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)
            self.close_connection = True
        else:
            self._send(404, b"no")


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


def test_did_web_resolution_over_real_http(server: int, fetcher: SafeHttpFetcher) -> None:
    did = DID.format(port=server)
    resolver = DidResolver(fetcher=fetcher, web_scheme="http")
    doc, vm = resolver.resolve_verification_method(f"{did}#key-1")
    assert doc["id"] == did
    assert public_key_from_vm(vm) == PAIR.public_key()


def test_follows_up_to_three_redirects(server: int, fetcher: SafeHttpFetcher) -> None:
    response = fetcher.fetch(f"http://127.0.0.1:{server}/hop/2")
    assert response.status == 200 and response.body == b"{}"
    with pytest.raises(DidResolutionError, match="redirects"):
        fetcher.fetch(f"http://127.0.0.1:{server}/hop/3")


def test_redirect_to_disallowed_address_is_refused(server: int,
                                                   fetcher: SafeHttpFetcher) -> None:
    # allow_private admits loopback over http, but plain http to a non-loopback
    # (link-local metadata) address stays refused, so no request leaves the host.
    with pytest.raises(AddressNotAllowedError):
        fetcher.fetch(f"http://127.0.0.1:{server}/to-metadata")


def test_size_cap_with_and_without_content_length(server: int,
                                                  fetcher: SafeHttpFetcher) -> None:
    with pytest.raises(DidResolutionError, match="larger"):
        fetcher.fetch(f"http://127.0.0.1:{server}/big")
    with pytest.raises(DidResolutionError, match="larger"):
        fetcher.fetch(f"http://127.0.0.1:{server}/big-chunked")


def test_cache_honours_max_age_and_no_store(server: int, fetcher: SafeHttpFetcher) -> None:
    for path in ("/cached", "/nostore"):
        _Handler.hits.pop(path, None)
        fetcher.fetch(f"http://127.0.0.1:{server}{path}")
        fetcher.fetch(f"http://127.0.0.1:{server}{path}")
    assert _Handler.hits["/cached"] == 1
    assert _Handler.hits["/nostore"] == 2


def test_404_is_returned_not_raised(server: int, fetcher: SafeHttpFetcher) -> None:
    assert fetcher.fetch(f"http://127.0.0.1:{server}/missing").status == 404


def test_connection_refused_is_a_resolution_error(fetcher: SafeHttpFetcher) -> None:
    import socket
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DidResolutionError):
        fetcher.fetch(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/x", "https://10.0.0.1/x", "https://169.254.169.254/x",
    "https://[::1]/x", "https://[fe80::1]/x", "https://192.168.0.1/x",
    "https://[::ffff:127.0.0.1]/x", "http://127.0.0.1:{port}/cached",
])
def test_production_mode_refuses_private_targets(url: str, server: int) -> None:
    with SafeHttpFetcher(allow_private=False, timeout=2) as strict, \
            pytest.raises(AddressNotAllowedError):
        strict.fetch(url.format(port=server))


def test_dns_rebinding_is_caught_at_connect_time(server: int) -> None:
    """The name resolves publicly when the URL is checked, then to loopback when
    dialled: the connector re-checks and refuses instead of connecting."""
    answers = iter(["93.184.216.34", "127.0.0.1"])

    def rebinding(host: str, port: int, *args: object):
        import socket
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    with SafeHttpFetcher(allow_private=False, timeout=2, resolve=rebinding) as strict, \
            pytest.raises(AddressNotAllowedError):
        strict.fetch(f"https://rebind.example:{server}/cached")


@pytest.mark.parametrize("header, seconds", [
    ("max-age=60", 60), ("public, max-age=5", 5), ("no-store, max-age=60", 0),
    ("no-cache", 0), ("", 0), ("max-age=abc", 0), ('max-age="30"', 30),
])
def test_cache_control_parsing(header: str, seconds: float) -> None:
    assert cache_seconds(header) == seconds


def test_credential_signed_by_did_web_issuer_verifies_over_http(server: int,
                                                                fetcher: SafeHttpFetcher) -> None:
    from openler.core.dids import Fetcher
    from openler.core.proofs import sign, verify_proof

    assert isinstance(fetcher, Fetcher)
    did = DID.format(port=server)
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "credentialSubject": {"id": "did:example:learner"}}
    signed = sign(credential, keypair=PAIR, verification_method=f"{did}#key-1")
    resolver = DidResolver(fetcher=fetcher, web_scheme="http")
    assert verify_proof(signed, resolver=resolver).ok
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    assert verify_proof(signed, resolver=resolver).code == "proof.signature_invalid"
