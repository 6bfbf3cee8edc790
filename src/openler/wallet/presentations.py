"""Presentations: the learner picks kept records into a named, signed presentation.

Spec: W3C VC Data Model 2.0, section 4.13 (Verifiable Presentations, with
``holder`` the learner's did:key) and VC Data Integrity 1.0, section 2.2 (an
``authentication`` proof made with the learner's own key; ``challenge`` and
``domain`` when the presentation is bound to one share). Data Integrity
credentials are disclosed whole: their signature covers every field, so a
field cannot be left out without breaking it. SD-JWT VC records go in as
enveloped credentials with only the claims the learner chose (RFC 9901;
``openler.wallet.disclosure``); the choices are kept with the presentation so
every share made from it discloses the same. The name, the choices and the
signed presentation are sealed with the learner's data key
(``openler.wallet.crypto``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.jsonld import default_loader
from openler.core.presentations import create_presentation, sign_presentation
from openler.core.proofs import sign
from openler.storage.tables import new_id
from openler.storage.tables_wallet_shares import WalletPresentation, WalletPresentationItem
from openler.wallet import disclosure, service
from openler.wallet.errors import WalletError, WalletNotFound
from openler.wallet.keys import OpenWallet, open_wallet
from openler.wallet.models import Record

PRESENTATION_PURPOSE = "presentation"
NAME_MAX = 200


class InvalidSharingInput(WalletError):
    """A presentation or share form is incomplete: ``errors`` maps each field to a code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"invalid input: {sorted(errors)}")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Presentation:
    """One presentation of a learner's wallet, opened (decrypted)."""

    id: str
    name: str
    created_at: datetime
    records: tuple[Record, ...]
    vp: dict[str, Any]
    # record id -> the disclosable claim paths the learner chose (SD-JWT records only)
    disclosures: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def disclosed(self, record_id: str) -> tuple[str, ...]:
        """The claim paths chosen for one record (empty: only what is always shown)."""
        return self.disclosures.get(record_id, ())


def sign_vp(wallet: OpenWallet, credentials: list[dict[str, Any] | str], *, now: datetime,
            challenge: str | None = None, domain: str | None = None) -> dict[str, Any]:
    """A Verifiable Presentation of ``credentials``, signed by the learner for authentication."""
    pair = wallet.keypair()
    vp = create_presentation(credentials, holder=pair.controller or wallet.did,
                             id=f"urn:uuid:{uuid.uuid4()}")
    created = now.replace(microsecond=0)
    if challenge:
        return sign_presentation(vp, keypair=pair, verification_method=pair.id or "",
                                 challenge=challenge, domain=domain, created=created,
                                 loader=default_loader())
    return sign(vp, keypair=pair, verification_method=pair.id or "",
                proof_purpose="authentication", created=created, domain=domain,
                loader=default_loader())


def _wallet(db: Session, config: service.WalletConfig, user_id: str) -> OpenWallet:
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        raise WalletNotFound("presentation")
    return wallet


def record_ids_of(db: Session, presentation_id: str) -> list[str]:
    """The records of a presentation, in the order the learner picked them."""
    return list(db.scalars(select(WalletPresentationItem.record_id)
                           .where(WalletPresentationItem.presentation_id == presentation_id)
                           .order_by(WalletPresentationItem.position)))


def _open(db: Session, config: service.WalletConfig, user_id: str, wallet: OpenWallet,
          row: WalletPresentation) -> Presentation:
    data = wallet.data_key.open(row.nonce, row.ciphertext, purpose=PRESENTATION_PURPOSE,
                                row_id=row.id)
    records = tuple(service.get_record(db, config=config, user_id=user_id, record_id=rid)
                    for rid in record_ids_of(db, row.id))
    chosen = {str(k): tuple(str(p) for p in v)
              for k, v in dict(data.get("disclosures") or {}).items()}
    return Presentation(row.id, str(data["name"]), row.created_at, records, data["vp"],
                        chosen)


