"""Migration 0004 keeps achievements written at 0002 (with their alignments), gives them
the new columns' defaults, and the catalog can version and award them afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from openler.issuer import awards, catalog
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.storage.tables_catalog import CATALOG_TABLES_CHILD_FIRST

REVISION = "0004_catalog_awards"
NOW = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)


def _seed_0002(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations (id, name, kind, created_at) "
                          "VALUES ('o1', 'Old College', 'issuer', :c)"), {"c": NOW})
        conn.execute(text("INSERT INTO achievements (id, organization_id, name, description, "
                          "criteria, created_at) VALUES ('a1', 'o1', 'Old Badge', 'Old.', "
                          "'Do it.', :c)"), {"c": NOW})
        conn.execute(text("INSERT INTO alignments (id, achievement_id, position, target_name, "
                          "target_url, target_framework, target_code) VALUES ('l1', 'a1', 0, "
                          "'Skill', 'https://example.org/s', 'ESCO', 'S1')"))


def test_0002_achievements_are_carried_forward(tmp_path):
    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'catalog-migration.db'}")
    try:
        storage_db.upgrade(engine, "0003_issuer_keys_status")
        _seed_0002(engine)
        storage_db.upgrade(engine, REVISION)
        assert set(CATALOG_TABLES_CHILD_FIRST) <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, achievement_type, current_version, "
                                    "retired_at FROM achievements WHERE id = 'a1'")).one()
            assert tuple(row) == ("Old Badge", "Achievement", 0, None)
            assert conn.execute(text("SELECT target_type FROM alignments")).scalar_one() is None
        storage_db.upgrade(engine)  # today's award code also writes the later tables
        config = IssuerConfig(base=PublicBase.parse("https://old.example"), vault=KeyVault("k"))
        with storage_db.make_sessionmaker(engine)() as s:
            made = awards.award(s, config=config, org_id="o1", achievement_id="a1",
                                recipient_email="sam@learner.example", now=NOW)
            achievement = made.credential["credentialSubject"]["achievement"]
            assert achievement["id"] == "https://old.example/orgs/o1/achievements/a1/v/1"
            assert achievement["name"] == "Old Badge"
            assert achievement["alignment"][0]["targetCode"] == "S1"
            assert [v.number for v in catalog.versions(s, org_id="o1", achievement_id="a1")] == [1]
            s.commit()
        storage_db.downgrade(engine, "0003_issuer_keys_status")
        assert not set(CATALOG_TABLES_CHILD_FIRST) & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM achievements")).scalar_one() == "Old Badge"
    finally:
        engine.dispose()
