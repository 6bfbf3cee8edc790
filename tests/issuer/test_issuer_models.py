"""Public base URL -> did:web identifiers and list URLs, and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.dids import did_web_to_url
from openler.issuer.errors import IssuerInputError
from openler.issuer.models import PublicBase


def test_port_is_percent_encoded():
    base = PublicBase.parse("http://127.0.0.1:8000/")
    assert base.url == "http://127.0.0.1:8000"
    assert base.org_did("abc123") == "did:web:127.0.0.1%3A8000:orgs:abc123"
    assert did_web_to_url(base.org_did("abc123"), scheme="http") == (
        "http://127.0.0.1:8000/orgs/abc123/did.json")


def test_path_prefix_becomes_did_segments():
    base = PublicBase.parse("https://Example.ORG/openler")
    assert base.org_did("o1") == "did:web:example.org:openler:orgs:o1"
    assert did_web_to_url(base.org_did("o1")) == "https://example.org/openler/orgs/o1/did.json"
    assert base.status_list_url("l1") == "https://example.org/openler/credentials/status/l1"


@pytest.mark.parametrize("bad", ["ftp://x.example", "not a url", "https://", "https://x/?q=1"])
def test_bad_public_urls_are_refused(bad):
    with pytest.raises(IssuerInputError):
        PublicBase.parse(bad)


@given(st.text(alphabet="abcdef0123456789", min_size=1, max_size=32))
def test_org_and_list_ids_round_trip(ident):
    base = PublicBase.parse("https://badges.example.org")
    assert base.org_id_of(base.org_did(ident) + "#key-1") == ident
    assert base.status_list_id_of(base.status_list_url(ident)) == ident


def test_foreign_identifiers_are_not_ours():
    base = PublicBase.parse("https://badges.example.org")
    assert base.org_id_of("did:web:evil.example:orgs:abc") is None
    assert base.org_id_of(base.org_did("a:b")) is None
    assert base.status_list_id_of("https://evil.example/credentials/status/abc") is None
    assert base.status_list_id_of(base.status_list_url("../x")) is None
