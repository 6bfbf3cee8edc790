"""The accounts exception tree; only openler.web.errors maps these to HTTP answers.

AccountError
├── InvalidInput            one or more form fields are wrong (carries field -> code)
├── EmailAlreadyRegistered  sign-up with an email that has an account
├── InvalidCredentials      wrong email or password (never says which)
├── TooManyAttempts         sign-in rate limit hit (carries retry_at)
├── NotFound                the object does not exist for this user or organization
├── NotAllowed              a member lacks the role for this action
└── PasskeyError            a WebAuthn ceremony failed
"""

from __future__ import annotations

from datetime import datetime


class AccountError(Exception):
    """Base of every error raised by openler.accounts."""


class InvalidInput(AccountError):
    """Form fields that failed validation, as field name -> error code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class EmailAlreadyRegistered(AccountError):
    """An account already uses this email."""

    def __init__(self, email: str) -> None:
        super().__init__(f"email already registered: {email}")
        self.email = email


class InvalidCredentials(AccountError):
    """The email and password do not match an account."""


class TooManyAttempts(AccountError):
    """Too many failed sign-ins for this account or address; try again at retry_at."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"too many sign-in attempts; retry at {retry_at.isoformat()}")
        self.retry_at = retry_at


class NotFound(AccountError):
    """The object does not exist, or does not belong to the asking user or organization."""

    def __init__(self, what: str) -> None:
        super().__init__(f"not found: {what}")
        self.what = what


class NotAllowed(AccountError):
    """The member's role does not allow this action."""

    def __init__(self, action: str) -> None:
        super().__init__(f"not allowed: {action}")
        self.action = action


class PasskeyError(AccountError):
    """A passkey registration or sign-in could not be verified."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"passkey failed: {reason}")
        self.reason = reason
