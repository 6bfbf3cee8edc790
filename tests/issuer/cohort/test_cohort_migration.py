"""Migration 0005 adds the cohort job tables on top of 0004, matches the ORM, and goes down."""

from __future__ import annotations

from sqlalchemy import inspect

from openler.storage import db as storage_db
from openler.storage.tables_cohort import COHORT_TABLES_CHILD_FIRST, CohortJob, CohortJobItem

REVISION = "0005_cohort_jobs"
ADDED_LATER = {"worker"}  # by 0009_cohort_worker (tests/issuer/cohort/test_worker_takeover.py)


def test_cohort_tables_up_and_down(tmp_path):
    engine = storage_db.make_engine(f"sqlite:///{tmp_path / 'cohort-migration.db'}")
    try:
        storage_db.upgrade(engine, "0004_catalog_awards")
        assert not set(COHORT_TABLES_CHILD_FIRST) & set(inspect(engine).get_table_names())
        storage_db.upgrade(engine, REVISION)
        for table in (CohortJob.__table__, CohortJobItem.__table__):
            columns = {c["name"] for c in inspect(engine).get_columns(table.name)}
            assert columns == {c.name for c in table.columns} - ADDED_LATER
        storage_db.downgrade(engine, "0004_catalog_awards")
        assert not set(COHORT_TABLES_CHILD_FIRST) & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
