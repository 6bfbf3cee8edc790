"""The issuer's audit log: who did what, when, to which credential or achievement.

Append-only by construction: this module only inserts and reads; migration
0007_lifecycle_audit adds database triggers that reject UPDATE and DELETE. A
revocation reason is stored here privately and shown only to organization owners.
CSV export follows RFC 4180 with OWASP's advice against formula injection (cells
starting with = + - @ tab or carriage return are prefixed with an apostrophe).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.storage.tables import User
from openler.storage.tables_lifecycle import AuditEntry

ACTIONS = (
    "achievement_created", "achievement_edited", "achievement_retired",
    "achievement_restored", "award_issued", "cohort_started", "cohort_cancelled",
    "credential_revoked", "credential_suspended", "credential_unsuspended",
    "credential_reissued", "api_token_created", "api_token_revoked", "key_rotated",
)
ACTOR_KEY = "openler.actor_id"
"""Where the request's signed-in user (or API token owner) is kept in ``Session.info``."""
MAX_ROWS = 5000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def set_actor(db: Session, user_id: str | None) -> None:
    """Remember who acts in this database session, so services can record it."""
    db.info[ACTOR_KEY] = user_id


def record(db: Session, *, org_id: str, action: str, target_type: str, target_id: str,
           now: datetime, target_label: str = "", detail: Mapping[str, Any] | None = None,
           private_reason: str | None = None, actor_id: str | None = None) -> AuditEntry:
    """Append one entry; the actor defaults to the session's signed-in user."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    actor = actor_id or db.info.get(ACTOR_KEY)
    user = db.get(User, actor) if actor else None
    entry = AuditEntry(organization_id=org_id, actor_id=actor,
                       actor_label=user.email if user else "", action=action,
                       target_type=target_type, target_id=target_id[:500],
                       target_label=target_label[:500], detail=dict(detail or {}),
                       private_reason=private_reason, at=now)
    db.add(entry)
    db.flush()
    return entry


def entries(db: Session, *, org_id: str, action: str | None = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: int = MAX_ROWS) -> list[AuditEntry]:
    """The organization's entries, newest first, filtered by action and time."""
    stmt = select(AuditEntry).where(AuditEntry.organization_id == org_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return list(db.scalars(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit)))


def safe_cell(value: object) -> str:
    """A spreadsheet cannot run a cell as a formula after this."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


CSV_HEADER = ("time_utc", "actor", "action", "target_type", "target_id", "target",
              "private_reason")


def to_csv(rows: Iterable[AuditEntry]) -> str:
    """The entries as CSV with a header row, every cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for e in rows:
        writer.writerow([safe_cell(v) for v in (
            e.at.strftime("%Y-%m-%dT%H:%M:%SZ"), e.actor_label or e.actor_id or "",
            e.action, e.target_type, e.target_id, e.target_label, e.private_reason or "")])
    return out.getvalue()
