"""Batch awards: the same awards, events, audit entries and credentials as one at a time,
exactly once per idempotency key (also when another worker used a key meanwhile)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from openler.core.dids import MemoryFetcher
from openler.core.schema import validate
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer import audit, awards, awards_batch, catalog
from openler.issuer.awards_batch import AwardRequest
from openler.issuer.awards_input import EvidenceInput, ResultInput
from openler.issuer.catalog_input import AchievementInput, CatalogInputError, ResultDescriptionInput
from openler.issuer.errors import IssuerNotFound
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher
from openler.storage.tables_catalog import Award, AwardEvidence
from openler.storage.tables_issuer import IssuedCredential
from openler.storage.tables_lifecycle import AuditEntry, CredentialEvent

GRADED = AchievementInput(
    name="Safe welding", description="Welds safely.", criteria="Pass the test.",
    result_descriptions=[ResultDescriptionInput("grade", "LetterGrade", allowed_values="A,B,C")])
PLAIN = AchievementInput(name="First aid", description="Helps.", criteria="Course.")


@pytest.fixture
def welding(session, config, org_id, clock):
    return catalog.create_achievement(session, config=config, org_id=org_id, data=GRADED,
                                      now=clock())


@pytest.fixture
def first_aid(session, config, org_id, clock):
    return catalog.create_achievement(session, config=config, org_id=org_id, data=PLAIN,
                                      now=clock())


def request(achievement_id, n, **extra):
    return AwardRequest(achievement_id=achievement_id, recipient_email=f"learner{n}@example.com",
                        results=(ResultInput("grade", value="ABC"[n % 3]),),
                        idempotency_key=f"key-{n}", **extra)


def count(session, model, **where):
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return session.scalar(stmt)


def verified(session, config, doc, now):
    fetcher = MemoryFetcher()
    ctx = VerificationContext(
        resolver=InstanceDidResolver(session, config=config,
                                     remote=RemoteResolvers(fetcher, allow_private=False)),
        fetch_status_list=status_list_fetcher(session, config=config, fetcher=fetcher, now=now),
        now=now)
    return verify_credential(doc, ctx=ctx).verified


def test_a_batch_makes_one_award_event_and_audit_entry_per_learner(session, config, org_id,
                                                                   clock, welding, first_aid):
    requests = [request(welding.id, n) for n in range(12)]
    requests += [AwardRequest(achievement_id=first_aid.id, recipient_did=f"did:example:{n}",
                              evidence=(EvidenceInput(url=f"https://p.example/{n}"),),
                              idempotency_key=f"aid-{n}") for n in range(3)]
    outcomes = awards_batch.award_many(session, config=config, org_id=org_id,
                                       requests=requests, now=clock())
    assert all(o.created and o.error is None for o in outcomes)
    ids = [o.award_id for o in outcomes]
    assert len(set(ids)) == 15 and count(session, Award, organization_id=org_id) == 15
    for award_id in ids:
        assert count(session, CredentialEvent, award_id=award_id, kind="issued") == 1
    entries = audit.entries(session, org_id=org_id, action="award_issued")
    rows = [session.get(Award, award_id) for award_id in ids]
    assert sorted(e.target_id for e in entries) == sorted(r.credential_id for r in rows)
    assert {e.target_label for e in entries} == {"Safe welding", "First aid"}
    records = [session.get(IssuedCredential, r.issued_credential_id) for r in rows]
    assert len({r.revocation_index for r in records}) == 15
    assert all(r.suspension_list_id is None for r in records)
    for row, record in zip(rows, records, strict=True):
        doc = row.credential
        assert doc["id"] == record.credential_id == row.credential_id
        assert doc["credentialStatus"]["statusListIndex"] == str(record.revocation_index)
        assert not validate(doc)
    assert rows[0].credential["credentialSubject"]["result"][0]["value"] == "A"
    assert rows[0].recipient_email == "learner0@example.com"
    assert rows[12].recipient_did == "did:example:0"
    assert [e.url for e in session.scalars(select(AwardEvidence).where(
        AwardEvidence.award_id == ids[12]))] == ["https://p.example/0"]
    assert verified(session, config, rows[0].credential, clock())
    assert verified(session, config, rows[14].credential, clock())
    listed = awards.list_awards(session, org_id=org_id, recipient="learner3@example.com")
    assert [a.id for a in listed] == [ids[3]]


def test_known_and_repeated_keys_return_the_first_award(session, config, org_id, clock, welding):
    first = awards.award(session, config=config, org_id=org_id, achievement_id=welding.id,
                         recipient_email="one@example.com", now=clock(), idempotency_key="key-1")
    requests = [request(welding.id, 1), request(welding.id, 2), request(welding.id, 2),
                request(welding.id, 1)]
    outcomes = awards_batch.award_many(session, config=config, org_id=org_id,
                                       requests=requests, now=clock())
    assert [(o.award_id, o.created) for o in outcomes[::3]] == [(first.id, False)] * 2
    assert outcomes[1].created and not outcomes[2].created
    assert outcomes[1].award_id == outcomes[2].award_id
    assert count(session, Award, organization_id=org_id) == 2
    assert count(session, CredentialEvent) == 2


def test_refused_lines_do_not_stop_the_others(session, config, org_id, clock, welding,
                                              first_aid):
    catalog.retire_achievement(session, org_id=org_id, achievement_id=first_aid.id, now=clock())
    requests = [request(welding.id, 0),
                AwardRequest(achievement_id=welding.id, recipient_email="x@example.com",
                             results=(ResultInput("grade", value="Z"),), idempotency_key="z"),
                AwardRequest(achievement_id="0" * 32, recipient_email="y@example.com"),
                AwardRequest(achievement_id=first_aid.id, recipient_email="r@example.com"),
                request(welding.id, 4)]
    outcomes = awards_batch.award_many(session, config=config, org_id=org_id,
                                       requests=requests, now=clock())
    assert [o.created for o in outcomes] == [True, False, False, False, True]
    assert isinstance(outcomes[1].error, CatalogInputError)
    assert outcomes[1].error.errors == {"result_1": "unknown_choice"}
    assert isinstance(outcomes[2].error, IssuerNotFound)
    assert outcomes[3].error.errors == {"achievement": "retired"}
    assert count(session, Award, organization_id=org_id) == 2


def test_a_key_taken_by_another_worker_meanwhile_falls_back_to_one_at_a_time(
        session, config, org_id, clock, welding, monkeypatch):
    other = awards.award(session, config=config, org_id=org_id, achievement_id=welding.id,
                         recipient_email="fast@example.com", now=clock(), idempotency_key="key-1")
    # The look-up ran before the other worker's commit: it saw none of the keys.
    monkeypatch.setattr(awards_batch, "existing_awards", lambda db, *, org_id, keys: {})
    outcomes = awards_batch.award_many(session, config=config, org_id=org_id,
                                       requests=[request(welding.id, n) for n in range(3)],
                                       now=clock())
    assert (outcomes[1].award_id, outcomes[1].created) == (other.id, False)
    assert outcomes[0].created and outcomes[2].created
    assert count(session, Award, organization_id=org_id) == 3
    assert count(session, CredentialEvent) == 3
    assert len(audit.entries(session, org_id=org_id, action="award_issued")) == 3


def test_the_audit_entry_names_the_acting_user(session, config, org_id, clock, accounts):
    user_id, _ = accounts.org_owner("actor@example.org", "Actor College")
    welding = catalog.create_achievement(session, config=config, org_id=org_id, data=GRADED,
                                         now=clock())
    audit.set_actor(session, user_id)
    awards_batch.award_many(session, config=config, org_id=org_id,
                            requests=[request(welding.id, 0)], now=clock())
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "award_issued"))
    assert (entry.actor_id, entry.actor_label) == (user_id, "actor@example.org")


def test_existing_awards_reads_many_keys(session, config, org_id, clock, welding):
    made = [awards.award(session, config=config, org_id=org_id, achievement_id=welding.id,
                         recipient_email=f"l{n}@example.com", now=clock(),
                         idempotency_key=f"k{n}") for n in range(3)]
    keys = [f"k{n}" for n in range(1200)] + [None, ""]
    found = awards_batch.existing_awards(session, org_id=org_id, keys=keys)
    assert found == {f"k{n}": made[n].id for n in range(3)}
    assert awards_batch.existing_awards(session, org_id="0" * 32, keys=keys) == {}
