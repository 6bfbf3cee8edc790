"""The strict offline loader: only bundled, SHA-256-pinned contexts are served."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from helpers import shared_dir
from openler.core.errors import ContextNotAllowedError, DocumentLoaderError
from openler.core.jsonld import BUNDLED_CONTEXTS, DocumentLoader, default_loader, loader


@pytest.mark.parametrize("url", sorted(BUNDLED_CONTEXTS))
def test_every_bundled_context_is_served_and_matches_its_pin(url: str) -> None:
    entry = BUNDLED_CONTEXTS[url]
    data = resources.files("openler.core.jsonld").joinpath("contexts", entry.filename)
    assert hashlib.sha256(data.read_bytes()).hexdigest() == entry.sha256
    assert "@context" in default_loader().get(url)


@pytest.mark.parametrize("url", sorted(BUNDLED_CONTEXTS))
def test_bundled_copy_equals_the_shared_source(url: str) -> None:
    entry = BUNDLED_CONTEXTS[url]
    shared = shared_dir() / "contexts" / entry.filename
    data = resources.files("openler.core.jsonld").joinpath("contexts", entry.filename)
    assert data.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("url", [
    "https://evil.example/context.jsonld",
    "http://www.w3.org/ns/credentials/v2",       # wrong scheme is a different URL
    "https://www.w3.org/ns/credentials/v2/",     # so is a trailing slash
    "file:///etc/passwd",
])
def test_unknown_urls_are_refused(url: str) -> None:
    with pytest.raises(ContextNotAllowedError) as caught:
        default_loader().get(url)
    assert caught.value.url == url


def test_pyld_signature_returns_a_remote_document() -> None:
    url = "https://www.w3.org/ns/credentials/v2"
    remote = default_loader()(url, {})
    assert remote["documentUrl"] == url
    assert remote["document"] is default_loader().get(url)


def test_fragment_is_ignored_for_lookup() -> None:
    assert default_loader().get("https://www.w3.org/ns/did/v1#x") == default_loader().get(
        "https://www.w3.org/ns/did/v1")


def test_extra_documents_are_served_only_by_their_loader() -> None:
    url = "https://example.org/ctx"
    custom = DocumentLoader(extra={url: {"@context": {"x": "https://example.org/x"}}})
    assert custom.get(url)["@context"]["x"] == "https://example.org/x"
    with pytest.raises(ContextNotAllowedError):
        default_loader().get(url)


def test_a_file_that_no_longer_matches_its_pin_is_refused(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    url = "https://w3id.org/security/multikey/v1"
    entry = BUNDLED_CONTEXTS[url]
    monkeypatch.setitem(BUNDLED_CONTEXTS, url,
                        loader.BundledContext(url, entry.filename, "0" * 64))
    loader._read_pinned.cache_clear()
    try:
        with pytest.raises(DocumentLoaderError, match="pinned SHA-256"):
            DocumentLoader().get(url)
    finally:
        loader._read_pinned.cache_clear()
