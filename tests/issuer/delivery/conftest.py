"""Fixtures for delivery tests: an achievement awarded to a learner by email."""

from __future__ import annotations

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput

COURSE = AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                          criteria="Passed the practical assessment.")


@pytest.fixture
def award_row(session, config, org_id, clock):
    course = catalog.create_achievement(session, config=config, org_id=org_id, data=COURSE,
                                        now=clock())
    row = awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                       recipient_email="Learner@Example.org", now=clock())
    session.commit()
    return row
