"""Migration 0008_wallet: the wallet tables appear on upgrade, existing rows survive,
downgrade to 0007 removes them, and the ORM tables match the migrated columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from openler.storage import db as storage_db
from openler.storage.tables_wallet import WALLET_TABLES_CHILD_FIRST, Wallet, WalletRecord


def test_upgrade_keeps_rows_and_downgrade_removes_the_wallet(scratch_engine):
    storage_db.upgrade(scratch_engine, "0007_lifecycle_audit")
    assert not set(WALLET_TABLES_CHILD_FIRST) & set(inspect(scratch_engine).get_table_names())
    with scratch_engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, email, name, password_hash, created_at) "
                          "VALUES ('u1', 'a@example.org', 'A', 'h', :c)"),
                     {"c": datetime(2026, 1, 1, tzinfo=UTC)})
    storage_db.upgrade(scratch_engine, "0008_wallet")
    inspector = inspect(scratch_engine)
    for table in (Wallet.__table__, WalletRecord.__table__):
        assert {c["name"] for c in inspector.get_columns(table.name)} == {
            c.name for c in table.columns}
    with scratch_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO wallets (id, user_id, master_version, data_key_nonce, data_key_wrapped,"
            " key_nonce, key_ciphertext, created_at) VALUES ('w1', 'u1', 1, :b, :b, :b, :b, :c)"),
            {"b": b"\x00" * 12, "c": datetime(2026, 1, 1, tzinfo=UTC)})
        assert conn.execute(text("SELECT email FROM users WHERE id = 'u1'")).scalar_one() == \
            "a@example.org"
    with pytest.raises(IntegrityError), scratch_engine.begin() as conn:  # one per account
        conn.execute(text(
            "INSERT INTO wallets (id, user_id, master_version, data_key_nonce,"
            " data_key_wrapped, key_nonce, key_ciphertext, created_at)"
            " VALUES ('w2', 'u1', 1, :b, :b, :b, :b, :c)"),
            {"b": b"\x00", "c": datetime(2026, 1, 1, tzinfo=UTC)})
    storage_db.downgrade(scratch_engine, "0007_lifecycle_audit")
    assert not set(WALLET_TABLES_CHILD_FIRST) & set(inspect(scratch_engine).get_table_names())
    storage_db.upgrade(scratch_engine, "0008_wallet")
    assert set(WALLET_TABLES_CHILD_FIRST) <= set(inspect(scratch_engine).get_table_names())
