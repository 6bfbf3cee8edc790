"""Tables of the employer side of sharing and matching: shares addressed to an organization,
openings by its members, re-checks of received answers, and the roles it hires for.

Spec: OpenID for Verifiable Presentations 1.0, section 14.1 (a kept answer is
checked again against the same request's nonce and client id); W3C VC Data
Model 2.0, section 7.1. What is stored where, and why:

- ``org_shares``: a learner's share (``wallet_shares``) addressed to an
  organization on this instance. The link token is sealed for that
  organization (``openler.wallet.sharing.OrgSealer``: AES-256-GCM under a key
  derived with HKDF-SHA256 from the application secret and the organization
  id), so a database reader cannot open the share; the organization opens it
  only while the share is live. Deleting the share deletes this row.
- ``org_share_views``: which opening of a share (``wallet_share_views``) was
  made by a member of the addressed organization, so the learner reads
  "Acme Hiring viewed this on 3 March". No person, IP address or browser.
- ``verifier_response_checks``: each "check again" of a received answer:
  when, the outcome and the report (JSON), newest shown first.
- ``verifier_roles``: a role an organization hires for: its name and its
  required and preferred skills (JSON lists of {name, framework, code, url});
  ``request_id`` when the role was made with a presentation request.

Created by migration 0015_org_shares.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage import tables_verifier, tables_wallet_shares  # noqa: F401  (referenced)
from openler.storage.tables import Base, UtcDateTime, new_id


class OrgShare(Base):
    __tablename__ = "org_shares"

    share_id: Mapped[str] = mapped_column(
        ForeignKey("wallet_shares.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    token_nonce: Mapped[bytes] = mapped_column(LargeBinary)
    token_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OrgShareView(Base):
    __tablename__ = "org_share_views"

    view_id: Mapped[str] = mapped_column(
        ForeignKey("wallet_share_views.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)


class VerifierResponseCheck(Base):
    __tablename__ = "verifier_response_checks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("verifier_responses.id", ondelete="CASCADE"), index=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    outcome: Mapped[str] = mapped_column(String(16))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class VerifierRole(Base):
    __tablename__ = "verifier_roles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    required: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    preferred: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(
        ForeignKey("verifier_requests.id", ondelete="SET NULL"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
