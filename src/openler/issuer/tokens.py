"""Organization API tokens for the VC-API: created by an owner, stored only as a hash.

Spec: RFC 6750 (Bearer Token Usage), section 2.1 (the ``Authorization:
Bearer`` header). Tokens carry 256 bits of randomness, so a plain SHA-256 of
the token is a safe lookup key; the token itself is shown once and never stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.accounts import service as accounts
from openler.accounts.errors import NotFound
from openler.accounts.models import Role
from openler.issuer import audit
from openler.issuer.errors import (
    IssuerInputError,
    IssuerNotAllowed,
    IssuerNotFound,
    Unauthenticated,
)
from openler.storage.tables import User
from openler.storage.tables_issuer import ApiToken

PREFIX = "olr_"
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ApiCaller:
    """Who is calling the API: an organization, through one of its tokens."""

    organization_id: str
    token_id: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(db: Session, *, user: User, org_id: str, name: str,
                     now: datetime) -> tuple[ApiToken, str]:
    """A new token for an organization (owners only); returns the row and the token, once."""
    try:
        mine = accounts.membership(db, user=user, org_id=org_id)
    except NotFound as exc:  # not a member: the organization does not exist for them
        raise IssuerNotFound("organization") from exc
    if mine.role != Role.OWNER:
        raise IssuerNotAllowed("create_api_token")
    name = name.strip()
    if not name or len(name) > 100:
        raise IssuerInputError("A token name of 1 to 100 characters is required.")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(organization_id=org_id, created_by=user.id, name=name,
                   token_hash=_digest(token), created_at=now)
    db.add(row)
    db.flush()
    audit.record(db, org_id=org_id, action="api_token_created", target_type="api_token",
                 target_id=row.id, target_label=name, now=now, actor_id=user.id)
    return row, token


def revoke_api_token(db: Session, *, org_id: str, token_id: str, now: datetime) -> None:
    """Stop a token from working (of this organization only)."""
    row = db.get(ApiToken, token_id)
    if row is None or row.organization_id != org_id:
        raise IssuerNotFound("API token")
    row.revoked_at = now
    db.flush()
    audit.record(db, org_id=org_id, action="api_token_revoked", target_type="api_token",
                 target_id=row.id, target_label=row.name, now=now)


def authenticate(db: Session, *, authorization: str | None, now: datetime) -> ApiCaller:
    """The caller named by an ``Authorization: Bearer`` header; Unauthenticated otherwise."""
    if not authorization:
        raise Unauthenticated()
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Use 'Authorization: Bearer <token>'.")
    if len(token) > MAX_TOKEN_LENGTH or not token.startswith(PREFIX):
        raise Unauthenticated("The API token is not valid.")
    row = db.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).one_or_none()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("The API token is not valid.")
    row.last_used_at = now
    audit.set_actor(db, row.created_by)
    return ApiCaller(organization_id=row.organization_id, token_id=row.id)
