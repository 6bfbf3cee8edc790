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


def test_mail_queue_columns_come_and_go_and_old_mail_is_kept(tmp_path):
    from sqlalchemy import text

    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    try:
        storage_db.upgrade(engine, "0009_cohort_worker")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO mail_outbox (id, to_address, subject, body, created_at)"
                              " VALUES ('m1', 'a@example.org', 'S', 'B', '2026-11-23 09:00:00')"))
        storage_db.upgrade(engine, "0010_mail_queue")
        columns = {c["name"] for c in inspect(engine).get_columns("mail_outbox")}
        assert {"state", "attempts", "next_attempt_at", "sent_at", "last_error", "lease"} <= columns
        with engine.connect() as conn:
            assert conn.execute(text("SELECT state, attempts FROM mail_outbox")).one() == ("kept", 0)
        indexes = {i["name"] for i in inspect(engine).get_indexes("awards")}
        assert "ix_awards_issued_credential_id" in indexes
        storage_db.downgrade(engine, "0009_cohort_worker")
        columns = {c["name"] for c in inspect(engine).get_columns("mail_outbox")}
        assert "state" not in columns and "lease" not in columns
        assert "ix_awards_issued_credential_id" not in {
            i["name"] for i in inspect(engine).get_indexes("awards")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT to_address FROM mail_outbox")).scalar() == "a@example.org"
        storage_db.upgrade(engine)
    finally:
        engine.dispose()
