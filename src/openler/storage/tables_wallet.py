"""Tables of the learner wallet: one wallet per account, and its records.

Nothing a learner keeps is stored in clear here: the wallet row holds the
learner's signing key sealed with the learner's own data key, and that data
key wrapped by the server's master key; each record row holds one sealed JSON
document (the credential, what the arrival check found, where it came from).
Only ids, the owner, timestamps and the record's state (waiting for the
learner's answer, or kept) are readable. See ``openler.wallet.crypto`` for the
threat model. Created by migration 0008_wallet (preferences: 0012_wallet_preferences).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class Wallet(Base):
    __tablename__ = "wallets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True)
    # The per-learner data key, wrapped (AES-GCM) by the key derived from the master secret.
    master_version: Mapped[int] = mapped_column(Integer, default=1)
    data_key_nonce: Mapped[bytes] = mapped_column(LargeBinary)
    data_key_wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    # The learner's key pair (algorithm, secret, public), sealed with the data key.
    key_nonce: Mapped[bytes] = mapped_column(LargeBinary)
    key_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WalletRecord(Base):
    __tablename__ = "wallet_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    wallet_id: Mapped[str] = mapped_column(
        ForeignKey("wallets.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16))  # "pending" (not yet accepted) or "kept"
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)




class WalletPreference(Base):
    """The learner's wallet settings (hidden skills, ...), one sealed JSON object per wallet."""

    __tablename__ = "wallet_preferences"

    wallet_id: Mapped[str] = mapped_column(
        ForeignKey("wallets.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


WALLET_TABLES_CHILD_FIRST = ("wallet_records", "wallets")  # made by 0008_wallet
