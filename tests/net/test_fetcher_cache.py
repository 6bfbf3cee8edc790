"""SafeHttpFetcher's private HTTP cache (RFC 9111) against a real local HTTP server.

The server's headers decide what the fetcher asks for again; every request is
counted on the server side. Time is a shared fake clock (the server writes its
``Date`` from it) so freshness is tested without sleeping.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.dids import DidResolver, did_web_document
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.keys import generate_keypair
from openler.net import SafeHttpFetcher
from openler.net.http_cache import (
    freshness_lifetime,
    parse_cache_control,
    refreshed_headers,
)


class Clock:
    """One clock for the fetcher (monotonic and wall) and the server's Date."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now

    def date(self, offset: float = 0.0) -> str:
        return formatdate(self.now + offset, usegmt=True)


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"n": 1}'


Route = Callable[[dict[str, str]], Reply]


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    hits: dict[str, list[dict[str, str]]] = {}
    clock: Clock | None = None

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        request = {k.lower(): v for k, v in self.headers.items()}
        _Handler.hits.setdefault(self.path, []).append(request)
        route = _Handler.routes.get(self.path)
        reply = route(request) if route else Reply(404, {}, b"no")
        self.send_response_only(reply.status)  # no automatic Date: the test decides
        headers = dict(reply.headers)
        if "Date" not in headers and _Handler.clock is not None:
            headers["Date"] = _Handler.clock.date()
        headers = {k: v for k, v in headers.items() if v is not None}
        for name, value in headers.items():
            self.send_header(name, value)
        body = b"" if reply.status == 304 else reply.body
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture()
def clock() -> Clock:
    _Handler.clock = Clock()
    _Handler.routes.clear()
    _Handler.hits.clear()
    return _Handler.clock


@pytest.fixture()
def fetcher(clock: Clock) -> Iterator[SafeHttpFetcher]:
    with SafeHttpFetcher(allow_private=True, timeout=5, clock=clock, wall_clock=clock) as f:
        yield f


def serve(path: str, route: Route | Reply) -> None:
    _Handler.routes[path] = route if callable(route) else (lambda _request: route)


def hits(path: str) -> int:
    return len(_Handler.hits.get(path, []))


def test_max_age_reuses_until_stale(port: int, clock: Clock, fetcher: SafeHttpFetcher) -> None:
    serve("/a", Reply(headers={"Cache-Control": "max-age=60"}))
    url = f"http://127.0.0.1:{port}/a"
    fetcher.fetch(url)
    clock.now += 30
    again = fetcher.fetch(url)
    assert hits("/a") == 1 and again.body == b'{"n": 1}'
    assert again.headers["age"] == "30"  # a cache tells its Age (RFC 9111 section 5.1)
    clock.now += 31
    fetcher.fetch(url)
    assert hits("/a") == 2


def test_s_maxage_is_ignored_by_a_private_cache(port: int, clock: Clock,
                                                fetcher: SafeHttpFetcher) -> None:
    serve("/s1", Reply(headers={"Cache-Control": "max-age=10, s-maxage=600"}))
    serve("/s2", Reply(headers={"Cache-Control": "s-maxage=600"}))
    for path in ("/s1", "/s2"):
        fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    clock.now += 20
    for path in ("/s1", "/s2"):
        fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    assert hits("/s1") == 2 and hits("/s2") == 2


def test_private_is_fine_for_a_private_cache(port: int, clock: Clock,
                                             fetcher: SafeHttpFetcher) -> None:
    serve("/p", Reply(headers={"Cache-Control": "private, max-age=60"}))
    for _ in range(3):
        fetcher.fetch(f"http://127.0.0.1:{port}/p")
        clock.now += 10
    assert hits("/p") == 1


def test_no_store_is_never_stored_nor_revalidated(port: int, clock: Clock,
                                                  fetcher: SafeHttpFetcher) -> None:
    serve("/ns", Reply(headers={"Cache-Control": "no-store, max-age=600", "ETag": '"v1"'}))
    for _ in range(3):
        fetcher.fetch(f"http://127.0.0.1:{port}/ns")
    assert hits("/ns") == 3
    assert all("if-none-match" not in r for r in _Handler.hits["/ns"])


def _etag_route(etag: str, cache_control: str, body: bytes = b'{"list": 1}') -> Route:
    def route(request: dict[str, str]) -> Reply:
        headers = {"Cache-Control": cache_control, "ETag": etag}
        if request.get("if-none-match") == etag:
            return Reply(304, headers)
        return Reply(200, headers, body)
    return route


