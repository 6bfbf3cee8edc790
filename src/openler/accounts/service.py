"""Account use cases: sign-up, sign-in with rate limiting, profile, organizations, roles.

Every function takes the database session first and keyword-only arguments after it;
errors are the specific types in openler.accounts.errors.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openler.accounts import passwords
from openler.accounts.errors import (
    InvalidCredentials,
    InvalidInput,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)
from openler.accounts.models import (
    LANGUAGES,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AccountKind,
    OrganizationKind,
    Role,
)
from openler.storage import repositories as repo
from openler.storage.tables import Achievement, Membership, Organization, Passkey, User

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)


def normalise_email(email: str) -> str:
    """Compare emails case-insensitively and without stray spaces."""
    return email.strip().lower()


def _check_name(errors: dict[str, str], field: str, value: str) -> str:
    value = value.strip()
    if not value:
        errors[field] = "required"
    elif len(value) > MAX_NAME_LENGTH:
        errors[field] = "too_long"
    elif _has_control_characters(value):
        errors[field] = "invalid_characters"
    return value


def _check_email(errors: dict[str, str], value: str) -> str:
    value = normalise_email(value)
    if not value:
        errors["email"] = "required"
    elif (
        len(value) > MAX_EMAIL_LENGTH
        or not _EMAIL_RE.match(value)
        or _has_control_characters(value)
    ):
        errors["email"] = "invalid_email"
    return value


def _check_new_password(errors: dict[str, str], field: str, value: str) -> None:
    if not value:
        errors[field] = "required"
    elif len(value) < MIN_PASSWORD_LENGTH:
        errors[field] = "too_short"
    elif len(value) > MAX_PASSWORD_LENGTH:
        errors[field] = "too_long"


def _check_choice(errors: dict[str, str], field: str, value: str, choices: tuple[str, ...]) -> str:
    if not value:
        errors[field] = "required"
    elif value not in choices:
        errors[field] = "unknown_choice"
    return value


def sign_up(
    db: Session,
    *,
    name: str,
    email: str,
    password: str,
    account_kind: str,
    organization_name: str = "",
    organization_kind: str = "",
    language: str = "en",
    now: datetime,
) -> User:
    """Create a learner account, or an organization with its first owner."""
    errors: dict[str, str] = {}
    name = _check_name(errors, "name", name)
    email = _check_email(errors, email)
    _check_new_password(errors, "password", password)
    _check_choice(errors, "account_kind", account_kind, tuple(AccountKind))
    if account_kind == AccountKind.ORGANIZATION:
        organization_name = _check_name(errors, "organization_name", organization_name)
        _check_choice(errors, "organization_kind", organization_kind, tuple(OrganizationKind))
    if "email" not in errors and repo.get_user_by_email(db, email=email) is not None:
        errors["email"] = "taken"
    if errors:
        raise InvalidInput(errors)
    user = User(
        email=email,
        name=name,
        password_hash=passwords.hash_password(password),
        language=language if language in LANGUAGES else "en",
        created_at=now,
    )
    try:
        with db.begin_nested():
            db.add(user)
            db.flush()
    except IntegrityError as exc:  # a concurrent sign-up took the email
        raise InvalidInput({"email": "taken"}) from exc
    if account_kind == AccountKind.ORGANIZATION:
        create_organization(
            db,
            owner=user,
            name=organization_name,
            kind=OrganizationKind(organization_kind),
            now=now,
        )
    return user


def create_organization(
    db: Session, *, owner: User, name: str, kind: OrganizationKind, now: datetime
) -> Organization:
    """Create an organization whose first member is its owner."""
    org = Organization(name=name, kind=kind.value, created_at=now)
    db.add(org)
    db.flush()
    db.add(Membership(organization_id=org.id, user_id=owner.id, role=Role.OWNER.value))
    db.flush()
    return org


def sign_in(
    db: Session,
    *,
    email: str,
    password: str,
    ip: str,
    now: datetime,
    max_failures: int = 5,
    window: timedelta = timedelta(minutes=15),
) -> User:
    """Check a password, refusing after too many recent failures per account or address."""
    errors: dict[str, str] = {}
    email = normalise_email(email)
    if not email:
        errors["email"] = "required"
    elif len(email) > MAX_EMAIL_LENGTH or _has_control_characters(email):
        errors["email"] = "invalid_email"
    if not password:
        errors["password"] = "required"
    if errors:
        raise InvalidInput(errors)
    since = now - window
    for count, oldest in (
        repo.sign_in_failures_since(db, since=since, email=email),
        repo.sign_in_failures_since(db, since=since, ip=ip),
    ):
        if count >= max_failures and oldest is not None:
            raise TooManyAttempts(retry_at=oldest + window)
    user = repo.get_user_by_email(db, email=email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        repo.prune_sign_in_failures(db, before=since)
        repo.record_sign_in_failure(db, email=email, ip=ip, at=now)
        raise InvalidCredentials()
    assert user is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    repo.clear_sign_in_failures(db, email=email)
    db.flush()
    return user


def update_profile(db: Session, *, user: User, name: str, language: str) -> User:
    """Change the name people see and the language pages use."""
    errors: dict[str, str] = {}
    name = _check_name(errors, "name", name)
    _check_choice(errors, "language", language, LANGUAGES)
    if errors:
        raise InvalidInput(errors)
    user.name = name
    user.language = language
    db.flush()
    return user


def change_password(
    db: Session, *, user: User, current_password: str, new_password: str, confirm_password: str
) -> None:
    """Replace the password after checking the current one."""
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = "required"
    elif not passwords.verify_password(user.password_hash, current_password):
        errors["current_password"] = "wrong_password"
    _check_new_password(errors, "new_password", new_password)
    if not confirm_password:
        errors["confirm_password"] = "required"
    elif "new_password" not in errors and confirm_password != new_password:
        errors["confirm_password"] = "mismatch"
    if errors:
        raise InvalidInput(errors)
    user.password_hash = passwords.hash_password(new_password)
    db.flush()


def memberships(db: Session, *, user: User) -> list[Membership]:
    """The organizations this user works for (empty for a learner)."""
    return repo.memberships_of(db, user_id=user.id)


def membership(db: Session, *, user: User, org_id: str) -> Membership:
    """The user's membership of an organization; NotFound for anyone outside it."""
    found = repo.membership_in(db, user_id=user.id, org_id=org_id)
    if found is None:
        raise NotFound("organization")
    return found


