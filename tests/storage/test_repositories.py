"""Repositories take the tenant as a required argument and find nothing across tenants."""

from __future__ import annotations

import inspect as pyinspect

import pytest

from openler.storage import repositories as repo
from openler.storage.tables import Achievement


@pytest.fixture
def two_orgs(db, accounts, clock):
    a_owner, a_org = accounts.org_owner("a@example.org", "Org A")
    b_owner, b_org = accounts.org_owner("b@example.org", "Org B")
    ach = Achievement(
        organization_id=a_org, name="A1", description="d", criteria="c", created_at=clock()
    )
    db.add(ach)
    db.commit()
    return a_owner, a_org, b_owner, b_org, ach.id


def test_achievements_are_scoped_to_members(db, two_orgs):
    a_owner, a_org, b_owner, _b_org, ach_id = two_orgs
    assert [a.id for a in repo.achievements_of(db, org_id=a_org, member_user_id=a_owner)] == [
        ach_id
    ]
    assert repo.achievements_of(db, org_id=a_org, member_user_id=b_owner) == []
    assert (
        repo.achievement_in(db, org_id=a_org, achievement_id=ach_id, member_user_id=b_owner) is None
    )
    assert (
        repo.achievement_in(db, org_id=a_org, achievement_id=ach_id, member_user_id=a_owner)
        is not None
    )


def test_members_are_scoped_to_members(db, two_orgs):
    a_owner, a_org, b_owner, _b_org, _ = two_orgs
    assert [m.user_id for m in repo.members_of(db, org_id=a_org, member_user_id=a_owner)] == [
        a_owner
    ]
    assert repo.members_of(db, org_id=a_org, member_user_id=b_owner) == []
    assert repo.membership_in(db, user_id=b_owner, org_id=a_org) is None


@pytest.mark.parametrize(
    "function",
    [repo.achievements_of, repo.achievement_in, repo.members_of, repo.passkeys_of, repo.passkey_of],
)
def test_tenant_argument_is_required_and_keyword_only(function):
    params = pyinspect.signature(function).parameters
    tenant = {"member_user_id", "user_id"} & set(params)
    assert tenant, function.__name__
    for name in tenant:
        assert params[name].kind is pyinspect.Parameter.KEYWORD_ONLY
        assert params[name].default is pyinspect.Parameter.empty
