"""The issuer exception tree; only openler.web.errors maps these to HTTP answers.

IssuerError
├── IssuerInputError        the request is not usable (carries a plain message)
│   └── RequestTooLarge     the body is over the size limit
├── Unauthenticated         no API token, or one that is unknown or revoked
├── IssuerNotFound          no such object for this organization (never says it exists)
└── IssuerNotAllowed        the member's role does not allow this action
"""

from __future__ import annotations


class IssuerError(Exception):
    """Base of every error raised by openler.issuer."""


class IssuerInputError(IssuerError):
    """The request cannot be processed; ``message`` says why in plain words."""

    def __init__(self, message: str, *, code: str = "invalid_request") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class RequestTooLarge(IssuerInputError):
    """The request body is larger than the service accepts."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than {limit} bytes.", code="too_large")
        self.limit = limit


class Unauthenticated(IssuerError):
    """The API call needs a valid organization API token."""

    def __init__(self, reason: str = "An organization API token is required.") -> None:
        super().__init__(reason)
        self.message = reason


class IssuerNotFound(IssuerError):
    """The object does not exist, or belongs to another organization."""

    def __init__(self, what: str) -> None:
        super().__init__(f"not found: {what}")
        self.what = what
        self.message = f"No such {what}."


class IssuerNotAllowed(IssuerError):
    """The member's role does not allow this issuer action."""

    def __init__(self, action: str) -> None:
        super().__init__(f"not allowed: {action}")
        self.action = action
        self.message = "Your role does not allow this."
