"""What VC-API calls leave behind: audit entries for issuing and status changes (with
the API token's name as the actor) and dashboard events for verifications.

Spec: W3C CCG VC-API ("Issue Credential", "Update Status", "Verify Credential",
"Verify Presentation"). A verification of a credential one of this instance's
organizations issued counts as a "verified" event on its award when its proof and
issuer key checks passed (a copy with a borrowed id does not count); nothing about
the caller is stored. Recording never changes the answer: a failure is logged and
rolled back to a savepoint.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from openler.core.verify import VerificationResult
from openler.core.verify.checks import as_list
from openler.issuer import audit, dashboard
from openler.issuer.models import PublicBase
from openler.issuer.tokens import ApiCaller
from openler.storage.tables_issuer import ApiToken
from openler.storage.tables_lifecycle import AuditEntry

log = logging.getLogger("openler.api")
GENUINE = ("proof", "issuer_key")
"""Checks that must pass before a verification counts for the issuer's dashboard."""
STATUS_ACTIONS = {("revocation", True): "revoked", ("suspension", True): "suspended",
                  ("suspension", False): "unsuspended"}


def record_api_action(db: Session, *, caller: ApiCaller, action: str, target_type: str,
                      target_id: str, now: datetime, target_label: str = "",
                      detail: Mapping[str, Any] | None = None) -> AuditEntry:
    """Append an audit entry whose actor is the API token (its name, and its id in detail)."""
    if action not in audit.ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    token = db.get(ApiToken, caller.token_id)
    entry = AuditEntry(organization_id=caller.organization_id, actor_id=None,
                       actor_label=token.name if token is not None else "API token",
                       action=action, target_type=target_type, target_id=target_id[:500],
                       target_label=target_label[:500],
                       detail={"via": "vc-api", "api_token_id": caller.token_id,
                               **dict(detail or {})}, at=now)
    db.add(entry)
    db.flush()
    return entry


def credential_label(credential: Mapping[str, Any]) -> str:
    """A short name for the audit log: the credential's name, else its most specific type."""
    name = credential.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    types = [t for t in as_list(credential.get("type")) if isinstance(t, str)]
    return types[-1] if types else ""


def status_changed(db: Session, *, caller: ApiCaller, credential_id: str, purpose: str,
                   value: bool, now: datetime) -> None:
    """Audit a status change (and count it on the award's dashboard when it is an award)."""
    done = STATUS_ACTIONS.get((purpose, value))
    if done is None:  # clearing a revocation bit that was never set changes nothing
        return
    record_api_action(db, caller=caller, action=f"credential_{done}", target_type="credential",
                      target_id=credential_id, now=now, detail={"statusPurpose": purpose})
    award = dashboard.award_for_credential(db, org_id=caller.organization_id,
                                           credential_id=credential_id)
    if award is not None:
        dashboard.record_event(db, org_id=caller.organization_id, award_id=award.id, kind=done,
                               at=now)


def _genuine(result: VerificationResult) -> bool:
    found = {c.name: c.status for c in result.checks}
    return all(found.get(name) == "passed" for name in GENUINE)


def _identity(document: Any, result: VerificationResult) -> tuple[Any, Any]:
    """(issuer, id) of a verified credential: from the JSON document or the SD-JWT claims."""
    if isinstance(document, Mapping):
        return document.get("issuer"), document.get("id")
    claims = result.claims or {}
    return claims.get("issuer") or claims.get("iss"), claims.get("id") or claims.get("jti")


def verified(db: Session, *, base: PublicBase, documents: Sequence[Any],
             results: Sequence[VerificationResult], now: datetime) -> int:
    """Count a "verified" event for each genuine credential this instance issued; how many."""
    if len(documents) != len(results):
        return 0
    counted = 0
    try:
        with db.begin_nested():
            for document, result in zip(documents, results, strict=True):
                if not _genuine(result):
                    continue
                issuer, credential_id = _identity(document, result)
                event = dashboard.record_for_credential(db, base=base, issuer=issuer,
                                                        credential_id=credential_id,
                                                        kind="verified", at=now)
                counted += event is not None
    except SQLAlchemyError:
        log.exception("a verification could not be counted for the dashboard")
        return 0
    return counted


def presentation_members(presentation: Any) -> list[Any]:
    """The credentials of a presentation, in the order the verifier checks them."""
    if not isinstance(presentation, Mapping):
        return []
    return as_list(presentation.get("verifiableCredential"))
