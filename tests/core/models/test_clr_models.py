"""CLR 2.0 models: building a learner record, reading the spec's example, round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from model_builders import ISSUER, build_achievement, build_credential
from pydantic import ValidationError

from helpers import clr_credentials, shared_dir
from openler.core.models import (
    CLR_V2_CONTEXT,
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    Association,
    ClrCredential,
    ClrSubject,
    parse_clr_credential,
)
from openler.core.schema import validate

CLR_DIR = shared_dir() / "vectors" / "ob3" / "clrv2p0"


def signed(document: dict[str, Any]) -> dict[str, Any]:
    # A stand-in proof: the CLR must carry embedded credentials exactly as signed.
    return document | {
        "proof": [
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "created": "2024-05-01T12:00:00Z",
                "verificationMethod": "https://college.example/issuers/1#key-1",
                "proofPurpose": "assertionMethod",
                "proofValue": "z5fakeProofValueForShapeOnly",
            }
        ]
    }


def build_clr() -> ClrCredential:
    course = build_credential()
    programme_achievement = build_achievement("https://college.example/achievements/programme")
    programme = build_credential(
        id="urn:uuid:91537dba-56cb-11ec-bf63-0242ac130003",
        credential_subject=course.credential_subject.model_copy(
            update={"achievement": programme_achievement}
        ),
    )
    return ClrCredential(
        id="urn:uuid:0b5e1d7e-0000-4000-8000-00000000c1a0",
        name="Transcript for Learner One",
        issuer=ISSUER,
        valid_from=datetime(2024, 6, 1, tzinfo=UTC),
        partial=False,
        credential_subject=ClrSubject(
            id="did:example:learner-1",
            verifiable_credential=(signed(course.to_json()), signed(programme.to_json())),
            achievement=(course.credential_subject.achievement, programme_achievement),
            association=(
                Association(
                    association_type="isChildOf",
                    source_id=course.credential_subject.achievement.id,
                    target_id=programme_achievement.id,
                ),
                Association(
                    association_type="isParentOf",
                    source_id=programme_achievement.id,
                    target_id=course.credential_subject.achievement.id,
                ),
            ),
        ),
    )


def test_clr_builder_output_passes_the_clr_schema() -> None:
    doc = build_clr().to_json()
    assert validate(doc) == []


def test_clr_context_and_types() -> None:
    doc = build_clr().to_json()
    assert doc["@context"] == [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT]
    assert doc["type"] == ["VerifiableCredential", "ClrCredential"]
    assert doc["credentialSubject"]["type"] == ["ClrSubject"]
    assert doc["credentialSubject"]["association"][0] == {
        "type": "Association",
        "associationType": "isChildOf",
        "sourceId": "https://college.example/achievements/welding-1",
        "targetId": "https://college.example/achievements/programme",
    }
    assert doc["partial"] is False


def test_embedded_credentials_are_kept_exactly_as_signed() -> None:
    clr = build_clr()
    embedded = clr.to_json()["credentialSubject"]["verifiableCredential"]
    assert embedded[0]["proof"][0]["proofValue"] == "z5fakeProofValueForShapeOnly"
    assert embedded[0] == signed(build_credential().to_json())
    parsed = clr.credential_subject.achievement_credentials()
    assert parsed[1].credential_subject.achievement.id == (
        "https://college.example/achievements/programme"
    )


def test_models_are_accepted_in_place_of_documents() -> None:
    subject = ClrSubject(id="did:example:1", verifiable_credential=[build_credential()])
    assert subject.verifiable_credential == (build_credential().to_json(),)


def test_clr_subject_needs_a_credential() -> None:
    with pytest.raises(ValidationError, match="at least one"):
        ClrSubject(id="did:example:1", verifiable_credential=())


def test_association_type_is_a_closed_vocabulary() -> None:
    with pytest.raises(ValidationError, match="isPartOf"):
        Association(association_type="isSiblingOf", source_id="urn:a", target_id="urn:b")


@pytest.mark.parametrize("name", ["credential.json", "signed-credential.json"])
def test_spec_clr_example_parses_and_round_trips(name: str) -> None:
    doc = json.loads((CLR_DIR / name).read_text("utf-8"))
    clr = parse_clr_credential(doc)
    subject = clr.credential_subject
    assert subject.association is not None
    assert subject.association[0].association_type == "isParentOf"
    assert subject.achievement is not None and len(subject.achievement) == 2
    assert subject.verifiable_credential[0] == doc["credentialSubject"]["verifiableCredential"][0]
    once = clr.to_json()
    assert parse_clr_credential(once).to_json() == once
    assert validate(once) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clr_credentials())
def test_generated_clrs_parse_and_round_trip(document: dict[str, Any]) -> None:
    clr = parse_clr_credential(document)
    once = clr.to_json()
    assert parse_clr_credential(once).to_json() == once
    assert (
        once["credentialSubject"]["verifiableCredential"]
        == (document["credentialSubject"]["verifiableCredential"])
    )
