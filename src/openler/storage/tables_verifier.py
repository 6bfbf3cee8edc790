"""Tables of the verifier: presentation requests an organization makes, and the answers.

Spec: OpenID for Verifiable Presentations 1.0, sections 5 (the Authorization
Request: ``nonce`` and ``state``, fresh and random for every request), 8.2
(Response Mode ``direct_post``) and 14.1 (replay: a presentation is bound to
one request's nonce and client id). What is stored where, and why:

- ``verifier_requests``: the organization asking, its purpose in words, the
  DCQL query (JSON), ``nonce`` and ``state`` (URL-safe random strings, 256
  bits each), when it was made and until when it can be answered, and
  ``answered_at``: set once, by the first response (or refusal) accepted, so a
  request is single use. ``state`` is unique: it names the request in a reply.
- ``verifier_responses``: one row per reply the Response URI received for a
  request, accepted or refused: ``status`` (``verified``, ``not_verified``,
  ``incomplete``, ``declined`` by the learner's wallet, ``refused`` by us),
  ``error`` (the OAuth error code sent back, or the wallet's own), a short
  ``reason`` code, the verification ``report`` (JSON) and, only for accepted
  answers, the ``vp_token`` itself (JSON). Not sealed: this is the
  organization's own copy of what the learner chose to send it.

Created by migration 0013_verifier_requests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id


class VerifierRequest(Base):
    __tablename__ = "verifier_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    dcql_query: Mapped[dict[str, Any]] = mapped_column(JSON)
    nonce: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class VerifierResponse(Base):
    __tablename__ = "verifier_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(
        ForeignKey("verifier_requests.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    vp_token: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
