"""Exception types of the learner wallet; ``openler.web`` turns them into pages.

WalletError
├── WalletNotFound     no such record in this learner's wallet (another learner's is "not found" too)
├── WalletUnreadable   a stored ciphertext does not open (altered row, or the app secret changed)
└── ClaimRefused       a claim offer cannot go into this wallet (carries the reason)
"""

from __future__ import annotations


class WalletError(Exception):
    """Base of every wallet error."""


class WalletNotFound(WalletError):
    """The record does not exist, or belongs to another learner."""

    def __init__(self, what: str) -> None:
        super().__init__(f"not found: {what}")
        self.what = what


class WalletUnreadable(WalletError):
    """Stored wallet data cannot be decrypted."""

    def __init__(self, what: str) -> None:
        super().__init__(f"cannot decrypt the wallet's {what} (altered row or wrong app secret)")
        self.what = what


class ClaimRefused(WalletError):
    """The offer is for someone else's key, or can no longer be used."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"claim refused: {reason}")
        self.reason = reason
