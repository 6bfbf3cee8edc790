"""did:web URL mapping, resolution through a Fetcher, and issuer documents."""

from __future__ import annotations

import json

import pytest

from openler.core.dids import (
    DidResolver,
    FetchResponse,
    MemoryFetcher,
    did_web_document,
    did_web_to_url,
    public_key_from_vm,
    resolve_did_web,
)
from openler.core.errors import DidResolutionError, InvalidDidError
from openler.core.keys import generate_keypair


@pytest.mark.parametrize(
    "did, url",
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        ("did:web:Example.COM", "https://example.com/.well-known/did.json"),
        ("did:web:example.com#key-1", "https://example.com/.well-known/did.json"),
    ],
)
def test_did_to_url_per_method_spec(did: str, url: str) -> None:
    assert did_web_to_url(did) == url


@pytest.mark.parametrize(
    "bad",
    [
        "did:web:",
        "did:web:exa mple.com",
        "did:web:example.com%3Aabc",
        "did:web:example.com:..",
        "did:web:example.com::x",
        "did:web:user@example.com",
        "did:web:example.com%2Fevil",
        "did:key:z6Mk",
        "did:web:-bad.example",
        "did:web:example.com%3A70000",
    ],
)
def test_bad_did_web_is_invalid(bad: str) -> None:
    with pytest.raises(InvalidDidError):
        did_web_to_url(bad)


def _issuer(did: str = "did:web:issuer.example:org:1", keys: int = 1):
    pairs = [generate_keypair("Ed25519" if i % 2 == 0 else "P-256") for i in range(keys)]
    doc = did_web_document(did, [(f"#key-{i + 1}", p.public_key()) for i, p in enumerate(pairs)])
    return did, pairs, doc


def test_issuer_document_lists_every_key_for_assertion_and_authentication() -> None:
    did, pairs, doc = _issuer(keys=2)
    ids = [f"{did}#key-1", f"{did}#key-2"]
    assert doc["id"] == did
    assert [vm["id"] for vm in doc["verificationMethod"]] == ids
    assert all(
        vm["type"] == "Multikey" and vm["controller"] == did for vm in doc["verificationMethod"]
    )
    assert doc["assertionMethod"] == ids and doc["authentication"] == ids
    assert [vm["publicKeyMultibase"] for vm in doc["verificationMethod"]] == [
        p.public_multibase for p in pairs
    ]


def test_issuer_document_refuses_foreign_vm_ids() -> None:
    pub = generate_keypair().public_key()
    with pytest.raises(InvalidDidError):
        did_web_document("did:web:a.example", [("did:web:b.example#k", pub)])
    with pytest.raises(InvalidDidError):
        did_web_document("did:web:a.example", [])


def test_resolution_through_fake_fetcher_and_cache() -> None:
    did, pairs, doc = _issuer(keys=2)
    url = "https://issuer.example/org/1/did.json"
    fetcher = MemoryFetcher({url: json.dumps(doc).encode()})
    now = [0.0]
    resolver = DidResolver(fetcher=fetcher, cache_ttl=60, clock=lambda: now[0])
    controller, vm = resolver.resolve_verification_method(f"{did}#key-2")
    assert controller["id"] == did
    assert public_key_from_vm(vm) == pairs[1].public_key()
    resolver.resolve_verification_method(f"{did}#key-1")
    assert fetcher.requests == [url]  # second lookup served from cache
    now[0] = 61.0
    resolver.resolve(did)
    assert fetcher.requests == [url, url]  # expired entry fetched again


def test_document_id_must_equal_the_did() -> None:
    did, _, doc = _issuer()
    doc["id"] = "did:web:attacker.example"
    fetcher = MemoryFetcher({did_web_to_url(did): json.dumps(doc).encode()})
    with pytest.raises(InvalidDidError, match="does not match"):
        resolve_did_web(did, fetcher=fetcher)


@pytest.mark.parametrize(
    "response, error",
    [
        (FetchResponse(404, b""), InvalidDidError),
        (FetchResponse(200, b"{not json"), InvalidDidError),
        (FetchResponse(200, b"[]"), InvalidDidError),
        (FetchResponse(503, b""), DidResolutionError),
    ],
)
def test_fetch_failures(response: FetchResponse, error: type[Exception]) -> None:
    did = "did:web:issuer.example"
    fetcher = MemoryFetcher({did_web_to_url(did): response})
    with pytest.raises(error):
        DidResolver(fetcher=fetcher).resolve(did)


def test_server_error_is_not_a_definite_answer() -> None:
    did = "did:web:issuer.example"
    fetcher = MemoryFetcher({did_web_to_url(did): FetchResponse(500, b"")})
    with pytest.raises(DidResolutionError) as info:
        DidResolver(fetcher=fetcher).resolve(did)
    assert not isinstance(info.value, InvalidDidError)


def test_did_web_without_fetcher_cannot_resolve() -> None:
    with pytest.raises(DidResolutionError):
        DidResolver().resolve("did:web:issuer.example")


def test_vm_controller_must_be_the_listing_document() -> None:
    did, _, doc = _issuer()
    doc["verificationMethod"][0]["controller"] = "did:web:other.example"
    fetcher = MemoryFetcher({did_web_to_url(did): json.dumps(doc).encode()})
    with pytest.raises(InvalidDidError, match="controller"):
        DidResolver(fetcher=fetcher).resolve_verification_method(f"{did}#key-1")


def test_pinned_documents_answer_without_fetching() -> None:
    did, pairs, doc = _issuer("did:web:pinned.example")
    fetcher = MemoryFetcher()
    resolver = DidResolver(fetcher=fetcher, documents={did: doc})
    _, vm = resolver.resolve_verification_method(f"{did}#key-1")
    assert public_key_from_vm(vm) == pairs[0].public_key()
    assert fetcher.requests == []


def test_relative_vm_ids_in_fetched_documents_resolve() -> None:
    did = "did:web:rel.example"
    pub = generate_keypair().public_key()
    doc = {
        "id": did,
        "verificationMethod": [
            {
                "id": "#k1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": pub.multibase,
            }
        ],
        "assertionMethod": ["#k1"],
    }
    resolver = DidResolver(fetcher=MemoryFetcher({did_web_to_url(did): json.dumps(doc).encode()}))
    _, vm = resolver.resolve_verification_method(f"{did}#k1")
    assert public_key_from_vm(vm) == pub


def test_issuer_document_refuses_duplicate_vm_ids() -> None:
    a, b = generate_keypair().public_key(), generate_keypair().public_key()
    with pytest.raises(InvalidDidError, match="unique"):
        did_web_document("did:web:a.example", [("#k", a), ("did:web:a.example#k", b)])
