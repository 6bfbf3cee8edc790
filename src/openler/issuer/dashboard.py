"""Issuer dashboard figures: credential events per achievement and month.

Small-cell suppression follows common statistical disclosure practice: a count
that concerns fewer than 5 distinct learners is never shown as a number. Events
are recorded by each part of the system through ``record_event``; parts that only
hold a credential (this instance's verifier, the wallet when a learner shares)
use ``record_for_credential`` / ``record_shared``, which find the award from the
issuer DID and credential id (W3C VC Data Model 2.0 sections 4.4 and 4.7). An
event row holds the organization, award, achievement, kind and time only:
nothing about who verified or whom the learner shared with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.storage.tables import Achievement
from openler.storage.tables_catalog import Award
from openler.storage.tables_issuer import IssuedCredential
from openler.storage.tables_lifecycle import CredentialEvent

if TYPE_CHECKING:
    from openler.issuer.models import PublicBase

EVENT_KINDS = ("issued", "claimed", "shared", "verified", "suspended", "unsuspended",
               "revoked", "reissued", "expired")
SHOWN_KINDS = ("issued", "claimed", "shared", "verified", "suspended", "revoked")
MIN_GROUP = 5
"""Counts about fewer learners than this are shown as "fewer than 5"."""


def record_event(db: Session, *, org_id: str, award_id: str, kind: str,
                 at: datetime) -> CredentialEvent:
    """Count a moment in a credential's life for the dashboard."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    row = db.get(Award, award_id)
    if row is None or row.organization_id != org_id:
        raise ValueError("the award is not one of this organization's")
    event = CredentialEvent(organization_id=org_id, award_id=award_id,
                            achievement_id=row.achievement_id, kind=kind, at=at)
    db.add(event)
    db.flush()
    return event


def award_for_credential(db: Session, *, org_id: str, credential_id: str) -> Award | None:
    """The award behind a credential this organization issued: the award's own credential,
    or a holder-bound copy of it (same status slot, see ``delivery.binding``)."""
    record = db.scalars(select(IssuedCredential).where(
        IssuedCredential.organization_id == org_id,
        IssuedCredential.credential_id == credential_id[:500])).first()
    if record is None:
        return None
    direct = db.scalars(select(Award).where(Award.organization_id == org_id,
                                            Award.issued_credential_id == record.id)).first()
    if direct is not None:
        return direct
    return db.scalars(
        select(Award).join(IssuedCredential, IssuedCredential.id == Award.issued_credential_id)
        .where(Award.organization_id == org_id,
               IssuedCredential.revocation_list_id == record.revocation_list_id,
               IssuedCredential.revocation_index == record.revocation_index)).first()


def issuer_id(issuer: Any) -> str | None:
    """The issuer's id, whether ``issuer`` is a string or an object with an ``id``."""
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def record_for_credential(db: Session, *, base: PublicBase, issuer: Any, credential_id: Any,
                          kind: str, at: datetime) -> CredentialEvent | None:
    """Count an event for a credential if one of this instance's organizations issued it
    as an award; None (nothing recorded) for any other credential."""
    did = issuer_id(issuer)
    org_id = base.org_id_of(did) if did else None
    if org_id is None or not isinstance(credential_id, str) or not credential_id:
        return None
    award = award_for_credential(db, org_id=org_id, credential_id=credential_id)
    if award is None:
        return None
    return record_event(db, org_id=org_id, award_id=award.id, kind=kind, at=at)


def record_shared(db: Session, *, base: PublicBase, credential: Mapping[str, Any],
                  at: datetime) -> CredentialEvent | None:
    """Count a share of a credential (for the wallet): nothing about the recipient is kept."""
    return record_for_credential(db, base=base, issuer=credential.get("issuer"),
                                 credential_id=credential.get("id"), kind="shared", at=at)


@dataclass(frozen=True)
class Cell:
    """One figure: the count, or None when it concerns fewer than MIN_GROUP learners."""

    count: int | None

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass
class AchievementFigures:
    achievement_id: str
    name: str
    months: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    totals: dict[str, Cell] = field(default_factory=dict)

    def cell(self, month: str, kind: str) -> Cell:
        return self.cells.get((month, kind), Cell(0))

    @property
    def largest(self) -> int:
        return max((c.count or 0 for c in self.cells.values()), default=0)


def _cell(learners: set[str], events: int) -> Cell:
    if 0 < len(learners) < MIN_GROUP:
        return Cell(None)
    return Cell(events)


def figures(db: Session, *, org_id: str) -> list[AchievementFigures]:
    """Counts per achievement, month and kind, with small groups suppressed."""
    stmt = (select(CredentialEvent, Award.recipient_email, Award.recipient_did)
            .join(Award, Award.id == CredentialEvent.award_id)
            .where(CredentialEvent.organization_id == org_id,
                   CredentialEvent.kind.in_(SHOWN_KINDS)))
    counts: dict[tuple[str, str, str], list[int | set[str]]] = defaultdict(
        lambda: [0, set()])
    totals: dict[tuple[str, str], list[int | set[str]]] = defaultdict(lambda: [0, set()])
    months: dict[str, set[str]] = defaultdict(set)
    for event, email, did in db.execute(stmt):
        month = event.at.strftime("%Y-%m")
        learner = email or did or event.award_id
        for bucket in (counts[(event.achievement_id, month, event.kind)],
                       totals[(event.achievement_id, event.kind)]):
            bucket[0] += 1  # type: ignore[operator]
            bucket[1].add(learner)  # type: ignore[union-attr]
        months[event.achievement_id].add(month)
    names = dict(db.execute(select(Achievement.id, Achievement.name)
                            .where(Achievement.organization_id == org_id)).all())
    out = []
    for achievement_id in sorted(months, key=lambda a: names.get(a, a)):
        fig = AchievementFigures(achievement_id, names.get(achievement_id, achievement_id),
                                 months=sorted(months[achievement_id]))
        for (a, month, kind), (n, who) in counts.items():
            if a == achievement_id:
                fig.cells[(month, kind)] = _cell(who, n)  # type: ignore[arg-type]
        for kind in SHOWN_KINDS:
            n, who = totals.get((achievement_id, kind), (0, set()))
            fig.totals[kind] = _cell(who, n)  # type: ignore[arg-type]
        out.append(fig)
    return out
