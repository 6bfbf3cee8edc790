"""The demo data set: the college with five achievements aligned to real framework skills
(ESCO URIs and O*NET elements of the O*NET demo subset, which is loaded with it), a
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
    assert first == {"User": 3, "Organization": 2, "Membership": 2, "Achievement": 5, "Alignment": 16}
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


def test_demo_alignments_point_to_real_framework_skills(db, clock):
    """Every demo alignment is an ESCO skill or occupation of the bundled tables, or an O*NET
    element or technology skill of the O*NET demo subset that loading the demo imports."""
    from openler.skills.catalog import esco_skills
    from openler.storage.tables_frameworks import FrameworkItem, SkillFramework

    load_demo(db, now=clock())
    db.commit()
    onet = db.scalar(select(SkillFramework).where(SkillFramework.source == "onet"))
    assert onet is not None and onet.key == "O*NET"
    onet_uris = set(db.scalars(select(FrameworkItem.uri).where(
        FrameworkItem.framework_id == onet.id)))
    esco = {skill.uri: skill.label for skill in esco_skills()}
    rows = db.scalars(select(Alignment)).all()
    assert {a.target_framework for a in rows} == {"ESCO", "O*NET"}
    for a in rows:
        if a.target_framework == "O*NET":
            assert a.target_url in onet_uris, a.target_name
            item = db.scalar(select(FrameworkItem).where(FrameworkItem.uri == a.target_url))
            assert item.labels["en"] == a.target_name
        elif "/occupation/" in a.target_url:
            assert a.target_url.endswith(a.target_code)
        else:
            assert esco[a.target_url] == a.target_name
            assert a.target_url.endswith("/" + a.target_code)
