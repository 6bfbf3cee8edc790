"""Migration 0011_wallet_shares: the four sharing tables appear with the ORM's columns and
a unique token hash, downgrade to 0010 removes them, and upgrading again restores them."""

from __future__ import annotations

from sqlalchemy import inspect

from openler.storage import db as storage_db
from openler.storage.tables_wallet_shares import (
    WalletPresentation,
    WalletPresentationItem,
    WalletShare,
    WalletShareView,
)

TABLES = (WalletPresentation.__table__, WalletPresentationItem.__table__,
          WalletShare.__table__, WalletShareView.__table__)


def test_upgrade_downgrade_and_upgrade_again(scratch_engine):
    storage_db.upgrade(scratch_engine, "0011_wallet_shares")
    inspector = inspect(scratch_engine)
    for table in TABLES:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {
            c.name for c in table.columns}, table.name
    unique = [i for i in inspector.get_indexes("wallet_shares") if i["unique"]]
    assert [i["column_names"] for i in unique] == [["token_hash"]]
    storage_db.downgrade(scratch_engine, "0010_mail_queue")
    left = set(inspect(scratch_engine).get_table_names())
    assert not {t.name for t in TABLES} & left and "wallet_records" in left
    storage_db.upgrade(scratch_engine, "0011_wallet_shares")
    assert {t.name for t in TABLES} <= set(inspect(scratch_engine).get_table_names())
