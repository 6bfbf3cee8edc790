"""Receiving from a claim offer, accepting or declining, holding, checking and deleting;
every use case only ever sees the asking learner's own wallet."""

from __future__ import annotations

import pytest

from openler.core.dids import public_key_from_did_key
from openler.core.jsonld import default_loader
from openler.core.proofs import verify_proof
from openler.issuer import awards, lifecycle
from openler.issuer.delivery.errors import OfferUnavailable
from openler.storage.tables_delivery import ClaimOffer
from openler.storage.tables_issuer import IssuedCredential
from openler.wallet import service
from openler.wallet.errors import ClaimRefused, WalletNotFound
from openler.wallet.keys import open_wallet


def _receive(session, wallet_config, learner_id, token, clock, language="en"):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=token, now=clock(), language=language)
    session.commit()
    return record


def test_receive_binds_to_the_wallet_did_verifies_and_uses_the_offer(
        session, wallet_config, learner_id, offer, clock):
    award_row, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    did = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    assert did.startswith("did:key:z6Mk")
    public_key_from_did_key(did)  # a real Ed25519 did:key
    assert record.credential["credentialSubject"]["id"] == did
    assert record.credential["id"] != award_row.credential["id"]
    assert record.state == "pending"
    assert record.arrival.outcome == "verified"
    assert [c.name for c in record.arrival.checks if c.status == "passed"][:1]
    assert record.arrival.status_check is not None
    assert record.arrival.status_check.code == "status.active"
    assert record.summary.issuer_name == "Example College"
    assert record.summary.achievement_name == "Welding Basics"
    used = session.query(ClaimOffer).one()
    assert used.claimed_by == "account" and used.claimed_at is not None
    bound = session.query(IssuedCredential).filter_by(subject_id=did).one()
    assert bound.credential_id == record.credential["id"]
    with pytest.raises(OfferUnavailable) as refused:
        _receive(session, wallet_config, learner_id, token, clock)
    assert refused.value.reason == "claimed"


def test_the_wallet_key_is_stable_and_signs_as_its_did(session, wallet_config, learner_id, clock):
    first = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    session.commit()
    again = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    assert first == again
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    pair = wallet.keypair()
    assert pair.controller == first and pair.id.startswith(first + "#")
    assert public_key_from_did_key(first).verify(b"hello", pair.sign(b"hello"))


def test_accept_keeps_and_lists_by_issuer(session, wallet_config, learner_id, offer, clock):
    _, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    assert service.by_issuer(service.records(session, config=wallet_config,
                                             user_id=learner_id)) == []
    kept = service.accept(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id, now=clock())
    session.commit()
    assert kept.state == "kept"
    groups = service.by_issuer(service.records(session, config=wallet_config,
                                               user_id=learner_id))
    assert [(g.issuer_name, [r.id for r in g.records]) for g in groups] == [
        ("Example College", [record.id])]
    # The kept copy still carries the issuer's valid signature.
    assert verify_proof(kept.credential, loader=default_loader(),
                        resolver=_resolver(session, wallet_config)).ok


def _resolver(session, wallet_config):
    from openler.wallet.verification import context
    return context(session, config=wallet_config.issuer, now=None, language="en").resolver


def test_decline_throws_the_record_away(session, wallet_config, learner_id, offer, clock):
    _, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    service.decline(session, config=wallet_config, user_id=learner_id, record_id=record.id)
    session.commit()
    assert service.records(session, config=wallet_config, user_id=learner_id) == []
    with pytest.raises(WalletNotFound):
        service.get_record(session, config=wallet_config, user_id=learner_id,
                           record_id=record.id)


def test_a_kept_record_cannot_be_declined_but_can_be_deleted(
        session, wallet_config, learner_id, offer, clock):
    _, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=record.id,
                   now=clock())
    with pytest.raises(WalletNotFound):
        service.decline(session, config=wallet_config, user_id=learner_id,
                        record_id=record.id)
    service.delete_record(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id)
    session.commit()
    assert service.records(session, config=wallet_config, user_id=learner_id) == []


def test_another_learner_finds_nothing(session, wallet_config, learner_id, other_learner_id,
                                       offer, clock):
    _, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    service.wallet_did(session, config=wallet_config, user_id=other_learner_id, now=clock())
    theirs = {"config": wallet_config, "user_id": other_learner_id, "record_id": record.id}
    for use_case in (service.get_record, service.decline, service.delete_record):
        with pytest.raises(WalletNotFound):
            use_case(session, **theirs)
    with pytest.raises(WalletNotFound):
        service.accept(session, now=clock(), **theirs)
    assert service.records(session, config=wallet_config, user_id=other_learner_id) == []
    assert service.get_record(session, config=wallet_config, user_id=learner_id,
                              record_id=record.id).id == record.id


def test_live_check_sees_a_later_revocation(session, wallet_config, learner_id, org_id,
                                            offer, clock):
    award_row, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    before = service.check_now(session, config=wallet_config, record=record, now=clock())
    assert before.outcome == "verified"
    lifecycle.revoke(session, org_id=org_id, award_id=award_row.id, reason="Issued in error",
                     now=clock())
    session.commit()
    clock.advance(minutes=1)
    after = service.check_now(session, config=wallet_config, record=record, now=clock(),
                              language="es")
    assert after.outcome == "not_verified"
    assert after.status_check.code == "status.revoked"
    assert after.status_check.message("es") == "Revocado por el emisor"
    assert record.arrival.outcome == "verified"  # what arrival found is kept as it was


def test_an_award_to_another_did_is_refused(session, wallet_config, issuer_config, learner_id,
                                            org_id, offer, clock):
    from openler.issuer.delivery import offers

    award_row, _ = offer
    other = awards.award(session, config=issuer_config, org_id=org_id,
                         achievement_id=award_row.achievement_id,
                         recipient_did="did:example:somebody-else", now=clock())
    new = offers.create_offer(session, org_id=org_id, award_id=other.id, now=clock())
    session.commit()
    with pytest.raises(ClaimRefused) as refused:
        _receive(session, wallet_config, learner_id, new.token, clock)
    assert refused.value.reason == "other_holder"


def test_an_unknown_record_id_is_not_found(session, wallet_config, learner_id, clock):
    for record_id in ("", "nope", "x" * 100):
        with pytest.raises(WalletNotFound):
            service.get_record(session, config=wallet_config, user_id=learner_id,
                               record_id=record_id)


def test_status_lists_on_other_hosts_are_not_fetched_unless_a_fetcher_is_given(
        session, wallet_config, learner_id, offer, clock):
    from dataclasses import replace

    from openler.core.dids import MemoryFetcher

    _, token = offer
    record = _receive(session, wallet_config, learner_id, token, clock)
    elsewhere = {**record.credential, "credentialStatus": {
        "id": "https://elsewhere.example/status/1#5", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "5",
        "statusListCredential": "https://elsewhere.example/status/1"}}
    moved = replace(record, credential=elsewhere)
    offline = service.check_now(session, config=wallet_config, record=moved, now=clock())
    assert offline.status_check.code == "status.unreachable"
    assert offline.status_check.could_not_check
    fetcher = MemoryFetcher()
    online = service.check_now(session, config=replace(wallet_config, fetcher=fetcher),
                               record=moved, now=clock())
    assert fetcher.requests == ["https://elsewhere.example/status/1"]
    assert online.status_check.could_not_check  # 404 from the test double
