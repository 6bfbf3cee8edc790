"""Migration 0017_skill_rejections: the table appears with the ORM's columns and foreign keys,
removing an achievement removes its rejections, downgrade to 0016 removes the table and
upgrading again restores it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from openler.storage import db as storage_db
from openler.storage.tables_skills import SkillRejection

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_upgrade_downgrade_and_upgrade_again(scratch_engine):
    storage_db.upgrade(scratch_engine, "0017_skill_rejections")
    inspector = inspect(scratch_engine)
    table = SkillRejection.__table__
    assert {c["name"] for c in inspector.get_columns(table.name)} == {
        c.name for c in table.columns}
    keys = {(k["referred_table"], tuple(k["constrained_columns"]))
            for k in inspector.get_foreign_keys("skill_rejections")}
    assert keys == {("organizations", ("org_id",)), ("achievements", ("achievement_id",)),
                    ("verifier_roles", ("role_id",)), ("users", ("rejected_by",))}
    indexes = {i["name"] for i in inspector.get_indexes("skill_rejections")}
    assert {i.name for i in table.indexes} <= indexes
    storage_db.downgrade(scratch_engine, "0016_credit_mappings")
    left = set(inspect(scratch_engine).get_table_names())
    assert "skill_rejections" not in left and "credit_mappings" in left
    storage_db.upgrade(scratch_engine, "0017_skill_rejections")
    assert "skill_rejections" in set(inspect(scratch_engine).get_table_names())


def test_removing_an_achievement_removes_its_rejections_only(scratch_engine):
    storage_db.upgrade(scratch_engine, "0017_skill_rejections")
    with scratch_engine.begin() as conn:
        if scratch_engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("INSERT INTO organizations (id, name, kind, created_at) "
                          "VALUES ('o1', 'Uni', 'school', :now)"), {"now": NOW})
        conn.execute(text("INSERT INTO achievements (id, organization_id, name, description, "
                          "criteria, achievement_type, created_at, current_version) "
                          "VALUES ('a1', 'o1', 'Forklifts', 'd', 'c', 'Course', :now, 0)"),
                     {"now": NOW})
        for rid, item in (("r1", "a1"), ("r2", None)):
            conn.execute(text("INSERT INTO skill_rejections (id, org_id, skill_uri, context, "
                              "achievement_id, rejected_at) VALUES (:id, 'o1', "
                              "'http://data.europa.eu/esco/skill/x', 'achievement', :item, "
                              ":now)"), {"id": rid, "item": item, "now": NOW})
        assert conn.execute(text("SELECT label FROM skill_rejections WHERE id='r1'")
                            ).scalar() == ""
        conn.execute(text("DELETE FROM achievements WHERE id = 'a1'"))
        rows = conn.execute(text("SELECT id FROM skill_rejections")).scalars().all()
        assert rows == ["r2"]
