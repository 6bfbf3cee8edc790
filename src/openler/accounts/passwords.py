"""Password hashing with Argon2id (RFC 9106) through argon2-cffi."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# A real hash to check against when the account does not exist, so that timing does
# not reveal which emails are registered.
_DUMMY_HASH = _HASHER.hash("openler-timing-equaliser")


def use_parameters(parameters: Parameters) -> None:
    """Swap the Argon2 cost (tests use argon2.profiles.CHEAPEST to stay fast)."""
    global _HASHER, _DUMMY_HASH
    _HASHER = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _HASHER.hash("openler-timing-equaliser")


def hash_password(password: str) -> str:
    """Hash a new password for storage."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password in constant-ish time, also when there is no account."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether the stored hash uses outdated parameters."""
    return _HASHER.check_needs_rehash(password_hash)
