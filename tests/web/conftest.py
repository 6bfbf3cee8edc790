"""Fixtures shared by the web tests of the wallet pages."""

from __future__ import annotations

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db

APP_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET


@pytest.fixture
def claim(accounts, clean_db, clock):
    """(org id, award id, claim path) for a course awarded to learner@example.org."""
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    accounts.learner("learner@example.org", "Ana Learner")
    accounts.learner("other@example.org", "Otto Other")
    config = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=clock(),
            data=AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                                  criteria="Passed the practical assessment."))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=clock())
        new = offers.create_offer(s, org_id=org_id, award_id=row.id, now=clock())
        s.commit()
        return org_id, row.id, new.path
