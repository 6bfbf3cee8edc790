"""Migration 0013_verifier_requests: the two verifier tables appear with the ORM's columns
and a unique ``state``, downgrade to 0012 removes them, and upgrading again restores them."""

from __future__ import annotations

from sqlalchemy import inspect

from openler.storage import db as storage_db
from openler.storage.tables_verifier import VerifierRequest, VerifierResponse

TABLES = (VerifierRequest.__table__, VerifierResponse.__table__)


def test_upgrade_downgrade_and_upgrade_again(scratch_engine):
    storage_db.upgrade(scratch_engine, "0013_verifier_requests")
    inspector = inspect(scratch_engine)
    for table in TABLES:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {
            c.name for c in table.columns}, table.name
    unique = [i for i in inspector.get_indexes("verifier_requests") if i["unique"]]
    assert [i["column_names"] for i in unique] == [["state"]]
    keys = inspector.get_foreign_keys("verifier_responses")
    assert [(k["referred_table"], k["constrained_columns"]) for k in keys] == [
        ("verifier_requests", ["request_id"])]
    storage_db.downgrade(scratch_engine, "0012_wallet_preferences")
    left = set(inspect(scratch_engine).get_table_names())
    assert not {t.name for t in TABLES} & left and "wallet_preferences" in left
    storage_db.upgrade(scratch_engine, "0013_verifier_requests")
    assert {t.name for t in TABLES} <= set(inspect(scratch_engine).get_table_names())
