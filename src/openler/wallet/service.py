"""Wallet use cases: receive from a claim offer, accept or decline, hold, check, delete.

Spec: OpenID4VCI 1.0, section 8 (the credential is bound to the holder's key:
here the wallet's own did:key goes into ``credentialSubject.id`` through
``openler.issuer.delivery.binding``, as the OpenID4VCI Credential Endpoint
does); W3C VC Data Model 2.0, section 7.1 (every record is verified on
arrival and its result kept for the learner to read before deciding).
Every function takes the learner's user id and only ever reads that
learner's wallet, so another learner's record is simply "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.dids import Fetcher
from openler.issuer.delivery import binding, offers
from openler.issuer.service import IssuerConfig
from openler.storage.tables import new_id
from openler.storage.tables_wallet import WalletRecord
from openler.wallet import verification
from openler.wallet.crypto import MasterKey
from openler.wallet.errors import ClaimRefused, WalletNotFound
from openler.wallet.keys import OpenWallet, ensure_wallet, open_wallet
from openler.wallet.models import FORMAT_DATA_INTEGRITY, CheckReport, IssuerGroup, Record
from openler.wallet.summary import summarize_any

RECORD_PURPOSE = "record"
CLAIM_WAY = "account"  # openler.issuer.delivery.offers.CLAIM_WAYS: into an OpenLER account


@dataclass(frozen=True)
class WalletConfig:
    """What the wallet needs from the deployment: the master key and this instance's issuer."""

    master: MasterKey
    issuer: IssuerConfig
    fetcher: Fetcher | None = None  # for keys and status lists on other hosts (None: refuse)
    allow_private: bool = False  # tests only: let ``fetcher`` reach loopback/private hosts


def _open(db: Session, config: WalletConfig, user_id: str) -> OpenWallet | None:
    return open_wallet(db, master=config.master, user_id=user_id)


def _ensure(db: Session, config: WalletConfig, user_id: str, now: datetime) -> OpenWallet:
    return ensure_wallet(db, master=config.master, user_id=user_id, now=now)


def _record(wallet: OpenWallet, row: WalletRecord) -> Record:
    payload = wallet.data_key.open(row.nonce, row.ciphertext, purpose=RECORD_PURPOSE,
                                   row_id=row.id)
    credential = payload["credential"]
    record_format = str(payload.get("format", FORMAT_DATA_INTEGRITY))
    return Record(id=row.id, state="kept" if row.state == "kept" else "pending",
                  received_at=row.received_at, credential=credential,
                  summary=summarize_any(credential, record_format),
                  arrival=CheckReport.from_dict(payload.get("arrival", {})),
                  source=str(payload.get("source", "claim")), format=record_format)


def _owned(db: Session, config: WalletConfig, user_id: str,
           record_id: str) -> tuple[OpenWallet, WalletRecord]:
    wallet = _open(db, config, user_id)
    row = db.get(WalletRecord, record_id[:32]) if record_id else None
    if wallet is None or row is None or row.wallet_id != wallet.id:
        raise WalletNotFound("record")
    return wallet, row


def wallet_did(db: Session, *, config: WalletConfig, user_id: str, now: datetime) -> str:
    """The learner's wallet identifier (the wallet and its key are made on first use)."""
    wallet = _ensure(db, config, user_id, now)
    return wallet.did


def store(db: Session, *, config: WalletConfig, user_id: str, credential: dict[str, Any] | str,
          source: str, now: datetime, language: str = "en",
          record_format: str = FORMAT_DATA_INTEGRITY, state: str = "pending",
          report: CheckReport | None = None) -> Record:
    """Verify an incoming credential and keep it, sealed, waiting for the learner's answer.

    ``record_format`` is one of ``openler.wallet.models.RECORD_FORMATS``; ``report``
    replaces the arrival check for formats this wallet checks elsewhere (older formats).
    """
    wallet = _ensure(db, config, user_id, now)
    if report is None:
        result = verification.check(db, credential=credential, config=config.issuer, now=now,
                                    language=language, fetcher=config.fetcher,
                                    allow_private=config.allow_private)
        report = CheckReport.of(result, now=now)
    record_id = new_id()
    nonce, sealed = wallet.data_key.seal(
        {"credential": credential, "arrival": report.to_dict(), "source": source,
         "format": record_format},
        purpose=RECORD_PURPOSE, row_id=record_id)
    row = WalletRecord(id=record_id, wallet_id=wallet.id,
                       state="kept" if state == "kept" else "pending", nonce=nonce,
                       ciphertext=sealed, received_at=now,
                       accepted_at=now if state == "kept" else None)
    db.add(row)
    db.flush()
    return _record(wallet, row)


