"""The prepared award context and drafts: the credential JSON laid out from the shape is
exactly what dumping a fresh OB 3.0 AchievementCredential model gives (keys, order, values)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openler.core.models import (
    AchievementCredential,
    AchievementSubject,
    IdentityObject,
    Result,
)
from openler.issuer import awards_prepared, catalog
from openler.issuer.awards_input import EvidenceInput, ResultInput
from openler.issuer.catalog_input import (
    AchievementInput,
    CatalogInputError,
    ResultDescriptionInput,
)
from openler.issuer.errors import IssuerNotFound

COURSE = AchievementInput(
    name="Phlebotomy", description="Draws blood safely.", criteria="Twenty supervised draws.",
    achievement_type="Certificate",
    result_descriptions=[
        ResultDescriptionInput("Exam score", "Percent", value_min="0", value_max="100"),
        ResultDescriptionInput("Grade", "LetterGrade", allowed_values="A, B, C"),
        ResultDescriptionInput("Practical", "RubricCriterionLevel", levels="Developing\nProficient"),
    ])
DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
NOW = datetime(2026, 11, 23, 9, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
def prepared(session, config, org_id, clock):
    row = catalog.create_achievement(session, config=config, org_id=org_id, data=COURSE,
                                     now=clock())
    return awards_prepared.prepare(session, config=config, org_id=org_id,
                                   achievement_id=row.id, now=clock())


def model_dump(prepared, made, *, start, until):
    """The credential as the OB 3.0 models write it, with the draft's random id and salt."""
    subject = made.credential["credentialSubject"]
    identifier = None
    if "identifier" in subject:
        salt = subject["identifier"][0]["salt"]
        identifier = (IdentityObject.hashed_email(made.email, salt=salt),)
    results = tuple(Result.model_validate(r) for r in subject.get("result", ())) or None
    return AchievementCredential(
        id=made.credential["id"], name=prepared.achievement_name, issuer=prepared.issuer,
        valid_from=start, valid_until=until, awarded_date=NOW.replace(microsecond=0),
        credential_subject=AchievementSubject(id=made.did, identifier=identifier,
                                              achievement=prepared.achievement, result=results),
        evidence=tuple(awards_prepared._evidence_model(f) for f in made.files) or None,
    ).to_json()


RESULTS = st.lists(st.sampled_from([
    ResultInput("Exam score", value="92"), ResultInput("Grade", value="B"),
    ResultInput("Practical", achieved_level="Proficient"), ResultInput("1", value="0"),
    ResultInput("Grade", status="Completed"), ResultInput("Grade")]), max_size=3)
EVIDENCE = st.lists(st.sampled_from([
    EvidenceInput(url="https://portfolio.example/sam", name="Portfolio"),
    EvidenceInput(name="report.txt", content=b"lab report", media_type="text/plain"),
    EvidenceInput(narrative="Observed on site."), EvidenceInput()]), max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(by_did=st.booleans(), results=RESULTS, evidence=EVIDENCE,
       start_days=st.none() | st.integers(0, 30), until_days=st.none() | st.integers(31, 900))
def test_a_draft_is_the_model_dump_key_for_key(prepared, by_did, results, evidence, start_days,
                                               until_days):
    start = None if start_days is None else (NOW + timedelta(days=start_days)).replace(microsecond=0)
    until = None if until_days is None else (NOW + timedelta(days=until_days)).replace(microsecond=0)
    made = awards_prepared.draft(
        prepared, recipient_email=None if by_did else "Sam.Lee@Learner.example",
        recipient_did=DID if by_did else None, results=results, evidence=evidence,
        valid_from=start, valid_until=until, now=NOW, idempotency_key=None)
    expected = model_dump(prepared, made, start=start or NOW.replace(microsecond=0), until=until)
    assert json.dumps(made.credential) == json.dumps(expected)  # same keys in the same order
    assert made.credential["credentialSubject"]["achievement"] == dict(prepared.document)


def test_drafts_are_new_documents_each_time(prepared):
    first, second = (awards_prepared.draft(
        prepared, recipient_email="sam@learner.example", recipient_did=None, results=(),
        evidence=(), valid_from=None, valid_until=None, now=NOW, idempotency_key=None)
        for _ in range(2))
    assert first.credential["id"] != second.credential["id"]
    assert (first.credential["credentialSubject"]["identifier"][0]["salt"]
            != second.credential["credentialSubject"]["identifier"][0]["salt"])
    assert first.credential is not second.credential


def test_draft_reports_every_bad_field_like_a_single_award(prepared):
    with pytest.raises(CatalogInputError) as caught:
        awards_prepared.draft(
            prepared, recipient_email="nope", recipient_did=None,
            results=[ResultInput("Grade", value="F")], evidence=[EvidenceInput(url="ftp://x")],
            valid_from=None, valid_until=NOW - timedelta(days=1), now=NOW, idempotency_key="k" * 201)
    assert caught.value.errors == {
        "recipient_email": "invalid_email", "idempotency_key": "too_long",
        "valid_until": "not_after_start", "result_1": "unknown_choice",
        "evidence_1_url": "invalid_url"}


def test_prepare_holds_the_current_version_and_signer(session, config, org_id, clock, prepared):
    assert prepared.document["name"] == "Phlebotomy" and prepared.achievement.name == "Phlebotomy"
    assert prepared.issuer.id == config.base.org_did(org_id) == prepared.issuing.did
    assert prepared.issuing.signer.verification_method.startswith(prepared.issuing.did + "#key-")
    assert not prepared.retired
    catalog.retire_achievement(session, org_id=org_id, achievement_id=prepared.achievement_id,
                               now=clock())
    again = awards_prepared.prepare(session, config=config, org_id=org_id,
                                    achievement_id=prepared.achievement_id, now=clock())
    assert again.retired and again.version_id == prepared.version_id
    with pytest.raises(CatalogInputError) as caught:
        awards_prepared.draft(again, recipient_email="sam@learner.example", recipient_did=None,
                              results=(), evidence=(), valid_from=None, valid_until=None,
                              now=NOW, idempotency_key=None)
    assert caught.value.errors == {"achievement": "retired"}
    with pytest.raises(IssuerNotFound):
        awards_prepared.prepare(session, config=config, org_id=org_id, achievement_id="0" * 32,
                                now=clock())
