"""Migration 0003 adds the issuer tables on top of 0002 and removes them on the way down."""

from __future__ import annotations

from sqlalchemy import inspect

from openler.storage import db as storage_db
from openler.storage.tables_issuer import ISSUER_TABLES_CHILD_FIRST

REVISION = "0003_issuer_keys_status"


def test_issuer_tables_up_and_down(tmp_path):
    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'issuer-migration.db'}")
    try:
        storage_db.upgrade(engine, "0002_language_passkeys_catalog")
        assert not set(ISSUER_TABLES_CHILD_FIRST) & set(inspect(engine).get_table_names())
        storage_db.upgrade(engine, REVISION)
        assert set(ISSUER_TABLES_CHILD_FIRST) <= set(inspect(engine).get_table_names())
        columns = {c["name"] for c in inspect(engine).get_columns("signing_keys")}
        assert {"nonce", "secret_ciphertext", "public_multibase", "active"} <= columns
        storage_db.downgrade(engine, "0002_language_passkeys_catalog")
        assert not set(ISSUER_TABLES_CHILD_FIRST) & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