def members(db: Session, *, user: User, org_id: str) -> list[Membership]:
    """An organization's members, for its own members only."""
    membership(db, user=user, org_id=org_id)
    return repo.members_of(db, org_id=org_id, member_user_id=user.id)


def achievements(db: Session, *, user: User, org_id: str) -> list[Achievement]:
    """The organization's achievement catalog, for its members only."""
    membership(db, user=user, org_id=org_id)
    return repo.achievements_of(db, org_id=org_id, member_user_id=user.id)


def achievement(db: Session, *, user: User, org_id: str, achievement_id: str) -> Achievement:
    """One achievement of the catalog; NotFound outside the organization."""
    found = repo.achievement_in(
        db, org_id=org_id, achievement_id=achievement_id, member_user_id=user.id
    )
    if found is None:
        raise NotFound("achievement")
    return found


def add_member(db: Session, *, user: User, org_id: str, email: str, role: str) -> Membership:
    """Let an owner add an existing account to the organization with a role."""
    mine = membership(db, user=user, org_id=org_id)
    if mine.role != Role.OWNER:
        raise NotAllowed("add_member")
    errors: dict[str, str] = {}
    email = _check_email(errors, email)
    _check_choice(errors, "role", role, tuple(Role))
    new_user = None
    if "email" not in errors:
        new_user = repo.get_user_by_email(db, email=email)
        if new_user is None:
            errors["email"] = "no_account"
        elif repo.membership_in(db, user_id=new_user.id, org_id=org_id) is not None:
            errors["email"] = "already_member"
    if errors:
        raise InvalidInput(errors)
    assert new_user is not None
    added = Membership(organization_id=org_id, user_id=new_user.id, role=role)
    db.add(added)
    db.flush()
    return added


def passkeys(db: Session, *, user: User) -> list[Passkey]:
    """The user's own passkeys."""
    return repo.passkeys_of(db, user_id=user.id)


def remove_passkey(db: Session, *, user: User, passkey_id: str) -> None:
    """Delete one of the user's passkeys; NotFound for anyone else's."""
    found = repo.passkey_of(db, user_id=user.id, passkey_id=passkey_id)
    if found is None:
        raise NotFound("passkey")
    db.delete(found)
    db.flush()


def current_user(db: Session, *, user_id: str | None) -> User | None:
    """Resolve the session's user id to an account, if it still exists."""
    if not user_id:
        return None
    return repo.get_user(db, user_id=user_id)


# --- Leaving: deleting an account and everything it holds (issue 5, item 8) ---


class SoleOwner(NotAllowed):
    """The account is the only owner of organizations where other people work."""

    def __init__(self, organizations: list[Organization]) -> None:
        super().__init__("delete_account")
        self.organizations = organizations


def sole_owned_with_others(db: Session, *, user: User) -> list[Organization]:
    """Organizations this user alone owns while others are members (they block deletion)."""
    from sqlalchemy import select

    blocked = []
    for mine in repo.memberships_of(db, user_id=user.id):
        if mine.role != Role.OWNER:
            continue
        others = list(db.scalars(select(Membership).where(
            Membership.organization_id == mine.organization_id,
            Membership.user_id != user.id)))
        if others and not any(m.role == Role.OWNER for m in others):
            blocked.append(mine.organization)
    return blocked


def delete_account(db: Session, *, user: User, password: str, now: datetime) -> None:
    """Delete the account for good: every share stopped, the wallet and the sign-in gone.

    The password confirms it is the account holder. SoleOwner when the account is the
    only owner of an organization others work in (they would be left with no owner).
    An organization where the account was the only member stays, unmanaged, so the
    credentials it issued keep verifying (its keys and status lists stay published).
    """
    if not password:
        raise InvalidInput({"password": "required"})
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidInput({"password": "wrong_password"})
    blocked = sole_owned_with_others(db, user=user)
    if blocked:
        raise SoleOwner(blocked)
    from sqlalchemy import delete

    from openler.storage.tables import SignInFailure
    from openler.wallet.backup_content import erase_wallet  # the wallet builds on accounts

    user_id, email = user.id, user.email
    erase_wallet(db, user_id=user_id, now=now)
    db.execute(delete(Passkey).where(Passkey.user_id == user_id))
    db.execute(delete(Membership).where(Membership.user_id == user_id))
    db.execute(delete(SignInFailure).where(SignInFailure.email == email))
    db.expunge(user)
    db.execute(delete(User).where(User.id == user_id))
    db.flush()
