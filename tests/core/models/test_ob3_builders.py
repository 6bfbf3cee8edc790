"""Open Badges 3.0 builders: exact JSON shape, schema validity, typed constructor rules."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from model_builders import ISSUER, build_achievement, build_credential
from pydantic import ValidationError

from openler.core.models import (
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Alignment,
    CredentialStatus,
    Criteria,
    EndorsementCredential,
    EndorsementSubject,
    IdentityObject,
    ResultDescription,
    VerifiablePresentation,
    identity_hash,
    parse_achievement_credential,
)
from openler.core.schema import validate


@pytest.fixture
def credential() -> AchievementCredential:
    return build_credential()


def test_built_credential_passes_the_official_schema(credential: AchievementCredential) -> None:
    assert validate(credential.to_json()) == []


def test_context_type_and_names_follow_the_spec(credential: AchievementCredential) -> None:
    doc = credential.to_json()
    assert doc["@context"] == [VC_V2_CONTEXT, OB_V3_CONTEXT]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["creditsAvailable"] == 4.0
    assert achievement["inLanguage"] == "en-US"
    assert achievement["alignment"][0] == {
        "type": ["Alignment"],
        "targetName": "Weld metal parts",
        "targetUrl": "http://data.europa.eu/esco/skill/weld-metal",
        "targetDescription": "Join metal pieces by welding.",
        "targetCode": "S6.2",
        "targetFramework": "ESCO",
        "targetType": "ceasn:Competency",
    }
    assert achievement["resultDescription"][0]["rubricCriterionLevel"][1] == {
        "id": "urn:uuid:7d1c4b2a-0000-4000-8000-000000000003",
        "type": ["RubricCriterionLevel"],
        "name": "Competent",
        "level": "2",
    }
    assert doc["issuer"]["image"] == {
        "id": "https://college.example/logo.png",
        "type": "Image",
        "caption": "College seal",
    }
    assert subject["identifier"][0]["type"] == "IdentityObject"
    assert doc["credentialStatus"]["statusListIndex"] == "4117"
    assert doc["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"


def test_dates_are_utc_with_z(credential: AchievementCredential) -> None:
    doc = credential.to_json()
    assert doc["validFrom"] == "2024-05-01T12:00:00Z"
    assert doc["validUntil"] == "2029-05-01T12:00:00Z"
    assert doc["credentialSubject"]["activityStartDate"] == "2024-01-08T09:00:00Z"


def test_offset_datetimes_are_written_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    doc = build_credential(valid_from=datetime(2024, 5, 1, 14, 30, 5, tzinfo=plus_two)).to_json()
    assert doc["validFrom"] == "2024-05-01T12:30:05Z"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        build_credential(valid_from=datetime(2024, 5, 1, 12, 0))


def test_unset_optionals_are_omitted() -> None:
    minimal = AchievementCredential(
        id="urn:uuid:1",
        issuer="https://college.example/issuers/1",
        valid_from=datetime(2024, 1, 1, tzinfo=UTC),
        credential_subject=AchievementSubject(
            id="did:example:1",
            achievement=Achievement(
                id="https://college.example/a/1",
                name="A",
                description="An achievement.",
                criteria=Criteria(narrative="Do it."),
            ),
        ),
    )
    doc = minimal.to_json()
    assert set(doc) == {"@context", "id", "type", "issuer", "validFrom", "credentialSubject"}
    assert set(doc["credentialSubject"]["achievement"]) == {
        "id",
        "type",
        "name",
        "description",
        "criteria",
    }
    assert "null" not in json.dumps(doc)
    assert validate(doc) == []


def test_to_json_returns_a_new_document_each_time(credential: AchievementCredential) -> None:
    first = credential.to_json()
    first["credentialSubject"]["achievement"]["name"] = "Changed"
    first["type"].append("Other")
    second = credential.to_json()
    assert second["credentialSubject"]["achievement"]["name"] == "Welding Fundamentals"
    assert second["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_models_are_frozen(credential: AchievementCredential) -> None:
    with pytest.raises(ValidationError):
        credential.name = "Other"  # type: ignore[misc]


@pytest.mark.parametrize("value", ["Certificate", "MicroCredential", "ext:Apprenticeship.v2"])
def test_achievement_type_accepts_listed_and_extension_terms(value: str) -> None:
    achievement = build_achievement().model_copy(update={"achievement_type": value})
    assert Achievement.model_validate(achievement.to_json()).achievement_type == value


@pytest.mark.parametrize("value", ["Diplomma", "ext:", "Ext:Thing", "certificate"])
def test_achievement_type_refuses_unknown_terms_when_building(value: str) -> None:
    with pytest.raises(ValidationError, match="extension term"):
        Achievement(
            id="https://x.example/a",
            name="A",
            description="d",
            criteria=Criteria(narrative="n"),
            achievement_type=value,
        )


@pytest.mark.parametrize("value", ["ceasn:Competency", "CFItem", "CTDL", "ext:ONET"])
def test_alignment_target_types(value: str) -> None:
    alignment = Alignment(target_name="n", target_url="https://x.example", target_type=value)
    assert alignment.to_json()["targetType"] == value


def test_alignment_refuses_unknown_target_type() -> None:
    with pytest.raises(ValidationError):
        Alignment(target_name="n", target_url="https://x.example", target_type="Skill")


def test_result_description_refuses_unknown_result_type() -> None:
    with pytest.raises(ValidationError):
        ResultDescription(id="urn:x", name="n", result_type="Grade")


def test_achievement_description_is_required_when_building() -> None:
    with pytest.raises(ValidationError, match="description is required"):
        Achievement(id="https://x.example/a", name="A", criteria=Criteria(narrative="n"))


def test_subject_needs_an_id_or_an_identifier() -> None:
    with pytest.raises(ValidationError, match="id or at least one identifier"):
        AchievementSubject(achievement=build_achievement())
    by_email = AchievementSubject(
        achievement=build_achievement(),
        identifier=(IdentityObject.hashed_email("a@example.org", salt="s"),),
    )
    assert "id" not in by_email.to_json()


def test_credential_type_must_name_an_ob_credential() -> None:
    with pytest.raises(ValidationError, match="one of"):
        build_credential(type=("VerifiableCredential", "SomethingElse"))


def test_achievement_credential_type_is_allowed() -> None:
    doc = build_credential(type=("VerifiableCredential", "AchievementCredential")).to_json()
    assert doc["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert validate(doc) == []


def test_identity_hash_matches_the_spec_example() -> None:
    # OB 3.0 IdentityHash: SHA-256 over 'a@example.com' salted with 'Kosher'.
    assert identity_hash("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )


def test_hashed_email_identity_object_round_trip() -> None:
    identity = IdentityObject.hashed_email("learner@example.org", salt="NaCl")
    expected = hashlib.sha256(b"learner@example.orgNaCl").hexdigest()
    assert identity.to_json() == {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": f"sha256${expected}",
        "identityType": "emailAddress",
        "salt": "NaCl",
    }
    assert "learner@example.org" not in json.dumps(identity.to_json())
    assert identity.matches("learner@example.org")
    assert not identity.matches("someone@example.org")


def test_plain_and_md5_identity_objects_match() -> None:
    plain = IdentityObject(hashed=False, identity_hash="Ada", identity_type="name")
    assert plain.matches("Ada") and not plain.matches("Bob")
    digest = hashlib.md5(b"a@b.cs", usedforsecurity=False).hexdigest().upper()
    md5 = IdentityObject(
        hashed=True, identity_hash=f"md5${digest}", identity_type="emailAddress", salt="s"
    )
    assert md5.matches("a@b.c")
    unknown = IdentityObject(hashed=True, identity_hash="sha1$00", identity_type="emailAddress")
    assert not unknown.matches("a@b.c")


def test_endorsement_credential_builder_is_schema_valid() -> None:
    endorsement = EndorsementCredential(
        id="urn:uuid:0c3b8a52-0000-4000-8000-00000000e001",
        name="Endorsement of Welding Fundamentals",
        issuer="https://guild.example/issuers/welders",
        valid_from=datetime(2024, 6, 1, tzinfo=UTC),
        credential_subject=EndorsementSubject(
            id="https://college.example/achievements/welding-1",
            endorsement_comment="Meets the guild's entry standard.",
        ),
    )
    doc = endorsement.to_json()
    assert doc["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert doc["credentialSubject"]["type"] == ["EndorsementSubject"]
    assert validate(doc) == []
    with_endorsement = build_achievement().model_copy(update={"endorsement": (doc,)})
    assert Achievement.model_validate(with_endorsement.to_json()).endorsement == (doc,)


def test_endorsement_needs_a_name_when_building() -> None:
    with pytest.raises(ValidationError, match="name is required"):
        EndorsementCredential(
            id="urn:x",
            issuer="https://guild.example",
            valid_from=datetime(2024, 6, 1, tzinfo=UTC),
            credential_subject=EndorsementSubject(id="https://x.example"),
        )


def test_presentation_keeps_signed_credentials_verbatim(
    credential: AchievementCredential,
) -> None:
    signed = credential.to_json() | {
        "proof": [{"type": "DataIntegrityProof", "proofValue": "z3x", "created": "2024-05-01"}],
        "validFrom": "2024-05-01T14:00:00+02:00",
    }
    presentation = VerifiablePresentation(
        holder="did:example:learner-1", verifiable_credential=[signed]
    )
    doc = presentation.to_json()
    assert doc["@context"] == [VC_V2_CONTEXT]
    assert doc["type"] == ["VerifiablePresentation"]
    assert doc["verifiableCredential"] == [signed]
    assert validate(doc) == []


def test_issuer_may_be_a_url_string() -> None:
    doc = build_credential(issuer="https://college.example/issuers/1").to_json()
    assert doc["issuer"] == "https://college.example/issuers/1"
    assert validate(doc) == []


def test_issuer_profile_carries_other_identifiers() -> None:
    doc = ISSUER.to_json()
    assert doc["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": "12-345", "identifierType": "sourcedId"}
    ]


def test_two_status_entries_are_written_as_a_list() -> None:
    entries = (
        CredentialStatus(
            id="https://college.example/status/r#1",
            status_purpose="revocation",
            status_list_index="1",
            status_list_credential="https://college.example/status/r",
        ),
        CredentialStatus(
            id="https://college.example/status/s#1",
            status_purpose="suspension",
            status_list_index="1",
            status_list_credential="https://college.example/status/s",
        ),
    )
    doc = build_credential(credential_status=entries).to_json()
    assert [entry["statusPurpose"] for entry in doc["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    assert parse_achievement_credential(doc).credential_status == entries
