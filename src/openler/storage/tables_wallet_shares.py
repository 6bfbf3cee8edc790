"""Tables of wallet sharing: presentations, the records in them, shares and share views.

Spec: W3C VC Data Model 2.0, section 4.13 (a presentation carries credentials
and is signed by its holder). What is stored where, and why:

- ``wallet_presentations``: the learner's name for the presentation and its
  signed Verifiable Presentation, sealed with the learner's data key (as
  records are; see ``openler.wallet.crypto``). Only ids and times are clear.
- ``wallet_presentation_items``: which record is in which presentation, by
  row id only (so deleting a record can find every presentation and share
  holding it); ids reveal no content.
- ``wallet_shares``: the public page must read a share without the learner
  present, so its content (audience, purpose, presentation name, signed VP)
  is sealed under a key derived from the share's link token (HKDF-SHA256 over
  the token, bound to the share id). The token itself is kept as a SHA-256
  hash for lookup, and a copy of the token with the audience and purpose is
  sealed under the learner's data key, so the learner can show the link and
  QR code again from any device. A database reader sees neither the token
  nor the shared content; opening the link is what decrypts it. Stopping a
  share erases its link content, so even the token no longer opens it.
  ``expires_at`` (NULL: until the learner stops it), ``stopped_at`` and
  ``stop_reason`` ("learner", or "empty" when every record was deleted) are
  clear, because the server refuses a link by them before decrypting.
- ``wallet_share_views``: one row per opening of the link: the share and the
  time only (the audience is the share's own, fixed when it was made). No IP
  address, no user agent.

Created by migration 0011_wallet_shares.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage import tables_wallet  # noqa: F401  (the wallet tables these refer to)
from openler.storage.tables import Base, UtcDateTime, new_id


class WalletPresentation(Base):
    __tablename__ = "wallet_presentations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    wallet_id: Mapped[str] = mapped_column(
        ForeignKey("wallets.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)  # {"name", "vp"} sealed by the data key
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WalletPresentationItem(Base):
    __tablename__ = "wallet_presentation_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    presentation_id: Mapped[str] = mapped_column(
        ForeignKey("wallet_presentations.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("wallet_records.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class WalletShare(Base):
    __tablename__ = "wallet_shares"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    wallet_id: Mapped[str] = mapped_column(
        ForeignKey("wallets.id", ondelete="CASCADE"), index=True)
    presentation_id: Mapped[str] = mapped_column(
        ForeignKey("wallet_presentations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    # {"token", "audience", "purpose"} sealed by the learner's data key.
    learner_nonce: Mapped[bytes] = mapped_column(LargeBinary)
    learner_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    # {"audience", "purpose", "name", "vp"} sealed by the key derived from the token.
    link_nonce: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    link_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    stop_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)


class WalletShareView(Base):
    __tablename__ = "wallet_share_views"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    share_id: Mapped[str] = mapped_column(
        ForeignKey("wallet_shares.id", ondelete="CASCADE"), index=True)
    viewed_at: Mapped[datetime] = mapped_column(UtcDateTime())