def test_no_cache_stores_but_revalidates_with_etag(port: int, clock: Clock,
                                                   fetcher: SafeHttpFetcher) -> None:
    serve("/nc", _etag_route('"abc"', "no-cache"))
    url = f"http://127.0.0.1:{port}/nc"
    with fetcher.recording() as log:
        first = fetcher.fetch(url)
        second = fetcher.fetch(url)
        third = fetcher.fetch(url)
    assert hits("/nc") == 3  # asked every time...
    requests = _Handler.hits["/nc"]
    assert "if-none-match" not in requests[0]
    assert requests[1]["if-none-match"] == '"abc"' == requests[2]["if-none-match"]
    assert first.body == second.body == third.body == b'{"list": 1}'  # ...downloaded once
    assert second.status == 200
    assert [i.outcome for i in log] == ["network", "revalidated", "revalidated"]
    assert [i.from_cache for i in log] == [False, True, True]


def test_changed_resource_replaces_the_entry(port: int, clock: Clock,
                                             fetcher: SafeHttpFetcher) -> None:
    state = {"etag": '"v1"', "body": b"one"}

    def route(request: dict[str, str]) -> Reply:
        headers = {"Cache-Control": "no-cache", "ETag": state["etag"]}
        if request.get("if-none-match") == state["etag"]:
            return Reply(304, headers)
        return Reply(200, headers, state["body"])

    serve("/chg", route)
    url = f"http://127.0.0.1:{port}/chg"
    assert fetcher.fetch(url).body == b"one"
    state.update(etag='"v2"', body=b"two")
    assert fetcher.fetch(url).body == b"two"  # conditional on v1 got a full 200
    assert fetcher.fetch(url).body == b"two"
    assert _Handler.hits["/chg"][2]["if-none-match"] == '"v2"'


def test_last_modified_revalidation_and_304_refresh(port: int, clock: Clock,
                                                    fetcher: SafeHttpFetcher) -> None:
    modified = clock.date(-3600)

    def route(request: dict[str, str]) -> Reply:
        if request.get("if-modified-since") == modified:
            return Reply(304, {"Cache-Control": "max-age=100"})
        return Reply(200, {"Cache-Control": "max-age=10", "Last-Modified": modified}, b"doc")

    serve("/lm", route)
    url = f"http://127.0.0.1:{port}/lm"
    fetcher.fetch(url)
    clock.now += 20  # stale after 10 s
    with fetcher.recording() as log:
        refreshed = fetcher.fetch(url)
    assert hits("/lm") == 2 and refreshed.body == b"doc"
    assert _Handler.hits["/lm"][1]["if-modified-since"] == modified
    assert log[0].outcome == "revalidated"
    clock.now += 50  # the 304's max-age=100 now governs the stored entry
    fetcher.fetch(url)
    assert hits("/lm") == 2
    clock.now += 60
    fetcher.fetch(url)
    assert hits("/lm") == 3


def test_expires_when_there_is_no_max_age(port: int, clock: Clock,
                                          fetcher: SafeHttpFetcher) -> None:
    serve("/exp", lambda _r: Reply(headers={"Expires": clock.date(60)}))
    serve("/both", lambda _r: Reply(headers={"Expires": clock.date(1000),
                                            "Cache-Control": "max-age=10"}))
    serve("/zero", Reply(headers={"Expires": "0"}))
    paths = ("/exp", "/both", "/zero")
    for path in paths:
        fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    clock.now += 30
    for path in paths:
        fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    assert (hits("/exp"), hits("/both"), hits("/zero")) == (1, 2, 2)
    clock.now += 31
    fetcher.fetch(f"http://127.0.0.1:{port}/exp")
    assert hits("/exp") == 2


def test_age_is_subtracted(port: int, clock: Clock, fetcher: SafeHttpFetcher) -> None:
    serve("/aged", Reply(headers={"Cache-Control": "max-age=60", "Age": "50"}))
    serve("/dated", lambda _r: Reply(headers={"Cache-Control": "max-age=60",
                                             "Date": clock.date(-50)}))
    for path in ("/aged", "/dated"):
        fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    clock.now += 5
    with fetcher.recording() as log:
        for path in ("/aged", "/dated"):
            fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    assert hits("/aged") == 1 and hits("/dated") == 1
    assert [round(i.age_seconds) for i in log] == [55, 55]
    clock.now += 6
    for path in ("/aged", "/dated"):
        fetcher.fetch(f"http://127.0.0.1:{port}{path}")
    assert hits("/aged") == 2 and hits("/dated") == 2


