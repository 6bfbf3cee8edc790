"""Awarding: by email (hashed IdentityObject) or DID, results, evidence hashes, validity,
idempotency, revocation, and OB 3.0 output that core/verify accepts with the
instance's own resolver and status lists."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.core.dids import MemoryFetcher
from openler.core.models import IdentityObject, parse_achievement_credential
from openler.core.schema import validate
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer import awards, catalog, service
from openler.issuer.awards import EvidenceInput, ResultInput
from openler.issuer.catalog_input import (
    AchievementInput,
    AlignmentInput,
    CatalogInputError,
    ResultDescriptionInput,
)
from openler.issuer.errors import IssuerNotFound
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher

COURSE = AchievementInput(
    name="Phlebotomy", description="Draws blood safely.", criteria="Twenty supervised draws.",
    achievement_type="Certificate",
    alignments=[AlignmentInput("Phlebotomists", "https://www.onetonline.org/link/summary/31-9097.00",
                               "O*NET-SOC", "31-9097.00")],
    result_descriptions=[
        ResultDescriptionInput("Exam score", "Percent", value_min="0", value_max="100"),
        ResultDescriptionInput("Grade", "LetterGrade", allowed_values="A, B, C"),
        ResultDescriptionInput("Practical", "RubricCriterionLevel", levels="Developing\nProficient"),
    ])


@pytest.fixture
def course(session, config, org_id, clock):
    return catalog.create_achievement(session, config=config, org_id=org_id, data=COURSE,
                                      now=clock())


def verify(session, config, doc, now):
    fetcher = MemoryFetcher()
    ctx = VerificationContext(
        resolver=InstanceDidResolver(session, config=config,
                                     remote=RemoteResolvers(fetcher, allow_private=False)),
        fetch_status_list=status_list_fetcher(session, config=config, fetcher=fetcher, now=now),
        now=now)
    result = verify_credential(doc, ctx=ctx)
    assert fetcher.requests == []  # everything resolved from this instance
    return result


def test_award_by_email_is_hashed_signed_and_verifies(session, config, org_id, clock, course):
    made = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email="Sam.Lee@Learner.example", now=clock())
    doc = made.credential
    assert "OpenBadgeCredential" in doc["type"] and doc["proof"]
    subject = doc["credentialSubject"]
    assert "id" not in subject and "sam.lee" not in str(doc).lower()
    identity = parse_achievement_credential(doc).credential_subject.identifier[0]
    assert isinstance(identity, IdentityObject) and identity.hashed
    assert identity.matches("sam.lee@learner.example")
    assert not identity.matches("someone@else.example")
    assert not validate(doc)
    result = verify(session, config, doc, clock())
    assert result.verified, [(c.name, c.status, c.code) for c in result.checks]
    assert made.recipient_email == "sam.lee@learner.example" and made.status == "active"
    assert awards.list_awards(session, org_id=org_id, recipient="SAM.LEE@learner.example") == [made]


def test_award_by_did_uses_the_subject_id(session, config, org_id, clock, course):
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    made = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_did=did, now=clock())
    assert made.credential["credentialSubject"]["id"] == did
    assert "identifier" not in made.credential["credentialSubject"]
    assert verify(session, config, made.credential, clock()).verified


def test_results_are_checked_against_their_descriptions(session, config, org_id, clock, course):
    made = awards.award(
        session, config=config, org_id=org_id, achievement_id=course.id,
        recipient_email="sam@learner.example", now=clock(),
        results=[ResultInput("Exam score", value="92"), {"resultDescription": "2", "value": "B"},
                 ResultInput("Practical", achieved_level="Proficient")])
    described = made.credential["credentialSubject"]["achievement"]["resultDescription"]
    got = made.credential["credentialSubject"]["result"]
    assert [r["resultDescription"] for r in got] == [d["id"] for d in described]
    assert got[0]["value"] == "92" and got[1]["value"] == "B"
    assert got[2]["achievedLevel"] == described[2]["rubricCriterionLevel"][1]["id"]
    assert verify(session, config, made.credential, clock()).verified
    for bad, code in (([ResultInput("Exam score", value="120")], "out_of_range"),
                      ([ResultInput("Grade", value="F")], "unknown_choice"),
                      ([ResultInput("Practical", achieved_level="Wizard")], "unknown_choice"),
                      ([ResultInput("Nope", value="1")], "unknown_choice")):
        with pytest.raises(CatalogInputError) as caught:
            awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                         recipient_email="sam@learner.example", now=clock(), results=bad)
        assert caught.value.errors == {"result_1": code}


def test_evidence_files_are_hashed_and_kept_only_when_small(session, config, org_id, clock,
                                                           course):
    small, large = b"lab report", b"x" * (awards.KEEP_FILE_BYTES + 1)
    made = awards.award(
        session, config=config, org_id=org_id, achievement_id=course.id,
        recipient_email="sam@learner.example", now=clock(),
        evidence=[EvidenceInput(name="report.txt", content=small, media_type="text/plain"),
                  {"name": "video.mp4", "content": large},
                  EvidenceInput(url="https://portfolio.example/sam", name="Portfolio")])
    listed = made.credential["evidence"]
    digest = hashlib.sha256(small).digest()
    assert listed[0]["digestSRI"] == "sha256-" + base64.b64encode(digest).decode()
    assert listed[0]["name"] == "report.txt" and listed[0]["id"].startswith("ni:///sha-256;")
    assert listed[2] == {"id": "https://portfolio.example/sam", "type": ["Evidence"],
                         "name": "Portfolio"}
    stored = made.evidence
    assert stored[0].sha256 == digest.hex() and stored[0].content == small
    assert stored[1].sha256 == hashlib.sha256(large).hexdigest() and stored[1].content is None
    assert stored[1].size == len(large)
    assert verify(session, config, made.credential, clock()).verified


def test_validity_period_is_in_the_credential(session, config, org_id, clock, course):
    start, end = clock() + timedelta(days=1), clock() + timedelta(days=365)
    made = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email="sam@learner.example", now=clock(),
                        valid_from=start.replace(microsecond=0),
                        valid_until=end.replace(microsecond=0))
    assert made.credential["validFrom"] == "2026-11-24T09:00:00Z"
    assert made.credential["validUntil"] == "2027-11-23T09:00:00Z"
    with pytest.raises(CatalogInputError) as caught:
        awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                     recipient_email="sam@learner.example", now=clock(), valid_until=clock())
    assert caught.value.errors == {"valid_until": "not_after_start"}


def test_idempotency_key_returns_the_first_award(session, config, org_id, clock, course):
    first = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                         recipient_email="sam@learner.example", now=clock(),
                         idempotency_key="row-7")
    again = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                         recipient_email="other@learner.example", now=clock(),
                         idempotency_key="row-7")
    assert again.id == first.id
    assert len(awards.list_awards(session, org_id=org_id)) == 1
    different = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                             recipient_email="sam@learner.example", now=clock(),
                             idempotency_key="row-8")
    assert different.credential_id != first.credential_id


@pytest.mark.parametrize(("email", "did", "errors"), [
    (None, None, {"recipient_email": "required"}),
    ("a@b.example", "did:key:z6Mkx", {"recipient_did": "one_recipient"}),
    ("not-an-email", None, {"recipient_email": "invalid_email"}),
    (None, "https://not-a-did", {"recipient_did": "invalid_did"}),
])
def test_recipient_must_be_one_valid_identifier(session, config, org_id, clock, course, email,
                                                did, errors):
    with pytest.raises(CatalogInputError) as caught:
        awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                     recipient_email=email, recipient_did=did, now=clock())
    assert caught.value.errors == errors
    assert awards.list_awards(session, org_id=org_id) == []


def test_revoke_is_seen_by_verification(session, config, org_id, clock, course):
    made = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email="sam@learner.example", now=clock())
    assert not awards.can_suspend(session, made)
    awards.set_award_status(session, org_id=org_id, award_id=made.id, action="revoke",
                            now=clock())
    assert made.status == "revoked"
    result = verify(session, config, made.credential, clock())
    assert not result.verified and result.check("status").code == "status.revoked"
    with pytest.raises(CatalogInputError):
        awards.set_award_status(session, org_id=org_id, award_id=made.id, action="revoke",
                                now=clock())


def test_a_revocation_through_the_vc_api_service_shows_in_the_list(session, config, org_id,
                                                                  clock, course):
    made = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email="sam@learner.example", now=clock())
    service.revoke(session, org_id=org_id, credential_id=made.credential_id, now=clock())
    (listed,) = awards.list_awards(session, org_id=org_id)
    assert listed.status == "revoked"


@settings(max_examples=40, deadline=None)
@given(content=st.binary(min_size=1, max_size=3000), name=st.text(max_size=40))
def test_any_file_is_named_by_its_sha256(content, name):
    errors: dict[str, str] = {}
    (item,) = awards._files([EvidenceInput(name=name, content=content)], errors)
    evidence = awards._evidence_model(item).to_json()
    digest = hashlib.sha256(content).digest()
    assert errors == {}
    assert evidence["digestSRI"] == "sha256-" + base64.b64encode(digest).decode()
    padded = evidence["id"].removeprefix("ni:///sha-256;") + "=="
    assert base64.urlsafe_b64decode(padded[: len(padded) - len(padded) % 4]) == digest


def test_awards_are_scoped_to_the_organization(session, config, org_id, clock, course, accounts):
    made = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email="sam@learner.example", now=clock())
    with pytest.raises(IssuerNotFound):
        awards.get_award(session, org_id="0" * 32, award_id=made.id)
    with pytest.raises(IssuerNotFound):
        awards.set_award_status(session, org_id="0" * 32, award_id=made.id, action="revoke",
                                now=clock())
    assert awards.list_awards(session, org_id="0" * 32) == []
