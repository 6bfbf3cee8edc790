"""Exception types of credential delivery, each carrying what a page or a wallet needs.

Spec: OpenID4VCI 1.0, sections 6.3 (Token Error Response, RFC 6749 section 5.2
codes) and 8.3.1 (Credential Error Response); RFC 6750 section 3.1 (invalid_token).
"""

from __future__ import annotations


class DeliveryError(Exception):
    """Base of every delivery error."""


class OfferUnavailable(DeliveryError):
    """The claim link is unknown, expired, replaced or already used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Oid4vciError(DeliveryError):
    """A protocol error answered as JSON ``{"error", "error_description"}``."""

    def __init__(self, code: str, description: str, *, status: int = 400,
                 c_nonce: str | None = None) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.status = status
        self.c_nonce = c_nonce