def test_no_freshness_information_means_no_reuse_unless_configured(
        port: int, clock: Clock) -> None:
    serve("/plain", Reply())
    url = f"http://127.0.0.1:{port}/plain"
    with SafeHttpFetcher(allow_private=True, clock=clock, wall_clock=clock) as strict:
        strict.fetch(url)
        strict.fetch(url)
    assert hits("/plain") == 2
    with SafeHttpFetcher(allow_private=True, clock=clock, wall_clock=clock,
                         default_cache_seconds=30) as lenient:
        lenient.fetch(url)
        clock.now += 20
        lenient.fetch(url)
        assert hits("/plain") == 3
        clock.now += 20
        lenient.fetch(url)
    assert hits("/plain") == 4


def test_upper_bound_caps_a_long_max_age(port: int, clock: Clock) -> None:
    serve("/long", Reply(headers={"Cache-Control": "max-age=31536000"}))
    url = f"http://127.0.0.1:{port}/long"
    with SafeHttpFetcher(allow_private=True, clock=clock, wall_clock=clock,
                         max_cache_seconds=100) as capped:
        capped.fetch(url)
        clock.now += 99
        capped.fetch(url)
        assert hits("/long") == 1
        clock.now += 2
        capped.fetch(url)
    assert hits("/long") == 2


@pytest.mark.parametrize("cache_control, served_stale", [
    ("max-age=10", True), ("max-age=10, must-revalidate", False)])
def test_must_revalidate_forbids_stale_on_error(port: int, clock: Clock, cache_control: str,
                                                served_stale: bool) -> None:
    state = {"down": False}

    def route(_request: dict[str, str]) -> Reply:
        if state["down"]:
            return Reply(503, {}, b"down")
        return Reply(200, {"Cache-Control": cache_control}, b"good")

    serve("/mr", route)
    url = f"http://127.0.0.1:{port}/mr"
    with SafeHttpFetcher(allow_private=True, clock=clock, wall_clock=clock,
                         stale_if_error=600) as fetcher:
        fetcher.fetch(url)
        state["down"] = True
        clock.now += 20
        with fetcher.recording() as log:
            answer = fetcher.fetch(url)
    assert hits("/mr") == 2  # stale: it asked
    if served_stale:
        assert (answer.status, answer.body, log[0].outcome) == (200, b"good", "stale")
    else:
        assert (answer.status, log[0].outcome) == (503, "network")


def test_stale_is_not_served_on_error_by_default(port: int, clock: Clock,
                                                 fetcher: SafeHttpFetcher) -> None:
    state = {"down": False}
    serve("/dflt", lambda _r: Reply(503) if state["down"]
          else Reply(headers={"Cache-Control": "max-age=10"}))
    fetcher.fetch(f"http://127.0.0.1:{port}/dflt")
    state["down"] = True
    clock.now += 11
    assert fetcher.fetch(f"http://127.0.0.1:{port}/dflt").status == 503


def test_vary_star_and_errors_are_not_stored(port: int, clock: Clock,
                                             fetcher: SafeHttpFetcher) -> None:
    serve("/vary", Reply(headers={"Cache-Control": "max-age=60", "Vary": "*"}))
    serve("/gone", Reply(404, {"Cache-Control": "max-age=60"}, b"no"))
    for _ in range(2):
        fetcher.fetch(f"http://127.0.0.1:{port}/vary")
        fetcher.fetch(f"http://127.0.0.1:{port}/gone")
    assert hits("/vary") == 2 and hits("/gone") == 2


def test_calls_with_credentials_bypass_the_cache(port: int, clock: Clock,
                                                 fetcher: SafeHttpFetcher) -> None:
    serve("/auth", Reply(headers={"Cache-Control": "max-age=60"}))
    url = f"http://127.0.0.1:{port}/auth"
    fetcher.fetch(url, headers={"Authorization": "Bearer t"})
    fetcher.fetch(url)
    fetcher.fetch(url, headers={"Authorization": "Bearer t"})
    assert hits("/auth") == 3


