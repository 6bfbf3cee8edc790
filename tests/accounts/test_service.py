"""Account services called directly: validation codes, hashing, rate limiting, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.accounts import passwords, service
from openler.accounts.errors import (
    InvalidCredentials,
    InvalidInput,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)


def test_password_is_hashed_with_argon2id(db, clock):
    user = service.sign_up(
        db,
        name="A",
        email="A@Example.org ",
        password="long password 1",
        account_kind="learner",
        now=clock(),
    )
    assert user.email == "a@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert "long password 1" not in user.password_hash
    assert passwords.verify_password(user.password_hash, "long password 1")
    assert not passwords.verify_password(user.password_hash, "long password 2")
    assert not passwords.verify_password(None, "long password 1")
    assert not passwords.verify_password("not-a-hash", "x")


def test_sign_up_reports_every_bad_field_at_once(db, clock):
    with pytest.raises(InvalidInput) as caught:
        service.sign_up(
            db,
            name="",
            email="nope",
            password="short",
            account_kind="organization",
            organization_name="",
            organization_kind="bank",
            now=clock(),
        )
    assert caught.value.errors == {
        "name": "required",
        "email": "invalid_email",
        "password": "too_short",
        "organization_name": "required",
        "organization_kind": "unknown_choice",
    }


def test_sign_in_is_case_insensitive_on_email(db, accounts, clock):
    accounts.learner("sam@example.org")
    user = service.sign_in(
        db, email=" SAM@example.ORG", password="correct horse battery", ip="1.1.1.1", now=clock()
    )
    assert user.email == "sam@example.org"


def test_rate_limit_window_and_success_clears_account_failures(db, accounts, clock):
    accounts.learner("sam@example.org")
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            service.sign_in(
                db, email="sam@example.org", password="bad", ip=f"10.0.0.{_}", now=clock()
            )
    service.sign_in(
        db, email="sam@example.org", password="correct horse battery", ip="10.0.0.9", now=clock()
    )
    for n in range(5):
        with pytest.raises(InvalidCredentials):
            service.sign_in(
                db, email="sam@example.org", password="bad", ip=f"10.1.0.{n}", now=clock()
            )
    with pytest.raises(TooManyAttempts) as caught:
        service.sign_in(
            db,
            email="sam@example.org",
            password="correct horse battery",
            ip="10.2.0.1",
            now=clock(),
        )
    assert caught.value.retry_at == clock() + timedelta(minutes=15)
    clock.advance(minutes=15)
    service.sign_in(
        db, email="sam@example.org", password="correct horse battery", ip="10.2.0.1", now=clock()
    )


def test_unknown_email_counts_as_a_failure(db, clock):
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            service.sign_in(db, email="ghost@example.org", password="x", ip="9.9.9.9", now=clock())
    with pytest.raises(TooManyAttempts):
        service.sign_in(db, email="ghost@example.org", password="x", ip="8.8.8.8", now=clock())


def test_roles_and_tenancy(db, accounts):
    owner_id, org_id = accounts.org_owner("owner@example.org", "Org")
    staff_id = accounts.learner("staff@example.org")
    outsider_id = accounts.learner("out@example.org")
    owner = service.current_user(db, user_id=owner_id)
    staff = service.current_user(db, user_id=staff_id)
    outsider = service.current_user(db, user_id=outsider_id)
    service.add_member(
        db, user=owner, org_id=org_id, email="staff@example.org", role="verifier_staff"
    )
    with pytest.raises(NotAllowed):
        service.add_member(db, user=staff, org_id=org_id, email="out@example.org", role="owner")
    with pytest.raises(NotFound):
        service.add_member(db, user=outsider, org_id=org_id, email="out@example.org", role="owner")
    with pytest.raises(NotFound):
        service.members(db, user=outsider, org_id=org_id)
    assert {m.role for m in service.members(db, user=staff, org_id=org_id)} == {
        "owner",
        "verifier_staff",
    }
    assert service.memberships(db, user=outsider) == []


@given(email=st.emails())
def test_valid_emails_are_accepted_by_validation(email):
    errors: dict[str, str] = {}
    service._check_email(errors, email)
    if len(email) <= 320:
        assert "email" not in errors


def test_duplicate_email_race_is_a_form_error_and_session_survives(
    db, accounts, clock, monkeypatch
):
    accounts.learner("sam@example.org")
    # Simulate a concurrent sign-up: the pre-check misses the existing row.
    monkeypatch.setattr(service.repo, "get_user_by_email", lambda db, *, email: None)
    with pytest.raises(InvalidInput) as caught:
        service.sign_up(
            db,
            name="B",
            email="sam@example.org",
            password="long password 1",
            account_kind="learner",
            now=clock(),
        )
    assert caught.value.errors == {"email": "taken"}
    monkeypatch.undo()
    other = service.sign_up(
        db,
        name="C",
        email="c@example.org",
        password="long password 1",
        account_kind="learner",
        now=clock(),
    )
    db.commit()
    assert other.id


def test_old_failures_are_pruned(db, clock):
    from sqlalchemy import func, select

    from openler.storage.tables import SignInFailure

    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            service.sign_in(db, email="ghost@example.org", password="x", ip="9.9.9.9", now=clock())
    clock.advance(minutes=16)
    with pytest.raises(InvalidCredentials):
        service.sign_in(db, email="other@example.org", password="x", ip="7.7.7.7", now=clock())
    assert db.scalar(select(func.count()).select_from(SignInFailure)) == 1
