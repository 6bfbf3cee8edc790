"""Builders for realistic OB 3.0 models used across the model tests."""

from __future__ import annotations

from datetime import UTC, datetime

from openler.core.models import (
    OB_ACHIEVEMENT_SCHEMA_URL,
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Alignment,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    Evidence,
    IdentifierEntry,
    IdentityObject,
    Image,
    Profile,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
)

ISSUER = Profile(
    id="https://college.example/issuers/1",
    name="Example College",
    url="https://college.example",
    email="registrar@college.example",
    description="A community college.",
    image=Image(id="https://college.example/logo.png", caption="College seal"),
    other_identifier=(IdentifierEntry(identifier="12-345", identifier_type="sourcedId"),),
)


def build_achievement(
    achievement_id: str = "https://college.example/achievements/welding-1",
) -> Achievement:
    return Achievement(
        id=achievement_id,
        name="Welding Fundamentals",
        description="Safe MIG and TIG welding on mild steel.",
        criteria=Criteria(
            id="https://college.example/achievements/welding-1/criteria",
            narrative="Pass the practical assessment.",
        ),
        achievement_type="Certificate",
        image=Image(id="https://college.example/badges/welding.png"),
        credits_available=4.0,
        field_of_study="Manufacturing",
        human_code="WLD-101",
        specialization="MIG welding",
        tag=("welding", "trades"),
        alignment=(
            Alignment(
                target_name="Weld metal parts",
                target_url="http://data.europa.eu/esco/skill/weld-metal",
                target_description="Join metal pieces by welding.",
                target_code="S6.2",
                target_framework="ESCO",
                target_type="ceasn:Competency",
            ),
            Alignment(
                target_name="Workshop safety",
                target_url="https://frameworks.example/safety",
                target_type="ext:LocalSkill",
            ),
        ),
        result_description=(
            ResultDescription(
                id="urn:uuid:7d1c4b2a-0000-4000-8000-000000000001",
                name="Practical assessment",
                result_type="RubricCriterionLevel",
                allowed_value=("Novice", "Competent", "Expert"),
                required_level="urn:uuid:7d1c4b2a-0000-4000-8000-000000000003",
                rubric_criterion_level=(
                    RubricCriterionLevel(
                        id="urn:uuid:7d1c4b2a-0000-4000-8000-000000000002",
                        name="Novice",
                        level="1",
                        points="1",
                    ),
                    RubricCriterionLevel(
                        id="urn:uuid:7d1c4b2a-0000-4000-8000-000000000003",
                        name="Competent",
                        level="2",
                    ),
                ),
            ),
            ResultDescription(
                id="urn:uuid:7d1c4b2a-0000-4000-8000-000000000004",
                name="Score",
                result_type="Percent",
                value_min="0",
                value_max="100",
                required_value="60",
            ),
        ),
        related=(
            Related(id="https://college.example/achievements/welding-1-es", in_language="es"),
        ),
        version="2024",
        in_language="en-US",
        creator=ISSUER,
        other_identifier=(IdentifierEntry(identifier="WLD101", identifier_type="identifier"),),
    )


def build_credential(**overrides: object) -> AchievementCredential:
    fields: dict[str, object] = {
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "name": "Welding Fundamentals",
        "description": "Awarded for Welding Fundamentals.",
        "issuer": ISSUER,
        "valid_from": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        "valid_until": datetime(2029, 5, 1, 12, 0, tzinfo=UTC),
        "credential_subject": AchievementSubject(
            id="did:example:learner-1",
            achievement=build_achievement(),
            identifier=(IdentityObject.hashed_email("learner@example.org", salt="pepper-1"),),
            result=(
                Result(
                    result_description="urn:uuid:7d1c4b2a-0000-4000-8000-000000000001",
                    achieved_level="urn:uuid:7d1c4b2a-0000-4000-8000-000000000003",
                ),
                Result(
                    result_description="urn:uuid:7d1c4b2a-0000-4000-8000-000000000004",
                    value="88",
                    status="Completed",
                ),
            ),
            credits_earned=4.0,
            activity_start_date=datetime(2024, 1, 8, 9, 0, tzinfo=UTC),
            activity_end_date=datetime(2024, 4, 26, 17, 0, tzinfo=UTC),
            license_number="W-2024-17",
            term="Spring 2024",
            role="Student",
        ),
        "credential_status": CredentialStatus(
            id="https://college.example/status/1#4117",
            status_purpose="revocation",
            status_list_index="4117",
            status_list_credential="https://college.example/status/1",
        ),
        "credential_schema": (CredentialSchema(id=OB_ACHIEVEMENT_SCHEMA_URL),),
        "evidence": (
            Evidence(
                id="https://college.example/evidence/4117",
                name="Practical video",
                narrative="Recorded practical assessment.",
                genre="Video",
            ),
        ),
    }
    fields.update(overrides)
    return AchievementCredential(**fields)  # type: ignore[arg-type]
