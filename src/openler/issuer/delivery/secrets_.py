"""Random secrets and their stored hashes (only SHA-256 digests reach the database)."""

from __future__ import annotations

import hashlib
import secrets


def new_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe secret."""
    return secrets.token_urlsafe(nbytes)


def digest(value: str) -> str:
    """The hex SHA-256 kept instead of a secret, so a database leak reveals no link."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def numeric_code(length: int = 6) -> str:
    """A short numeric transaction code a person can type."""
    return f"{secrets.randbelow(10 ** length):0{length}d}"  # uniform over all codes
