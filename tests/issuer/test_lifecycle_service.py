"""Life of a credential: revoke with a private reason, reissue as a superseding credential,
expiry, suspension only where the credential has an entry, and status lists that show
each change at once (instance verification) or within the list's ttl (cached verifier)."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest

from openler.core.dids import MemoryFetcher
from openler.core.models import parse_achievement_credential
from openler.core.status import StatusListCache
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer import audit, awards, catalog, lifecycle, service
from openler.issuer.catalog_input import AchievementInput, CatalogInputError
from openler.issuer.dashboard import record_event
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher
from openler.storage.tables_lifecycle import AwardNote

REASON = "Plagiarised final project (case 2026-114)"
COURSE = AchievementInput(name="Forklift Safety", description="Operates a forklift safely.",
                          criteria="Pass the practical.", achievement_type="Certificate")


@pytest.fixture
def course(session, config, org_id, clock):
    return catalog.create_achievement(session, config=config, org_id=org_id, data=COURSE,
                                      now=clock())


@pytest.fixture
def made(session, config, org_id, clock, course):
    return awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email="sam@learner.example", now=clock())


def verify(session, config, doc, now, cache=None):
    fetcher = MemoryFetcher()
    ctx = VerificationContext(
        resolver=InstanceDidResolver(session, config=config,
                                     remote=RemoteResolvers(fetcher, allow_private=False)),
        fetch_status_list=status_list_fetcher(session, config=config, fetcher=fetcher, now=now),
        now=now, status_cache=cache)
    result = verify_credential(doc, ctx=ctx)
    assert fetcher.requests == []
    return result


def _list_doc(session, config, award_row, now):
    record = service.find_issued(session, org_id=award_row.organization_id,
                                 credential_id=award_row.issued_credential_id)
    return service.status_list_document(session, config=config,
                                        list_id=record.revocation_list_id, now=now)


def test_revoke_keeps_the_reason_private(session, config, org_id, clock, made):
    before = _list_doc(session, config, made, clock())
    lifecycle.revoke(session, org_id=org_id, award_id=made.id, reason=f"  {REASON} ",
                     now=clock())
    after = _list_doc(session, config, made, clock())
    # The list changes at once (signed per request), and carries bits, never the reason.
    assert before["credentialSubject"]["encodedList"] != after["credentialSubject"]["encodedList"]
    assert "Plagiarised" not in json.dumps(after) and "Plagiarised" not in json.dumps(made.credential)
    assert session.get(AwardNote, made.id).revocation_reason == REASON
    entry = audit.entries(session, org_id=org_id, action="credential_revoked")[0]
    assert entry.private_reason == REASON and entry.target_id == made.credential_id
    result = verify(session, config, made.credential, clock())
    assert not result.verified and result.check("status").code == "status.revoked"


@pytest.mark.parametrize(("reason", "code"), [("", "required"), ("   ", "required"),
                                              ("x" * 501, "too_long")])
def test_revoke_needs_a_reason(session, org_id, clock, made, reason, code):
    with pytest.raises(CatalogInputError) as caught:
        lifecycle.revoke(session, org_id=org_id, award_id=made.id, reason=reason, now=clock())
    assert caught.value.errors == {"reason": code}
    assert made.status == "active"


def test_reissue_supersedes_and_hides_the_old_content(session, config, org_id, clock, made):
    learners_copy = copy.deepcopy(made.credential)
    clock.advance(days=3)
    new = lifecycle.reissue(session, config=config, org_id=org_id, award_id=made.id,
                            recipient_name="Alex Rivera", now=clock())
    assert new.id != made.id and new.credential_id != made.credential_id
    names = [i for i in new.credential["credentialSubject"]["identifier"]
             if i["identityType"] == "name"]
    assert names == [{"type": "IdentityObject", "hashed": False, "identityHash": "Alex Rivera",
                      "identityType": "name"}]
    parse_achievement_credential(new.credential)
    assert verify(session, config, new.credential, clock()).verified
    old_result = verify(session, config, learners_copy, clock())
    assert old_result.check("status").code == "status.revoked"
    assert made.status == "revoked"
    assert made.credential == {"id": made.credential_id, "replacedBy": new.credential_id}
    old_note, new_note = session.get(AwardNote, made.id), session.get(AwardNote, new.id)
    assert old_note.revocation_reason == lifecycle.SUPERSEDED
    assert old_note.replaced_by_id == new.id and new_note.replaces_id == made.id
    assert new_note.recipient_name == "Alex Rivera"
    # A second correction of the new one drops the earlier name from what staff keep.
    newer = lifecycle.reissue(session, config=config, org_id=org_id, award_id=new.id,
                              recipient_name="Alex R. Rivera", now=clock())
    assert "Alex Rivera\"" not in json.dumps(new.credential)
    assert session.get(AwardNote, new.id).recipient_name is None
    assert session.get(AwardNote, newer.id).recipient_name == "Alex R. Rivera"
    actions = [e.action for e in audit.entries(session, org_id=org_id)]
    assert actions.count("credential_reissued") == 2
    with pytest.raises(CatalogInputError) as caught:
        lifecycle.reissue(session, config=config, org_id=org_id, award_id=made.id,
                          recipient_name="Again", now=clock())
    assert caught.value.errors == {"action": "already_revoked"}


def test_reissue_needs_a_change(session, config, org_id, clock, made):
    with pytest.raises(CatalogInputError) as caught:
        lifecycle.reissue(session, config=config, org_id=org_id, award_id=made.id, now=clock())
    assert caught.value.errors == {"recipient_name": "nothing_changed"}
    with pytest.raises(CatalogInputError) as caught:
        lifecycle.reissue(session, config=config, org_id=org_id, award_id=made.id, now=clock(),
                          valid_until=clock() - timedelta(days=1))
    assert caught.value.errors == {"valid_until": "not_after_start"}


def test_expired_once_valid_until_passes(session, config, org_id, clock, course):
    row = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                       recipient_email="kim@learner.example", now=clock(),
                       valid_until=clock() + timedelta(days=30))
    assert lifecycle.display_status(row, clock()) == "active"
    assert lifecycle.expired_ids([row], clock()) == set()
    later = clock() + timedelta(days=31)
    assert lifecycle.display_status(row, later) == "expired"
    assert lifecycle.expired_ids([row], later) == {row.id}
    assert not verify(session, config, row.credential, later).verified
    extended = lifecycle.reissue(session, config=config, org_id=org_id, award_id=row.id,
                                 now=later, valid_until=later + timedelta(days=365))
    assert lifecycle.display_status(extended, later) == "active"
    assert verify(session, config, extended.credential, later).verified


def test_ob3_credentials_cannot_be_suspended(session, org_id, clock, made):
    assert not awards.can_suspend(session, made)
    with pytest.raises(CatalogInputError) as caught:
        lifecycle.suspend(session, org_id=org_id, award_id=made.id, now=clock())
    assert caught.value.errors == {"action": "no_suspension"}


def test_plain_vc_suspension_shows_at_once(session, config, org_id, clock):
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"],
           "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:kim"}}
    signed, record = service.issue_credential(session, config=config, org_id=org_id,
                                              credential=doc, now=clock())
    service.suspend(session, org_id=org_id, credential_id=record.id, now=clock())
    assert verify(session, config, signed, clock()).check("status").code == "status.suspended"
    service.suspend(session, org_id=org_id, credential_id=record.id, now=clock(), lift=True)
    assert verify(session, config, signed, clock()).verified


def test_cached_verifier_sees_a_revocation_within_the_list_ttl(session, config, org_id, clock,
                                                               made):
    ticks = [0.0]
    cache = StatusListCache(ttl_seconds=3600, clock=lambda: ticks[0])
    assert verify(session, config, made.credential, clock(), cache).verified
    lifecycle.revoke(session, org_id=org_id, award_id=made.id, reason=REASON, now=clock())
    assert verify(session, config, made.credential, clock()).check("status").code == \
        "status.revoked"  # the instance itself never caches
    ttl = _list_doc(session, config, made, clock())["credentialSubject"]["ttl"] / 1000
    ticks[0] = ttl + 1  # a verifier's cache may hold the list no longer than its ttl
    assert verify(session, config, made.credential, clock(), cache).check("status").code == \
        "status.revoked"


def test_record_event_checks_kind_and_tenancy(session, org_id, clock, made, accounts):
    with pytest.raises(ValueError, match="kind"):
        record_event(session, org_id=org_id, award_id=made.id, kind="liked", at=clock())
    session.commit()  # SQLite: let the other connection write
    other = accounts.org_owner("owner@other.example", "Other College")[1]
    with pytest.raises(ValueError, match="organization"):
        record_event(session, org_id=other, award_id=made.id, kind="claimed", at=clock())
    event = record_event(session, org_id=org_id, award_id=made.id, kind="claimed", at=clock())
    assert event.achievement_id == made.achievement_id
