"""Migration 0006_delivery: creates the delivery tables, and steps back cleanly."""

from __future__ import annotations

from sqlalchemy import inspect

from openler.storage import db as storage_db
from openler.storage.tables_delivery import DELIVERY_TABLES_CHILD_FIRST


def test_upgrade_and_downgrade(tmp_path):
    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        storage_db.upgrade(engine, "0006_delivery")
        names = set(inspect(engine).get_table_names())
        assert set(DELIVERY_TABLES_CHILD_FIRST) <= names
        columns = {c["name"] for c in inspect(engine).get_columns("claim_offers")}
        assert {"token_hash", "tx_code_hash", "expires_at", "claimed_at"} <= columns
        assert "token" not in columns
        storage_db.upgrade(engine)
        storage_db.downgrade(engine, "0005_cohort_jobs")
        assert not set(DELIVERY_TABLES_CHILD_FIRST) & set(inspect(engine).get_table_names())
        storage_db.upgrade(engine)
        assert set(DELIVERY_TABLES_CHILD_FIRST) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
