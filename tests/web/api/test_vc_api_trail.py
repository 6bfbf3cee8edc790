"""What the VC-API leaves behind: audit entries for issuing and status changes with the
API token's name as the actor, and "verified" dashboard events when this instance
verifies a genuine credential one of its organizations awarded (nothing about the
caller is kept)."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage.tables_lifecycle import AuditEntry, CredentialEvent

CONFIG = IssuerConfig(base=PublicBase.parse("http://testserver"),
                      vault=KeyVault("test-secret-key-not-for-production"))


def _entries(session, org_id) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.organization_id == org_id)
                                .order_by(AuditEntry.at, AuditEntry.action)))


def _events(session, kind) -> list[CredentialEvent]:
    session.expire_all()
    return list(session.scalars(select(CredentialEvent).where(CredentialEvent.kind == kind)))


@pytest.fixture
def awarded(session, issuer_org, clock):
    course = catalog.create_achievement(
        session, config=CONFIG, org_id=issuer_org.org_id, now=clock(),
        data=AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                              criteria="Passed the practical assessment."))
    row = awards.award(session, config=CONFIG, org_id=issuer_org.org_id,
                       achievement_id=course.id, recipient_email="sam@learner.example",
                       now=clock())
    session.commit()
    return row


def test_api_issuance_and_status_changes_are_audited_with_the_token_name(
        client, issuer_org, credential, session, clock):
    issued = client.post("/credentials/issue", json={"credential": credential},
                         headers=issuer_org.headers)
    assert issued.status_code == 201
    vc = issued.json()["verifiableCredential"]
    for purpose, value in (("suspension", True), ("suspension", False), ("revocation", True)):
        clock.advance(seconds=1)
        reply = client.post("/credentials/status", headers=issuer_org.headers, json={
            "credentialId": vc["id"], "credentialStatus": {"statusPurpose": purpose},
            "status": value})
        assert reply.status_code == 200, reply.text
    api = [e for e in _entries(session, issuer_org.org_id)
           if e.action != "api_token_created"]
    assert [e.action for e in api] == ["award_issued", "credential_suspended",
                                       "credential_unsuspended", "credential_revoked"]
    assert {e.actor_label for e in api} == {"ci"}
    assert {e.target_id for e in api} == {vc["id"]}
    assert api[0].target_label == "Statistics 101"
    assert all(e.detail["via"] == "vc-api" and e.detail["api_token_id"] for e in api)
    assert api[1].detail["statusPurpose"] == "suspension"


def test_refused_api_calls_leave_no_entry(client, issuer_org, other_org, credential, session):
    vc = client.post("/credentials/issue", json={"credential": credential},
                     headers=issuer_org.headers).json()["verifiableCredential"]
    before = len(_entries(session, issuer_org.org_id))
    reply = client.post("/credentials/status", headers=other_org.headers, json={
        "credentialId": vc["id"], "credentialStatus": {"statusPurpose": "revocation"},
        "status": True})
    assert reply.status_code == 404
    bad = client.post("/credentials/issue", json={"credential": {"type": "nope"}},
                      headers=issuer_org.headers)
    assert bad.status_code == 400
    assert len(_entries(session, issuer_org.org_id)) == before
    assert [e.action for e in _entries(session, other_org.org_id)] == ["api_token_created"]


def test_status_change_of_an_award_through_the_api_counts_on_the_dashboard(
        client, issuer_org, awarded, session):
    reply = client.post("/credentials/status", headers=issuer_org.headers, json={
        "credentialId": awarded.credential_id,
        "credentialStatus": {"statusPurpose": "revocation"}, "status": True})
    assert reply.status_code == 200
    [revoked] = _events(session, "revoked")
    assert revoked.award_id == awarded.id


def test_verifying_an_awarded_credential_counts_verified(client, awarded, session, clock):
    body = client.post("/credentials/verify",
                       json={"verifiableCredential": awarded.credential}).json()
    assert body["verified"] is True, body
    [event] = _events(session, "verified")
    assert (event.award_id, event.organization_id, event.at) == (
        awarded.id, awarded.organization_id, clock())
    # A changed copy keeps the id but fails its proof: it does not count.
    tampered = copy.deepcopy(awarded.credential)
    tampered["name"] = "Advanced Welding"
    body = client.post("/credentials/verify", json={"verifiableCredential": tampered}).json()
    assert body["verified"] is False
    assert len(_events(session, "verified")) == 1


def test_a_revoked_award_still_counts_as_checked(client, issuer_org, awarded, session, clock):
    awards.set_award_status(session, org_id=issuer_org.org_id, award_id=awarded.id,
                            action="revoke", now=clock())
    session.commit()
    body = client.post("/credentials/verify",
                       json={"verifiableCredential": awarded.credential}).json()
    assert body["verified"] is False
    assert len(_events(session, "verified")) == 1  # genuine, though revoked


def test_presentations_count_each_genuine_awarded_member(client, issuer_org, awarded, credential,
                                                         session):
    api_vc = client.post("/credentials/issue", json={"credential": credential},
                         headers=issuer_org.headers).json()["verifiableCredential"]
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiablePresentation"],
                    "verifiableCredential": [awarded.credential, api_vc]}
    reply = client.post("/presentations/verify",
                        json={"verifiablePresentation": presentation})
    assert reply.status_code == 200
    [event] = _events(session, "verified")  # the API credential is not an award
    assert event.award_id == awarded.id


def test_credentials_of_unknown_issuers_are_verified_without_counting(client, session):
    body = client.post("/credentials/verify", json={"verifiableCredential": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1",
        "type": ["VerifiableCredential"], "issuer": "did:key:z6MkExample",
        "credentialSubject": {"id": "did:example:x"}}})
    assert body.status_code == 200
    assert _events(session, "verified") == []
