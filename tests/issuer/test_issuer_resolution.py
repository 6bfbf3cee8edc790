"""The app's resolver: own DIDs and lists from the database, others through the fetcher."""

from __future__ import annotations

import json

import pytest

from openler.core.dids import MemoryFetcher, did_web_document
from openler.core.errors import DidResolutionError, InvalidDidError
from openler.core.keys import generate_keypair
from openler.issuer import keys, status_lists
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher


def test_own_dids_resolve_from_the_database(session, org_id, config, clock):
    row = keys.active_key(session, vault=config.vault, org_id=org_id, now=clock())
    fetcher = MemoryFetcher()
    resolver = InstanceDidResolver(session, config=config,
                                   remote=RemoteResolvers(fetcher, allow_private=False))
    vm_id = keys.verification_method_id(config.base, row)
    doc, vm = resolver.resolve_verification_method(vm_id)
    assert doc["id"] == config.base.org_did(org_id)
    assert vm["publicKeyMultibase"] == row.public_multibase
    assert fetcher.requests == []
    with pytest.raises(InvalidDidError):
        resolver.resolve(config.base.org_did("0" * 32))


def test_other_dids_go_through_the_fetcher(session, config):
    pair = generate_keypair()
    did = "did:web:issuer.example"
    document = did_web_document(did, [("#k1", pair.public_key())])
    fetcher = MemoryFetcher({"https://issuer.example/.well-known/did.json":
                             json.dumps(document).encode()})
    resolver = InstanceDidResolver(session, config=config,
                                   remote=RemoteResolvers(fetcher, allow_private=False))
    _doc, vm = resolver.resolve_verification_method(did + "#k1")
    assert vm["publicKeyMultibase"] == pair.public_multibase
    assert fetcher.requests == ["https://issuer.example/.well-known/did.json"]


def test_loopback_uses_http_only_when_private_addresses_are_allowed():
    fetcher = MemoryFetcher()
    did = "did:web:127.0.0.1%3A8001:orgs:abc"
    with pytest.raises(InvalidDidError):
        RemoteResolvers(fetcher, allow_private=True).for_did(did).resolve(did)
    with pytest.raises(InvalidDidError):
        RemoteResolvers(fetcher, allow_private=False).for_did(did).resolve(did)
    assert fetcher.requests == ["http://127.0.0.1:8001/orgs/abc/did.json",
                                "https://127.0.0.1:8001/orgs/abc/did.json"]


def test_status_list_fetcher_local_and_remote(session, org_id, config, clock):
    row, _ = status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    remote_url = "https://issuer.example/status/1"
    fetcher = MemoryFetcher({remote_url: b'{"id": "https://issuer.example/status/1"}'})
    fetch = status_list_fetcher(session, config=config, fetcher=fetcher, now=clock())
    local = fetch(config.base.status_list_url(row.id))
    assert local["credentialSubject"]["statusPurpose"] == "revocation"
    assert fetch(remote_url) == {"id": remote_url}
    with pytest.raises(DidResolutionError):
        fetch("https://issuer.example/missing")
    assert fetcher.requests == [remote_url, "https://issuer.example/missing"]
