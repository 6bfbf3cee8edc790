"""VC Data Model 2.0 envelope rules applied on top of (or instead of) a schema."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.schema import Violation, is_date_time_stamp, validate

VC2 = "https://www.w3.org/ns/credentials/v2"


def plain_vc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "http://university.example/credentials/3732",
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": "https://university.example/issuers/565049",
        "validFrom": "2010-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21"},
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


def codes(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(v.path, v.code) for v in validate(doc)}


def test_a_plain_vc_passes() -> None:
    assert validate(plain_vc()) == []


def test_first_context_must_be_vc_v2() -> None:
    doc = plain_vc(**{"@context": ["https://www.w3.org/2018/credentials/v1"]})
    assert validate(doc) == [Violation("$['@context']", "vc.context", f"must start with {VC2}")]
    assert ("$['@context']", "vc.context") in codes(plain_vc(**{"@context": None}))


def test_type_must_include_verifiable_credential() -> None:
    assert ("$.type", "vc.type") in codes(plain_vc(type=["ExampleDegreeCredential"]))
    assert validate(plain_vc(type=None)) == [Violation("$.type", "vc.type", "is required")]


@pytest.mark.parametrize(
    ("issuer", "path"),
    [
        (None, "$.issuer"),
        ("University of Example", "$.issuer"),
        ({"name": "University"}, "$.issuer.id"),
        ({"id": "not a url"}, "$.issuer.id"),
        (42, "$.issuer"),
    ],
)
def test_issuer_must_be_a_url_or_object_with_url_id(issuer: Any, path: str) -> None:
    assert (path, "vc.issuer") in codes(plain_vc(issuer=issuer))


@pytest.mark.parametrize(
    "issuer", ["did:example:76e12ec712ebc6f1c221ebfeb1f", {"id": "https://u.example", "name": "U"}]
)
def test_valid_issuers(issuer: Any) -> None:
    assert validate(plain_vc(issuer=issuer)) == []


@pytest.mark.parametrize(
    "value",
    ["2010-01-01", "2010-01-01T00:00:00", "2010-13-01T00:00:00Z", "2010-02-30T00:00:00Z", 5],
)
def test_dates_must_be_date_time_stamps(value: Any) -> None:
    assert ("$.validFrom", "vc.dates") in codes(plain_vc(validFrom=value))
    assert ("$.validUntil", "vc.dates") in codes(plain_vc(validUntil=value))


def test_valid_until_may_not_precede_valid_from() -> None:
    doc = plain_vc(validFrom="2020-01-01T00:00:00Z", validUntil="2019-12-31T23:59:59+00:00")
    assert validate(doc) == [
        Violation("$.validUntil", "vc.dates", "must not be earlier than validFrom")
    ]


def test_credential_subject_is_required() -> None:
    assert validate(plain_vc(credentialSubject=None)) == [
        Violation("$.credentialSubject", "vc.subject", "is required")
    ]
    assert validate(plain_vc(credentialSubject={})) == [
        Violation("$.credentialSubject", "vc.subject", "must describe at least one subject")
    ]


def test_id_must_be_a_url() -> None:
    assert ("$.id", "vc.id") in codes(plain_vc(id="3732"))


def test_presentation_rules() -> None:
    good = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": "did:example:1"}
    assert validate(good) == []
    assert ("$.holder", "vc.holder") in codes(good | {"holder": "me"})
    assert ("$.type", "vc.type") in codes(good | {"type": ["Presentation"]})
    assert ("$['@context']", "vc.context") in codes(good | {"@context": ["https://x.example"]})


def test_schema_and_envelope_report_a_place_once() -> None:
    doc = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    found = validate(doc)
    assert [v.path for v in found].count("$.issuer") == 1
    # The schema already flagged $['@context'][0], so the envelope rule adds nothing.
    assert ("$['@context'][0]", "schema.enum") in {(v.path, v.code) for v in found}
    assert "vc.context" not in {v.code for v in found}


@given(st.datetimes(timezones=st.timezones()).filter(lambda d: d.utcoffset() is not None))
def test_every_aware_isoformat_is_a_date_time_stamp(moment: Any) -> None:
    text = moment.isoformat()
    if (
        abs(moment.utcoffset().total_seconds()) % 60 == 0
        and abs(moment.utcoffset().total_seconds()) <= 14 * 3600
    ):
        assert is_date_time_stamp(text)
    assert not is_date_time_stamp(moment.replace(tzinfo=None).isoformat())
