"""Migration 0016_credit_mappings: the table appears with the ORM's columns and foreign keys,
removing a course removes its rules, downgrade to 0015 removes the table and upgrading again
restores it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from openler.storage import db as storage_db
from openler.storage.tables_credit import CreditMapping

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_upgrade_downgrade_and_upgrade_again(scratch_engine):
    storage_db.upgrade(scratch_engine, "0016_credit_mappings")
    inspector = inspect(scratch_engine)
    table = CreditMapping.__table__
    assert {c["name"] for c in inspector.get_columns(table.name)} == {
        c.name for c in table.columns}
    keys = {(k["referred_table"], tuple(k["constrained_columns"]))
            for k in inspector.get_foreign_keys("credit_mappings")}
    assert keys == {("organizations", ("org_id",)), ("achievements", ("course_id",)),
                    ("users", ("created_by",))}
    storage_db.downgrade(scratch_engine, "0015_org_shares")
    left = set(inspect(scratch_engine).get_table_names())
    assert "credit_mappings" not in left and "verifier_roles" in left
    storage_db.upgrade(scratch_engine, "0016_credit_mappings")
    assert "credit_mappings" in set(inspect(scratch_engine).get_table_names())


def test_removing_a_course_removes_its_rules(scratch_engine):
    storage_db.upgrade(scratch_engine, "0016_credit_mappings")
    with scratch_engine.begin() as conn:
        if scratch_engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("INSERT INTO organizations (id, name, kind, created_at) "
                          "VALUES ('o1', 'Uni', 'school', :now)"), {"now": NOW})
        conn.execute(text("INSERT INTO achievements (id, organization_id, name, description, "
                          "criteria, achievement_type, created_at, current_version) "
                          "VALUES ('a1', 'o1', 'ENG-101', 'd', 'c', 'Course', :now, 0)"),
                     {"now": NOW})
        conn.execute(text("INSERT INTO credit_mappings (id, org_id, course_id, kind, skills, "
                          "created_at) VALUES ('m1', 'o1', 'a1', 'skills', '[]', :now)"),
                     {"now": NOW})
        row = conn.execute(text("SELECT issuer_did, note, verified_only FROM credit_mappings"))
        assert row.one() == ("", "", False)
        conn.execute(text("DELETE FROM achievements WHERE id = 'a1'"))
        assert conn.execute(text("SELECT count(*) FROM credit_mappings")).scalar() == 0
