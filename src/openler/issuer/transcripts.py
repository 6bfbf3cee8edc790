"""A learner's record from one organization as a signed CLR 2.0 ClrCredential.

Spec: 1EdTech Comprehensive Learner Record 2.0, section 8 (ClrCredential,
ClrSubject with the signed AchievementCredentials as ``verifiableCredential``,
the achievements, and Associations: a course ``isChildOf`` the programme it
is part of, as the catalog's "part of" link says). Revoked awards are left out.
Signed through ``openler.issuer.service.issue_credential``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.models import Achievement as AchievementModel
from openler.core.models import (
    Association,
    ClrCredential,
    ClrSubject,
    IdentityObject,
    Profile,
    parse_model,
)
from openler.issuer import awards, service
from openler.issuer.awards_input import check_recipient
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.service import IssuerConfig
from openler.storage.tables import Achievement, Organization
from openler.storage.tables_catalog import Award


def _associations(db: Session, included: list[Award]) -> list[Association]:
    """isChildOf links between awarded achievements, following the catalog's part-of links."""
    version_of = {a.achievement_id: a.credential["credentialSubject"]["achievement"]["id"]
                  for a in reversed(included)}  # the newest award of each achievement wins
    out = []
    for achievement_id, child in version_of.items():
        row = db.get(Achievement, achievement_id)
        parent = version_of.get(row.parent_id) if row and row.parent_id else None
        if parent:
            out.append(Association(association_type="isChildOf", source_id=child,
                                   target_id=parent))
    return out


def learner_record(db: Session, *, config: IssuerConfig, org_id: str,
                   recipient_email: str | None = None, recipient_did: str | None = None,
                   now: datetime) -> dict[str, Any]:
    """Bundle the learner's current awards from this organization into a signed CLR."""
    errors: dict[str, str] = {}
    email, did = check_recipient(errors, recipient_email, recipient_did)
    if errors:
        raise CatalogInputError(errors)
    included = [a for a in awards.list_awards(db, org_id=org_id, recipient=email or did)
                if a.status != "revoked"]
    if not included:
        raise CatalogInputError({"recipient_email" if email else "recipient_did": "no_awards"})
    org = db.get(Organization, org_id)
    seen: dict[str, dict[str, Any]] = {}
    for a in included:
        doc = a.credential["credentialSubject"]["achievement"]
        seen.setdefault(doc["id"], doc)
    subject = ClrSubject(
        id=did,
        identifier=(IdentityObject.hashed_email(email, salt=secrets.token_hex(16)),)
        if email else None,
        verifiable_credential=tuple(a.credential for a in included),
        achievement=tuple(parse_model(AchievementModel, d) for d in seen.values()),
        association=tuple(_associations(db, included)) or None)
    name = org.name if org else ""
    clr = ClrCredential(
        id=f"urn:uuid:{uuid.uuid4()}", name=f"Learner record from {name}".strip(),
        issuer=Profile(id=config.base.org_did(org_id), name=name or None),
        valid_from=now.replace(microsecond=0), awarded_date=now.replace(microsecond=0),
        credential_subject=subject)
    signed, _record = service.issue_credential(db, config=config, org_id=org_id,
                                               credential=clr.to_json(), now=now)
    return signed
