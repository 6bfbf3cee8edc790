"""A new version of a self-reported record, in place of the old one, without breaking shares.

Spec: W3C VC Data Model 2.0, sections 4.13 (presentations) and 7.1; VC Data Integrity
1.0, section 2.1. A signed credential cannot be changed, so an edit signs a new
credential and seals it into the same wallet row: the record keeps its id, so every
presentation that lists it still does. Each such presentation, and each live share of
it, is then signed again over the new version with the share's own ``challenge`` and
``domain`` (the same idea as ``sharing.forget_record``, which signs them again without a
deleted record), so a link already sent shows the new version and still verifies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.storage.tables_wallet import WalletRecord
from openler.storage.tables_wallet_shares import (
    WalletPresentation,
    WalletPresentationItem,
    WalletShare,
)
from openler.wallet import presentations, service, sharing, verification
from openler.wallet.errors import WalletNotFound
from openler.wallet.keys import OpenWallet
from openler.wallet.models import FORMAT_DATA_INTEGRITY, CheckReport, Record


def replace(db: Session, *, config: service.WalletConfig, wallet: OpenWallet, user_id: str,
            record_id: str, credential: dict[str, Any], now: datetime,
            language: str = "en") -> Record:
    """Seal ``credential`` into the record's row (checked now) and re-sign what shares it."""
    row = db.get(WalletRecord, record_id)
    if row is None or row.wallet_id != wallet.id:
        raise WalletNotFound("record")
    old = service.get_record(db, config=config, user_id=user_id, record_id=record_id)
    result = verification.check(db, credential=credential, config=config.issuer, now=now,
                                language=language, fetcher=config.fetcher,
                                allow_private=config.allow_private)
    report = CheckReport.of(result, now=now)
    row.nonce, row.ciphertext = wallet.data_key.seal(
        {"credential": credential, "arrival": report.to_dict(), "source": old.source,
         "format": FORMAT_DATA_INTEGRITY},
        purpose=service.RECORD_PURPOSE, row_id=row.id)
    db.flush()
    resign_holding(db, config=config, wallet=wallet, user_id=user_id, record_id=row.id,
                   now=now)
    return service.get_record(db, config=config, user_id=user_id, record_id=row.id)


def resign_holding(db: Session, *, config: service.WalletConfig, wallet: OpenWallet,
                   user_id: str, record_id: str, now: datetime) -> int:
    """Sign again every presentation and live share that holds the record; how many shares."""
    holding = dict.fromkeys(db.scalars(select(WalletPresentationItem.presentation_id)
                                       .where(WalletPresentationItem.record_id == record_id)))
    signed_shares = 0
    for presentation_id in holding:
        row = db.get(WalletPresentation, presentation_id)
        if row is None or row.wallet_id != wallet.id:
            continue
        records = presentations.remaining(db, config=config, user_id=user_id,
                                          presentation_id=presentation_id)
        chosen = presentations.resign(db, wallet=wallet, row=row, records=records, now=now)
        for share in db.scalars(select(WalletShare)
                                .where(WalletShare.presentation_id == presentation_id)):
            if share.stopped_at is not None or share.link_ciphertext is None:
                continue  # stopped, or expired and erased: nothing to sign again
            # The share's sealed parts, read and written as sharing.forget_record does.
            token = str(sharing._learner_part(wallet, share)["token"])
            content = sharing._open_link(token, share)
            content.update(sharing._signed(wallet, records, chosen, now=now,
                                           challenge=content.get("challenge"),
                                           domain=content.get("domain")))
            share.link_nonce, share.link_ciphertext = sharing._seal_link(token, share.id,
                                                                         content)
            signed_shares += 1
    db.flush()
    return signed_shares