def test_revalidation_goes_through_the_guarded_path(port: int, clock: Clock) -> None:
    """A fresh hit makes no request; a revalidation resolves and checks the host
    again, and a redirect it answers with is checked like any other."""
    resolved: list[str] = []

    def resolve(host: str, port_: int, *args: object) -> list:
        resolved.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port_))]

    state = {"redirect": False}

    def route(request: dict[str, str]) -> Reply:
        if state["redirect"]:
            return Reply(302, {"Location": "http://169.254.169.254/latest/meta-data"})
        return _etag_route('"g"', "max-age=10")(request)

    serve("/guard", route)
    url = f"http://localhost:{port}/guard"
    with SafeHttpFetcher(allow_private=True, clock=clock, wall_clock=clock,
                         resolve=resolve, stale_if_error=600) as fetcher:
        fetcher.fetch(url)
        after_first = len(resolved)
        fetcher.fetch(url)
        assert len(resolved) == after_first and hits("/guard") == 1
        clock.now += 11
        fetcher.fetch(url)  # 304
        assert len(resolved) > after_first and hits("/guard") == 2
        state["redirect"] = True
        clock.now += 11
        with pytest.raises(AddressNotAllowedError):  # not hidden behind the stale entry
            fetcher.fetch(url)
    assert _Handler.hits["/guard"][2]["if-none-match"] == '"g"'


@pytest.mark.parametrize("cache_control, served_stale", [
    ("max-age=10", True), ("max-age=10, must-revalidate", False)])
def test_origin_gone_stale_only_without_must_revalidate(clock: Clock, cache_control: str,
                                                        served_stale: bool) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    serve("/gone-host", Reply(headers={"Cache-Control": cache_control}, body=b"kept"))
    url = f"http://127.0.0.1:{httpd.server_address[1]}/gone-host"
    with SafeHttpFetcher(allow_private=True, timeout=2, clock=clock, wall_clock=clock,
                         stale_if_error=600) as fetcher:
        fetcher.fetch(url)
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        fetcher.close()  # drop the pooled connection: the next request must dial again
        clock.now += 20
        if served_stale:
            answer = fetcher.fetch(url)
            assert answer.body == b"kept" and answer.headers["age"] == "20"
        else:
            with pytest.raises(DidResolutionError):
                fetcher.fetch(url)


def test_did_web_documents_revalidate_across_requests(port: int, clock: Clock,
                                                      fetcher: SafeHttpFetcher) -> None:
    did = f"did:web:127.0.0.1%3A{port}:issuers:7"
    doc = did_web_document(did, [("#key-1", generate_keypair().public_key())])
    import json
    serve("/issuers/7/did.json", _etag_route('"d1"', "no-cache", json.dumps(doc).encode()))
    for _ in range(3):  # a new resolver per verification, as the web app makes
        resolved = DidResolver(fetcher=fetcher, web_scheme="http").resolve(did)
        assert resolved["id"] == did
    statuses = [r.get("if-none-match") for r in _Handler.hits["/issuers/7/did.json"]]
    assert statuses == [None, '"d1"', '"d1"']


def test_recording_nests_and_only_sees_its_thread(port: int, clock: Clock,
                                                  fetcher: SafeHttpFetcher) -> None:
    serve("/r", Reply(headers={"Cache-Control": "max-age=60"}))
    url = f"http://127.0.0.1:{port}/r"
    with fetcher.recording() as outer:
        fetcher.fetch(url)
        with fetcher.recording() as inner:
            fetcher.fetch(url)
        other = threading.Thread(target=fetcher.fetch, args=(url,))
        other.start()
        other.join()
    assert [i.outcome for i in inner] == ["cache"]
    assert [i.outcome for i in outer] == ["network", "cache"]


def test_refreshed_headers_drop_old_age_and_keep_length() -> None:
    merged = refreshed_headers({"age": "40", "date": "x", "content-length": "3", "etag": "a"},
                               {"etag": "b", "content-length": "0"})
    assert merged == {"content-length": "3", "etag": "b"}


@given(st.text(max_size=60), st.integers(min_value=0, max_value=10**9))
def test_lifetime_is_always_within_bounds(cache_control: str, expires_offset: int) -> None:
    headers = {"cache-control": cache_control,
               "expires": formatdate(1_700_000_000 + expires_offset, usegmt=True),
               "date": formatdate(1_700_000_000, usegmt=True)}
    lifetime = freshness_lifetime(headers, received_at=1_700_000_000.0, max_seconds=3600)
    assert 0 <= lifetime <= 3600
    if parse_cache_control(cache_control).max_age is None:
        assert lifetime == min(expires_offset, 3600)
