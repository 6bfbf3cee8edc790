"""Printable records: a paper copy of a record or a presentation whose QR code opens a live
check of it, through a share link the learner agreed to.

Spec: W3C VC Data Model 2.0, section 7.1 (the reader of the paper copy gets a
fresh verification by following the link, because paper cannot be checked);
the share link is ``openler.wallet.sharing`` (consent, audience, purpose,
expiry, stop at any time). A printed copy either gets its own share, made
only after the learner confirms audience (default "Printed copy"), purpose and
expiry (default 90 days), or reuses a live share the learner picks. Printing a
single record makes a one-record presentation for it, named after the record,
which the learner sees in the presentations list. The layout is
``openler.wallet.print_pdf``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from openler.wallet import presentations, service, sharing
from openler.wallet.presentations import InvalidSharingInput, Presentation
from openler.wallet.sharing import Share

PRINT_EXPIRY = "90"
NEW_LINK = "new"
PAPERS = ("a4", "letter")


@dataclass(frozen=True, slots=True)
class PrintLink:
    """The share a printed copy points to, and the presentation it shows."""

    share: Share
    presentation: Presentation


def live_shares(db: Session, *, config: service.WalletConfig, user_id: str, now: datetime,
                presentation_id: str | None = None,
                record_id: str | None = None) -> list[PrintLink]:
    """Shares whose link works now: of one presentation, or of any holding ``record_id``."""
    out: list[PrintLink] = []
    pres_by_id: dict[str, Presentation] = {}
    for share in sharing.shares_of(db, config=config, user_id=user_id,
                                   presentation_id=presentation_id):
        if share.state(now) != "active":
            continue
        pres = pres_by_id.get(share.presentation_id)
        if pres is None:
            pres = presentations.get(db, config=config, user_id=user_id,
                                     presentation_id=share.presentation_id)
            pres_by_id[pres.id] = pres
        if record_id is not None and record_id not in {r.id for r in pres.records}:
            continue
        out.append(PrintLink(share, pres))
    return out


def _reuse(links: list[PrintLink], share_id: str) -> PrintLink:
    for link in links:
        if link.share.id == share_id:
            return link
    raise InvalidSharingInput({"link": "link_missing"})


def _new(db: Session, *, config: service.WalletConfig, user_id: str, presentation_id: str,
         audience: str, purpose: str, expiry: str, now: datetime) -> PrintLink:
    share = sharing.create_share(db, config=config, user_id=user_id,
                                 presentation_id=presentation_id, audience=audience,
                                 purpose=purpose, expiry=expiry, now=now)
    pres = presentations.get(db, config=config, user_id=user_id,
                             presentation_id=presentation_id)
    return PrintLink(share, pres)


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise InvalidSharingInput({"paper": "paper_missing"})


def link_for_presentation(db: Session, *, config: service.WalletConfig, user_id: str,
                          presentation_id: str, link: str, audience: str, purpose: str,
                          expiry: str, paper: str, now: datetime) -> PrintLink:
    """The share a printed presentation points to: a new one (``link`` = "new") or a live one."""
    _check_paper(paper)
    if link != NEW_LINK:
        return _reuse(live_shares(db, config=config, user_id=user_id, now=now,
                                  presentation_id=presentation_id), link)
    return _new(db, config=config, user_id=user_id, presentation_id=presentation_id,
                audience=audience, purpose=purpose, expiry=expiry, now=now)


def link_for_record(db: Session, *, config: service.WalletConfig, user_id: str,
                    record_id: str, link: str, audience: str, purpose: str, expiry: str,
                    paper: str, name: str, now: datetime,
                    disclose: Iterable[str] = ()) -> PrintLink:
    """The share a printed record points to: a live one that holds it, or a new one-record
    presentation (called ``name``) shared for this printed copy."""
    record = service.get_record(db, config=config, user_id=user_id, record_id=record_id)
    if record.state != "kept":
        raise InvalidSharingInput({"records": "records_missing"})
    _check_paper(paper)
    if link != NEW_LINK:
        return _reuse(live_shares(db, config=config, user_id=user_id, now=now,
                                  record_id=record.id), link)
    errors: dict[str, str] = {}
    if not " ".join(audience.split()):
        errors["audience"] = "audience_missing"
    if not " ".join(purpose.split()):
        errors["purpose"] = "purpose_missing"
    if expiry not in sharing.EXPIRY_DAYS:
        errors["expiry"] = "expiry_missing"
    if errors:  # checked before the presentation is made, so a wrong form leaves nothing behind
        raise InvalidSharingInput(errors)
    pres = presentations.create(db, config=config, user_id=user_id, name=name,
                                record_ids=[record.id], now=now,
                                disclose={record.id: list(disclose)})
    return _new(db, config=config, user_id=user_id, presentation_id=pres.id,
                audience=audience, purpose=purpose, expiry=expiry, now=now)
