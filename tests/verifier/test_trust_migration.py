"""Migration 0014_trust_registry: the two trust tables appear with the ORM's columns, a DID is
unique per organization, downgrade to 0013 removes them and upgrading again restores them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from openler.storage import db as storage_db
from openler.storage.tables_trust import TrustIssuer, TrustRegistry

TABLES = (TrustRegistry.__table__, TrustIssuer.__table__)
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_upgrade_downgrade_and_upgrade_again(scratch_engine):
    storage_db.upgrade(scratch_engine, "0014_trust_registry")
    inspector = inspect(scratch_engine)
    for table in TABLES:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {
            c.name for c in table.columns}, table.name
    keys = {(k["referred_table"], tuple(k["constrained_columns"]))
            for k in inspector.get_foreign_keys("trust_issuers")}
    assert keys == {("organizations", ("org_id",)), ("trust_registries", ("registry_id",)),
                    ("users", ("added_by",))}
    storage_db.downgrade(scratch_engine, "0013_verifier_requests")
    left = set(inspect(scratch_engine).get_table_names())
    assert not {t.name for t in TABLES} & left and "verifier_requests" in left
    storage_db.upgrade(scratch_engine, "0014_trust_registry")
    assert {t.name for t in TABLES} <= set(inspect(scratch_engine).get_table_names())


def test_a_did_is_listed_once_per_organization(scratch_engine):
    storage_db.upgrade(scratch_engine, "0014_trust_registry")
    insert = text("INSERT INTO trust_issuers (id, org_id, did, name, added_at) "
                  "VALUES (:id, :org, 'did:web:a.example', 'A', :now)")
    with scratch_engine.begin() as conn:
        for org in ("o1", "o2"):
            conn.execute(text("INSERT INTO organizations (id, name, kind, created_at) "
                              "VALUES (:o, :o, 'employer', :now)"), {"o": org, "now": NOW})
        conn.execute(insert, {"id": "t1", "org": "o1", "now": NOW})
        conn.execute(insert, {"id": "t2", "org": "o2", "now": NOW})
    with pytest.raises(IntegrityError), scratch_engine.begin() as conn:
        conn.execute(insert, {"id": "t3", "org": "o1", "now": NOW})
