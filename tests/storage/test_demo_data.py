"""The demo data set: the college with three achievements and skill alignments, a
learner, an employer; loading it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from openler.accounts import service
from openler.demo import DEMO_USERS, load_demo
from openler.storage.tables import Achievement, Alignment, Membership, Organization, User


def _counts(db) -> dict[str, int]:
    return {
        model.__name__: db.scalar(select(func.count()).select_from(model))
        for model in (User, Organization, Membership, Achievement, Alignment)
    }


def test_demo_data_is_complete_and_idempotent(db, clock):
    load_demo(db, now=clock())
    db.commit()
    first = _counts(db)
    assert first == {"User": 3, "Organization": 2, "Membership": 2, "Achievement": 3, "Alignment": 6}
    load_demo(db, now=clock())
    db.commit()
    assert _counts(db) == first
    kinds = dict(db.execute(select(Organization.name, Organization.kind)).all())
    assert kinds == {"Riverside Community College": "issuer", "Harbor Health Clinics": "employer"}
    # Every printed demo password works, and the learner belongs to no organization.
    for demo in DEMO_USERS:
        user = service.sign_in(db, email=demo.email, password=demo.password, ip="127.0.0.1", now=clock())
        memberships = service.memberships(db, user=user)
        assert (len(memberships) == 0) == (demo.role == "Learner")
