"""Tenant-scoped data access: every lookup of an owned object takes its owner.

An object that belongs to another user or organization is simply not found, so the
web layer answers 404 and never reveals that it exists.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from openler.storage.tables import (
    Achievement,
    Membership,
    Organization,
    Passkey,
    SignInFailure,
    User,
)

# Users -----------------------------------------------------------------------


def get_user(db: Session, *, user_id: str) -> User | None:
    """Load the signed-in user named by the session cookie."""
    return db.get(User, user_id)


def get_user_by_email(db: Session, *, email: str) -> User | None:
    """Find an account by its (normalised) email for sign-in and invitations."""
    return db.scalars(select(User).where(User.email == email)).one_or_none()


# Organizations (tenant = the member's user id) ---------------------------------


def memberships_of(db: Session, *, user_id: str) -> list[Membership]:
    """List the organizations a user belongs to, for navigation."""
    stmt = (
        select(Membership)
        .where(Membership.user_id == user_id)
        .options(selectinload(Membership.organization))
        .join(Organization)
        .order_by(Organization.name)
    )
    return list(db.scalars(stmt))


def membership_in(db: Session, *, user_id: str, org_id: str) -> Membership | None:
    """The user's membership of one organization, or None if they are not a member."""
    stmt = (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.organization_id == org_id)
        .options(selectinload(Membership.organization))
    )
    return db.scalars(stmt).one_or_none()


def members_of(db: Session, *, org_id: str, member_user_id: str) -> list[Membership]:
    """List an organization's members, only for someone who is one of them."""
    if membership_in(db, user_id=member_user_id, org_id=org_id) is None:
        return []
    stmt = (
        select(Membership)
        .where(Membership.organization_id == org_id)
        .options(selectinload(Membership.user))
        .join(User)
        .order_by(User.name)
    )
    return list(db.scalars(stmt))


def achievements_of(db: Session, *, org_id: str, member_user_id: str) -> list[Achievement]:
    """List an organization's achievement catalog, only for its members."""
    stmt = (
        select(Achievement)
        .join(Membership, Membership.organization_id == Achievement.organization_id)
        .where(Achievement.organization_id == org_id, Membership.user_id == member_user_id)
        .options(selectinload(Achievement.alignments))
        .order_by(Achievement.name)
    )
    return list(db.scalars(stmt))


def achievement_in(
    db: Session, *, org_id: str, achievement_id: str, member_user_id: str
) -> Achievement | None:
    """One achievement of the organization, or None for anyone outside it."""
    stmt = (
        select(Achievement)
        .join(Membership, Membership.organization_id == Achievement.organization_id)
        .where(
            Achievement.id == achievement_id,
            Achievement.organization_id == org_id,
            Membership.user_id == member_user_id,
        )
        .options(selectinload(Achievement.alignments))
    )
    return db.scalars(stmt).one_or_none()


def organization_named(db: Session, *, name: str) -> Organization | None:
    """Find an organization by exact name (used to load demo data once)."""
    return db.scalars(select(Organization).where(Organization.name == name)).first()


# Passkeys (tenant = the owning user) -------------------------------------------


def passkeys_of(db: Session, *, user_id: str) -> list[Passkey]:
    """List the user's own passkeys for account settings."""
    stmt = select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.created_at)
    return list(db.scalars(stmt))


def passkey_of(db: Session, *, user_id: str, passkey_id: str) -> Passkey | None:
    """One of the user's passkeys, or None if it belongs to someone else."""
    stmt = select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user_id)
    return db.scalars(stmt).one_or_none()


def passkey_by_credential_id(db: Session, *, credential_id: bytes) -> Passkey | None:
    """Find the passkey an authenticator presented; this lookup establishes identity."""
    stmt = select(Passkey).where(Passkey.credential_id == credential_id)
    return db.scalars(stmt).one_or_none()


# Sign-in failures ------------------------------------------------------------


def record_sign_in_failure(db: Session, *, email: str, ip: str, at: datetime) -> None:
    """Remember a failed sign-in for rate limiting."""
    db.add(SignInFailure(email=email, ip=ip, at=at))
    db.flush()


def sign_in_failures_since(
    db: Session, *, since: datetime, email: str | None = None, ip: str | None = None
) -> tuple[int, datetime | None]:
    """Count recent failures for an account or an address, and when the oldest was."""
    stmt = select(func.count(SignInFailure.id), func.min(SignInFailure.at)).where(
        SignInFailure.at > since
    )
    if email is not None:
        stmt = stmt.where(SignInFailure.email == email)
    if ip is not None:
        stmt = stmt.where(SignInFailure.ip == ip)
    count, oldest = db.execute(stmt).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), oldest


def prune_sign_in_failures(db: Session, *, before: datetime) -> None:
    """Forget failures older than the rate-limit window so the table stays small."""
    db.execute(delete(SignInFailure).where(SignInFailure.at <= before))


def clear_sign_in_failures(db: Session, *, email: str) -> None:
    """Forget an account's failures after it signs in successfully."""
    db.execute(delete(SignInFailure).where(SignInFailure.email == email))
