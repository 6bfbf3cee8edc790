"""Proof configuration handling: dates, option order, and the precompiled canonical
form, which must equal the canonicalizer's output for every configuration it accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.core.jsonld import canonize
from openler.core.proofs.proof_config import (
    canonize_proof_config,
    fast_config_nquads,
    format_datetime,
    is_datetime,
    parse_datetime,
    proof_options,
)

CONTEXTS = [
    ["https://www.w3.org/ns/credentials/v2"],
    [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ],
    "https://www.w3.org/ns/credentials/v2",
]
SAFE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters='"\\'), max_size=12
)
ANY_TEXT = st.text(max_size=8)
VM = st.sampled_from(
    [
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "did:web:issuer.example%3A8443:org#key-1",
        "https://issuer.example/profile#key-2",
        "urn:uuid:1234#k",
        "relative#key",
        "did:web:x.example#key 1",
    ]
)
DATES = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
)


@settings(max_examples=60, deadline=None)
@given(
    context=st.sampled_from(CONTEXTS),
    vm=VM,
    purpose=st.sampled_from(
        [
            "assertionMethod",
            "authentication",
            "capabilityInvocation",
            "capabilityDelegation",
            "keyAgreement",
            "otherPurpose",
        ]
    ),
    suite=st.sampled_from(["eddsa-rdfc-2022", "ecdsa-rdfc-2019"]),
    created=DATES,
    challenge=st.none() | SAFE | ANY_TEXT,
    domain=st.none() | SAFE | st.lists(SAFE, max_size=3),
    expires=st.none() | DATES,
    nonce=st.none() | SAFE,
)
def test_precompiled_form_equals_canonicalizer(
    context, vm, purpose, suite, created, challenge, domain, expires, nonce
) -> None:
    config = {
        "@context": context,
        "type": "DataIntegrityProof",
        "cryptosuite": suite,
        "created": created,
        "verificationMethod": vm,
        "proofPurpose": purpose,
    }
    for key, value in (
        ("challenge", challenge),
        ("domain", domain),
        ("expires", expires),
        ("nonce", nonce),
    ):
        if value is not None:
            config[key] = value
    fast = fast_config_nquads(config)
    if fast is not None:
        assert fast == canonize(config)
    assert canonize_proof_config(config) == canonize(config)


def test_fast_path_is_taken_for_ordinary_configs() -> None:
    config = {
        "@context": CONTEXTS[1],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": "did:web:issuer.example#key-1",
        "proofPurpose": "assertionMethod",
    }
    assert fast_config_nquads(config) == canonize(config)
    assert fast_config_nquads(config | {"id": "urn:x"}) is None
    assert fast_config_nquads(config | {"challenge": 'quote"'}) is None
    assert fast_config_nquads(config | {"@context": [{"@vocab": "urn:x#"}]}) is None


def test_options_keep_spec_order() -> None:
    options = proof_options(
        cryptosuite="eddsa-rdfc-2022",
        created="2026-01-01T00:00:00Z",
        verification_method="did:x:y#z",
        proof_purpose="authentication",
        challenge="c",
        domain="d",
        expires="2026-02-01T00:00:00Z",
    )
    assert list(options) == [
        "type",
        "cryptosuite",
        "created",
        "expires",
        "verificationMethod",
        "proofPurpose",
        "challenge",
        "domain",
    ]


@pytest.mark.parametrize(
    "value, ok",
    [
        ("2023-02-24T23:36:38Z", True),
        ("2023-02-24T23:36:38.123456789+02:00", True),
        ("2023-02-24T23:36:38", True),
        ("2023-02-24", False),
        ("2023-13-01T00:00:00Z", False),
        ("2023-02-24T23:36:38Zx", False),
        (20230224, False),
    ],
)
def test_datetime_lexical_check(value: object, ok: bool) -> None:
    assert is_datetime(value) is ok


def test_datetime_formatting_and_parsing() -> None:
    local = datetime(2026, 1, 1, 13, 0, 0, 999, tzinfo=timezone(timedelta(hours=1)))
    assert format_datetime(local) == "2026-01-01T12:00:00Z"
    assert format_datetime(datetime(2026, 1, 1)) == "2026-01-01T00:00:00Z"
    with pytest.raises(ValueError):
        format_datetime("tomorrow")
    parsed = parse_datetime("2026-01-01T12:00:00.123456789Z")
    assert parsed == datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert parse_datetime("2026-01-01T12:00:00").tzinfo == UTC
