"""Fixtures for cohort tests: a catalog achievement with a graded result, file builders."""

from __future__ import annotations

import pytest

from openler.issuer import catalog
from openler.issuer.catalog_input import AchievementInput, ResultDescriptionInput
from openler.storage import db as storage_db


@pytest.fixture
def sessions(clean_db):
    return storage_db.make_sessionmaker(clean_db)


@pytest.fixture
def achievement_id(sessions, org_id, config, clock) -> str:
    with sessions() as db:
        row = catalog.create_achievement(
            db, config=config, org_id=org_id, now=clock(),
            data=AchievementInput(
                name="Safe welding", description="Welds safely.", criteria="Pass the test.",
                result_descriptions=[ResultDescriptionInput(
                    name="grade", result_type="LetterGrade", allowed_values="A,B,C")]))
        db.commit()
        return row.id

