"""Dashboard figures: counts per achievement, month and kind, never shown for groups of
fewer than 5 learners."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from openler.issuer import awards, catalog, dashboard
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.dashboard import record_event

NOV = datetime(2026, 11, 5, tzinfo=UTC)
DEC = datetime(2026, 12, 5, tzinfo=UTC)


@pytest.fixture
def course(session, config, org_id, clock):
    return catalog.create_achievement(
        session, config=config, org_id=org_id, now=clock(),
        data=AchievementInput(name="First Aid", description="Helps.", criteria="Pass."))


def _award(session, config, org_id, course, n, when):
    return awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                        recipient_email=f"learner{n}@school.example", now=when)


def test_small_groups_are_suppressed(session, config, org_id, course):
    nov = [_award(session, config, org_id, course, n, NOV) for n in range(4)]
    dec = [_award(session, config, org_id, course, n, DEC) for n in range(4, 9)]
    for row in nov + dec[:2]:
        record_event(session, org_id=org_id, award_id=row.id, kind="claimed", at=DEC)
    for _ in range(6):  # many events, one learner: still a group of one
        record_event(session, org_id=org_id, award_id=dec[0].id, kind="verified", at=DEC)
    (fig,) = dashboard.figures(session, org_id=org_id)
    assert fig.name == "First Aid" and fig.months == ["2026-11", "2026-12"]
    assert fig.cell("2026-11", "issued").suppressed
    assert fig.cell("2026-12", "issued").count == 5
    assert fig.cell("2026-12", "claimed").count == 6
    assert fig.cell("2026-12", "verified").suppressed
    assert fig.cell("2026-11", "revoked").count == 0
    assert fig.totals["issued"].count == 9
    assert fig.largest == 6


def test_other_organizations_are_not_counted(session, config, org_id, course, accounts):
    for n in range(5):
        _award(session, config, org_id, course, n, NOV)
    session.commit()
    other = accounts.org_owner("owner@other.example", "Other College")[1]
    assert dashboard.figures(session, org_id=other) == []
    assert len(dashboard.figures(session, org_id=org_id)) == 1
