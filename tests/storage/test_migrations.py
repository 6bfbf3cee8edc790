"""Alembic migrations: rows written at the first revision survive `upgrade head`, the
new column gets its default, and downgrade/upgrade round-trips. Runs on its own
database (a temporary SQLite file, or a scratch PostgreSQL database next to the
test database)."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from openler.storage import db as storage_db


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_rows_survive_upgrade_to_head(scratch_engine):
    storage_db.upgrade(scratch_engine, "0001_accounts")
    assert "passkeys" not in _tables(scratch_engine)
    now = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    with scratch_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (:i, :e, :n, :p, :c)"
            ),
            {"i": "u1", "e": "old@example.org", "n": "Old User", "p": "hash", "c": now},
        )
        conn.execute(
            text(
                "INSERT INTO organizations (id, name, kind, created_at) VALUES ('o1', 'Old College', 'issuer', :c)"
            ),
            {"c": now},
        )
        conn.execute(
            text(
                "INSERT INTO memberships (id, organization_id, user_id, role) VALUES ('m1', 'o1', 'u1', 'owner')"
            )
        )

    storage_db.upgrade(scratch_engine, "head")

    assert {"passkeys", "achievements", "alignments"} <= _tables(scratch_engine)
    with scratch_engine.connect() as conn:
        user = conn.execute(text("SELECT email, name, language FROM users WHERE id = 'u1'")).one()
        assert tuple(user) == ("old@example.org", "Old User", "en")
        role = conn.execute(text("SELECT role FROM memberships WHERE id = 'm1'")).scalar_one()
        assert role == "owner"
        # The new tables work with the old rows.
        conn.execute(
            text(
                "INSERT INTO achievements (id, organization_id, name, description, criteria, created_at) "
                "VALUES ('a1', 'o1', 'A', 'd', 'c', :c)"
            ),
            {"c": now},
        )
        conn.commit()


def test_downgrade_and_upgrade_round_trip(scratch_engine):
    storage_db.upgrade(scratch_engine, "head")
    head_tables = _tables(scratch_engine)
    storage_db.downgrade(scratch_engine, "0001_accounts")
    assert "passkeys" not in _tables(scratch_engine)
    assert "language" not in {c["name"] for c in inspect(scratch_engine).get_columns("users")}
    storage_db.upgrade(scratch_engine, "head")
    assert _tables(scratch_engine) == head_tables


def test_upgrade_head_twice_is_harmless(scratch_engine):
    storage_db.upgrade(scratch_engine)
    storage_db.upgrade(scratch_engine)
    with scratch_engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    head = ScriptDirectory.from_config(storage_db.alembic_config(scratch_engine)).get_current_head()
    assert version == head


def test_models_match_the_migrated_schema(scratch_engine):
    """The ORM's tables and columns are exactly what the migrations build."""
    from openler.storage.tables import Base

    storage_db.upgrade(scratch_engine)
    inspector = inspect(scratch_engine)
    for table in Base.metadata.sorted_tables:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name