def create(db: Session, *, config: service.WalletConfig, user_id: str, name: str,
           record_ids: list[str], now: datetime,
           disclose: Mapping[str, Iterable[str]] | None = None) -> Presentation:
    """Sign the picked kept records into a named presentation (InvalidSharingInput if not).

    ``disclose`` maps an SD-JWT record's id to the claim paths the learner chose to show;
    anything else of that record that the issuer made disclosable stays hidden.
    """
    name = " ".join(name.split())[:NAME_MAX]
    kept = {r.id: r for r in service.records(db, config=config, user_id=user_id)
            if r.state == "kept"}
    picked = [kept[rid] for rid in dict.fromkeys(record_ids) if rid in kept]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "name_missing"
    if not picked or len(picked) != len(dict.fromkeys(record_ids)):
        errors["records"] = "records_missing"
    if errors:
        raise InvalidSharingInput(errors)
    wallet = _wallet(db, config, user_id)
    row_id = new_id()
    chosen = {r.id: list(disclosure.clean_choice(r, (disclose or {}).get(r.id, ())))
              for r in picked if disclosure.choices(r)}
    vp = sign_vp(wallet, disclosure.members(picked, chosen, wallet=wallet, now=now), now=now)
    nonce, sealed = wallet.data_key.seal({"name": name, "vp": vp, "disclosures": chosen},
                                         purpose=PRESENTATION_PURPOSE, row_id=row_id)
    row = WalletPresentation(id=row_id, wallet_id=wallet.id, nonce=nonce, ciphertext=sealed,
                             created_at=now)
    db.add(row)
    db.flush()
    for position, record in enumerate(picked):
        db.add(WalletPresentationItem(id=new_id(), presentation_id=row_id,
                                      record_id=record.id, position=position))
    db.flush()
    return _open(db, config, user_id, wallet, row)


def owned_row(db: Session, *, wallet: OpenWallet, presentation_id: str) -> WalletPresentation:
    """The presentation row if it is in this wallet (WalletNotFound otherwise)."""
    row = db.get(WalletPresentation, presentation_id[:32]) if presentation_id else None
    if row is None or row.wallet_id != wallet.id:
        raise WalletNotFound("presentation")
    return row


def get(db: Session, *, config: service.WalletConfig, user_id: str,
        presentation_id: str) -> Presentation:
    """One presentation of this learner (WalletNotFound for anyone else's)."""
    wallet = _wallet(db, config, user_id)
    return _open(db, config, user_id, wallet,
                 owned_row(db, wallet=wallet, presentation_id=presentation_id))


def listing(db: Session, *, config: service.WalletConfig, user_id: str) -> list[Presentation]:
    """Every presentation of the learner, newest first."""
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        return []
    rows = db.scalars(select(WalletPresentation)
                      .where(WalletPresentation.wallet_id == wallet.id)
                      .order_by(WalletPresentation.created_at.desc(), WalletPresentation.id))
    return [_open(db, config, user_id, wallet, row) for row in rows]


def remaining(db: Session, *, config: service.WalletConfig, user_id: str,
              presentation_id: str) -> list[Record]:
    """The records still in a presentation, in order (after one was taken out)."""
    return [service.get_record(db, config=config, user_id=user_id, record_id=rid)
            for rid in record_ids_of(db, presentation_id)]


def resign(db: Session, *, wallet: OpenWallet, row: WalletPresentation,
           records: list[Record], now: datetime) -> dict[str, list[str]]:
    """Sign the presentation again over its remaining records, keeping the learner's choices.

    Returns the disclosure choices still in force, for the shares to be signed again with.
    """
    data = wallet.data_key.open(row.nonce, row.ciphertext, purpose=PRESENTATION_PURPOSE,
                                row_id=row.id)
    ids = {r.id for r in records}
    chosen = {k: list(v) for k, v in dict(data.get("disclosures") or {}).items() if k in ids}
    vp = sign_vp(wallet, disclosure.members(records, chosen, wallet=wallet, now=now),
                 now=now) if records else {}
    row.nonce, row.ciphertext = wallet.data_key.seal(
        {"name": data["name"], "vp": vp, "disclosures": chosen}, purpose=PRESENTATION_PURPOSE,
        row_id=row.id)
    return chosen
