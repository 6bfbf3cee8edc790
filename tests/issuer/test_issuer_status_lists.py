"""Status lists: random allocation, set and clear, signed list credentials."""

from __future__ import annotations

import pytest

from openler.core.dids import DidResolver
from openler.core.proofs import verify_proof
from openler.core.status import BitstringStatusList
from openler.issuer import keys, service, status_lists
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.storage.tables_issuer import StatusListRow


def test_allocation_is_random_distinct_and_counted(session, org_id, clock):
    picks = [status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
             for _ in range(200)]
    rows = {row.id for row, _ in picks}
    assert len(rows) == 1
    indexes = [index for _, index in picks]
    assert len(set(indexes)) == 200
    assert indexes != sorted(indexes)  # not handed out in issue order
    assert max(indexes) > 131_072 // 4  # spread over the list, not packed at the start
    row = picks[0][0]
    assert row.allocated_count == 200 and row.size == 131_072


def test_purposes_get_their_own_lists(session, org_id, clock):
    rev, _ = status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    sus, _ = status_lists.allocate(session, org_id=org_id, purpose="suspension", now=clock())
    assert rev.id != sus.id and (rev.purpose, sus.purpose) == ("revocation", "suspension")
    with pytest.raises(IssuerInputError):
        status_lists.allocate(session, org_id=org_id, purpose="message", now=clock())


def test_a_half_full_list_is_closed_for_new_credentials(session, org_id, clock):
    first, _ = status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    first.allocated_count = first.size // 2
    session.flush()
    clock.advance(seconds=1)
    second, _ = status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    assert second.id != first.id


def test_set_and_clear_bits(session, org_id, clock):
    row, index = status_lists.allocate(session, org_id=org_id, purpose="suspension", now=clock())
    assert not status_lists.is_set(row, index)
    status_lists.set_bit(session, row=row, index=index, value=True, now=clock())
    assert status_lists.is_set(row, index)
    assert sum(bin(b).count("1") for b in row.bits) == 1
    status_lists.set_bit(session, row=row, index=index, value=False, now=clock())
    assert not any(row.bits)
    with pytest.raises(IssuerInputError):
        status_lists.set_bit(session, row=row, index=row.size, value=True, now=clock())


def test_signed_list_credential_verifies_and_decodes(session, org_id, config, clock):
    row, index = status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    status_lists.set_bit(session, row=row, index=index, value=True, now=clock())
    doc = service.status_list_document(session, config=config, list_id=row.id, now=clock())
    assert doc["id"] == f"https://badges.example.org/credentials/status/{row.id}"
    assert doc["issuer"] == config.base.org_did(org_id)
    subject = doc["credentialSubject"]
    assert subject["statusPurpose"] == "revocation" and subject["ttl"] == 300_000
    decoded = BitstringStatusList.decode(subject["encodedList"])
    assert decoded.set_indexes() == [index]
    did_doc = keys.did_document(session, base=config.base, org_id=org_id)
    resolver = DidResolver(documents={did_doc["id"]: did_doc})
    assert verify_proof(doc, resolver=resolver, now=clock()).ok


def test_unknown_lists_are_not_found(session, org_id, config, clock):
    for list_id in ("0" * 32, "../etc", ""):
        with pytest.raises(IssuerNotFound):
            service.status_list_document(session, config=config, list_id=list_id, now=clock())
    assert session.query(StatusListRow).count() == 0


def test_revocation_cannot_be_undone_but_suspension_can(session, org_id, config, clock):
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2",
                        "https://www.w3.org/ns/credentials/undefined-terms/v2"],
           "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:a",
                                                                   "skill": "welding"}}
    signed, record = service.issue_credential(session, config=config, org_id=org_id,
                                              credential=doc, now=clock())
    assert "credentialStatus" not in doc and "proof" not in doc  # input untouched
    service.suspend(session, org_id=org_id, credential_id=record.id, now=clock())
    service.suspend(session, org_id=org_id, credential_id=record.id, now=clock(), lift=True)
    service.revoke(session, org_id=org_id, credential_id=signed["id"], now=clock())
    with pytest.raises(IssuerInputError):
        service.set_status(session, org_id=org_id, credential_id=record.id,
                           purpose="revocation", value=False, now=clock())
    revocations = status_lists.get_list(session, list_id=record.revocation_list_id)
    assert status_lists.is_set(revocations, record.revocation_index)


def test_a_batch_reserves_its_indexes_with_one_read_and_one_write(session, org_id, clock,
                                                                  clean_db):
    from sqlalchemy import event

    status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    seen: list[str] = []

    def log(conn, cursor, statement, *args):
        if "status_lists" in statement:
            seen.append(statement.split()[0])

    event.listen(clean_db, "before_cursor_execute", log)
    try:
        picks = status_lists.allocate_many(session, org_id=org_id, purpose="revocation",
                                           now=clock(), count=300)
    finally:
        event.remove(clean_db, "before_cursor_execute", log)
    assert seen == ["SELECT", "UPDATE"]
    row = picks[0][0]
    indexes = [index for _, index in picks]
    assert len(picks) == 300 and {r.id for r, _ in picks} == {row.id}
    assert len(set(indexes)) == 300 and indexes != sorted(indexes)
    assert row.allocated_count == 301
    assert sum(bin(b).count("1") for b in row.allocated) == 301
    assert status_lists.allocate_many(session, org_id=org_id, purpose="revocation",
                                      now=clock(), count=0) == []


def test_a_batch_that_fills_a_list_goes_on_in_a_new_one(session, org_id, clock):
    first, _ = status_lists.allocate(session, org_id=org_id, purpose="suspension", now=clock())
    first.allocated_count = first.size // 2 - 3  # three free places before the half mark
    session.flush()
    clock.advance(seconds=1)
    picks = status_lists.allocate_many(session, org_id=org_id, purpose="suspension",
                                       now=clock(), count=10)
    lists = [row.id for row, _ in picks]
    assert lists[:3] == [first.id] * 3 and len(set(lists[3:])) == 1 and lists[3] != first.id
    assert first.allocated_count == first.size // 2
    assert picks[3][0].allocated_count == 7


def test_allocation_rereads_a_list_another_worker_changed(session, org_id, clock, clean_db):
    from openler.storage import db as storage_db

    row, index = status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    session.commit()
    with storage_db.make_sessionmaker(clean_db)() as other:
        status_lists.allocate_many(other, org_id=org_id, purpose="revocation", now=clock(),
                                   count=5)
        other.commit()
    status_lists.allocate(session, org_id=org_id, purpose="revocation", now=clock())
    assert row.allocated_count == 7  # not 2: the other worker's five are kept
    assert sum(bin(b).count("1") for b in row.allocated) == 7
