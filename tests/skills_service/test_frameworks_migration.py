"""Migration 0018_skill_frameworks: the three tables match the ORM, downgrade to 0017
removes them (and only them), upgrade restores them, and removing an organization
removes its own frameworks and their items but not the global ones."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from openler.storage import db as storage_db
from openler.storage.tables_frameworks import FrameworkItem, FrameworkRelation, SkillFramework

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TABLES = (SkillFramework.__table__, FrameworkItem.__table__, FrameworkRelation.__table__)


def test_upgrade_downgrade_upgrade(scratch_engine):
    storage_db.upgrade(scratch_engine, "0018_skill_frameworks")
    inspector = inspect(scratch_engine)
    for table in TABLES:
        assert {c["name"] for c in inspector.get_columns(table.name)} == {
            c.name for c in table.columns}
        assert {i.name for i in table.indexes} <= {
            i["name"] for i in inspector.get_indexes(table.name)}
    storage_db.downgrade(scratch_engine, "0017_skill_rejections")
    left = set(inspect(scratch_engine).get_table_names())
    assert not {t.name for t in TABLES} & left and "skill_rejections" in left
    storage_db.upgrade(scratch_engine, "0018_skill_frameworks")
    assert {t.name for t in TABLES} <= set(inspect(scratch_engine).get_table_names())


def test_removing_an_organization_removes_only_its_frameworks(scratch_engine):
    storage_db.upgrade(scratch_engine, "0018_skill_frameworks")
    with scratch_engine.begin() as conn:
        if scratch_engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("INSERT INTO organizations (id, name, kind, created_at) "
                          "VALUES ('o1', 'Uni', 'school', :now)"), {"now": NOW})
        for fid, org, key in (("f1", "o1", "o1"), ("f2", None, "")):
            conn.execute(text(
                "INSERT INTO skill_frameworks (id, org_id, org_key, key, name, source, uri, "
                "languages, imported_at) VALUES (:id, :org, :key, 'K', 'N', 'case', :uri, "
                "'[]', :now)"), {"id": fid, "org": org, "key": key, "uri": f"urn:{fid}",
                                 "now": NOW})
            conn.execute(text(
                "INSERT INTO skill_framework_items (id, framework_id, kind, uri, labels, "
                "alt_labels, description, extra) VALUES (:id, :fid, 'skill', 'urn:x', "
                "'{}', '{}', '{}', '{}')"), {"id": "i" + fid, "fid": fid})
        conn.execute(text("DELETE FROM organizations WHERE id = 'o1'"))
        assert conn.execute(text("SELECT id FROM skill_frameworks")).scalars().all() == ["f2"]
        assert conn.execute(text("SELECT id FROM skill_framework_items")).scalars().all() == [
            "if2"]