def receive_from_claim(db: Session, *, config: WalletConfig, user_id: str, token: str,
                       now: datetime, language: str = "en") -> Record:
    """Take a claim offer into the wallet: bound to the wallet's DID, the offer used up."""
    offer = offers.find_offer(db, token=token, now=now)  # OfferUnavailable with its reason
    wallet = _ensure(db, config, user_id, now)
    holder = wallet.did
    award = offer.award
    if award.recipient_did and award.recipient_did != holder:
        raise ClaimRefused("other_holder")  # awarded to a key this wallet does not hold
    credential = binding.bind_to_holder(db, config=config.issuer, award=award,
                                        holder_did=holder, now=now)
    offers.mark_claimed(offer, how=CLAIM_WAY, now=now)
    db.flush()
    return store(db, config=config, user_id=user_id, credential=credential, source="claim",
                 now=now, language=language)


def get_record(db: Session, *, config: WalletConfig, user_id: str, record_id: str) -> Record:
    """One record of this learner's wallet (WalletNotFound for anyone else's)."""
    return _record(*_owned(db, config, user_id, record_id))


def accept(db: Session, *, config: WalletConfig, user_id: str, record_id: str,
           now: datetime) -> Record:
    """Keep a received record (the learner read its check and said yes)."""
    wallet, row = _owned(db, config, user_id, record_id)
    if row.state != "kept":
        row.state = "kept"
        row.accepted_at = now
        db.flush()
    return _record(wallet, row)


def decline(db: Session, *, config: WalletConfig, user_id: str, record_id: str) -> None:
    """Throw away a received record the learner does not want (only while it waits)."""
    _, row = _owned(db, config, user_id, record_id)
    if row.state != "pending":
        raise WalletNotFound("pending record")
    db.delete(row)
    db.flush()


def delete_record(db: Session, *, config: WalletConfig, user_id: str, record_id: str,
                  now: datetime | None = None) -> None:
    """Remove a record from the wallet for good, and from every share that holds it."""
    wallet, row = _owned(db, config, user_id, record_id)
    from openler.wallet import sharing  # sharing builds on this module

    sharing.forget_record(db, config=config, wallet=wallet, user_id=user_id, record_id=row.id,
                          now=now or datetime.now(UTC))
    db.delete(row)
    db.flush()


def records(db: Session, *, config: WalletConfig, user_id: str) -> list[Record]:
    """Every record of the learner's wallet, newest first (empty before the first one)."""
    wallet = _open(db, config, user_id)
    if wallet is None:
        return []
    rows = db.scalars(select(WalletRecord).where(WalletRecord.wallet_id == wallet.id)
                      .order_by(WalletRecord.received_at.desc(), WalletRecord.id))
    return [_record(wallet, row) for row in rows]


def by_issuer(items: list[Record]) -> list[IssuerGroup]:
    """Kept records grouped by issuer (groups by name), each group newest first."""
    groups: dict[str, IssuerGroup] = {}
    for item in items:
        if item.state != "kept":
            continue
        key = item.summary.issuer_id or item.summary.issuer_name
        group = groups.setdefault(key, IssuerGroup(item.summary.issuer_name,
                                                   item.summary.issuer_id))
        group.records.append(item)
    for group in groups.values():
        group.records.sort(key=lambda r: (r.summary.issued_on, r.received_at), reverse=True)
    return sorted(groups.values(), key=lambda g: (g.issuer_name.casefold(), g.issuer_id))


def check_now(db: Session, *, config: WalletConfig, record: Record, now: datetime,
              language: str = "en") -> CheckReport:
    """Verify a held record again, now (its status is read from the issuer's list)."""
    result = verification.check(db, credential=record.credential, config=config.issuer,
                                now=now, language=language, fetcher=config.fetcher,
                                allow_private=config.allow_private)
    return CheckReport.of(result, now=now)
