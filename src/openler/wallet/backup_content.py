"""What a wallet backup holds, taken out of the database and put back in.

Spec: none beyond the wallet's own storage (``openler.wallet.crypto``,
``openler.storage.tables_wallet``, ``openler.storage.tables_wallet_shares``);
the encryption of the file is ``openler.wallet.backup``. Snapshot (JSON):

    {"kind": "openler-wallet", "did": "did:key:...", "created_at": ..., "taken_at": ...,
     "key": {"algorithm", "secret", "public"},
     "records": [{"id", "state", "received_at", "accepted_at",
                  "payload": {"credential", "arrival", "source", "format"}}],
     "presentations": [{"id", "name", "vp", "created_at", "records": [record id, ...]}],
     "shares": [{"presentation", "audience", "purpose", "expiry", "created_at",
                 "expires_at", "stopped_at", "stop_reason", "views": [time, ...]}],
     "preferences": {...}}

Ids in a snapshot only link its parts together; a restore gives every row a
new id. Share link tokens are not kept: a restored share is stopped (reason
"restored") under a fresh random token that was never handed out, so no old
or new link opens it, while its settings and view log stay readable.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from openler.core.dids import did_key_from_public
from openler.core.errors import KeyMaterialError
from openler.core.keys.multikey import KeyPair
from openler.storage.tables import new_id
from openler.storage.tables_wallet import Wallet, WalletPreference, WalletRecord
from openler.storage.tables_wallet_shares import (
    WalletPresentation,
    WalletPresentationItem,
    WalletShare,
    WalletShareView,
)
from openler.wallet import preferences
from openler.wallet.crypto import MASTER_VERSION
from openler.wallet.keys import KEY_PURPOSE, OpenWallet, ensure_wallet, find_wallet, open_wallet
from openler.wallet.presentations import PRESENTATION_PURPOSE, record_ids_of
from openler.wallet.service import RECORD_PURPOSE, WalletConfig
from openler.wallet.sharing import EXPIRY_DAYS, SHARE_PURPOSE, token_hash

KIND = "openler-wallet"
Progress = Callable[[str, int, int], None]  # (step, done, total): for a progress display


def quiet(step: str, done: int, total: int) -> None:
    """No progress display."""


RESTORED = "restored"  # stop_reason of a share brought back from a backup


class WalletNotEmpty(Exception):
    """The wallet already holds records: a restore would mix two wallets."""


class SnapshotInvalid(Exception):
    """The decrypted content is not a wallet snapshot this version understands."""


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _expiry_choice(created: datetime, expires: datetime | None) -> str:
    if expires is None:
        return "never"
    days = round((expires - created).total_seconds() / 86400)
    return next((k for k, v in EXPIRY_DAYS.items() if v == days), str(days))


def _record_items(db: Session, wallet: OpenWallet) -> list[dict[str, Any]]:
    rows = db.scalars(select(WalletRecord).where(WalletRecord.wallet_id == wallet.id)
                      .order_by(WalletRecord.received_at, WalletRecord.id))
    return [{"id": row.id, "state": row.state, "received_at": _when(row.received_at),
             "accepted_at": _when(row.accepted_at),
             "payload": wallet.data_key.open(row.nonce, row.ciphertext, purpose=RECORD_PURPOSE,
                                             row_id=row.id)} for row in rows]


def _presentation_items(db: Session, wallet: OpenWallet) -> list[dict[str, Any]]:
    items = []
    for row in db.scalars(select(WalletPresentation)
                          .where(WalletPresentation.wallet_id == wallet.id)
                          .order_by(WalletPresentation.created_at, WalletPresentation.id)):
        data = wallet.data_key.open(row.nonce, row.ciphertext, purpose=PRESENTATION_PURPOSE,
                                    row_id=row.id)
        items.append({"id": row.id, "name": data["name"], "vp": data["vp"],
                      "created_at": _when(row.created_at), "records": record_ids_of(db, row.id)})
    return items


def _share_items(db: Session, wallet: OpenWallet) -> list[dict[str, Any]]:
    items = []
    for row in db.scalars(select(WalletShare).where(WalletShare.wallet_id == wallet.id)
                          .order_by(WalletShare.created_at, WalletShare.id)):
        data = wallet.data_key.open(row.learner_nonce, row.learner_ciphertext,
                                    purpose=SHARE_PURPOSE, row_id=row.id)
        views = db.scalars(select(WalletShareView.viewed_at)
                           .where(WalletShareView.share_id == row.id)
                           .order_by(WalletShareView.viewed_at))
        items.append({"presentation": row.presentation_id, "audience": data["audience"],
                      "purpose": data["purpose"],
                      "expiry": _expiry_choice(row.created_at, row.expires_at),
                      "created_at": _when(row.created_at), "expires_at": _when(row.expires_at),
                      "stopped_at": _when(row.stopped_at), "stop_reason": row.stop_reason,
                      "views": [_when(v) for v in views]})
    return items


def snapshot(db: Session, *, config: WalletConfig, user_id: str,
             now: datetime) -> dict[str, Any]:
    """The learner's whole wallet in clear, for the backup file to seal at once."""
    wallet = ensure_wallet(db, master=config.master, user_id=user_id, now=now)
    key = wallet.data_key.open(wallet.row.key_nonce, wallet.row.key_ciphertext,
                               purpose=KEY_PURPOSE, row_id=user_id)
    return {"kind": KIND, "did": wallet.did, "created_at": _when(wallet.row.created_at),
            "taken_at": _when(now), "key": key, "records": _record_items(db, wallet),
            "presentations": _presentation_items(db, wallet),
            "shares": _share_items(db, wallet),
            "preferences": preferences.load(db, wallet=wallet)}


def _time(value: Any, what: str, *, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise SnapshotInvalid(f"{what} is not a time") from None
    if moment.tzinfo is None:
        raise SnapshotInvalid(f"{what} has no time zone")
    return moment


def _list(snap: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = snap.get(name, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SnapshotInvalid(f"{name} is not a list of objects")
    return items


def _keypair(snap: dict[str, Any]) -> KeyPair:
    key = snap.get("key")
    if not isinstance(key, dict):
        raise SnapshotInvalid("no key pair")
    try:
        pair = KeyPair.from_multibase(str(key.get("secret")), public_multibase=key.get("public"))
    except (KeyMaterialError, ValueError) as exc:
        raise SnapshotInvalid(f"key pair: {exc}") from None
    if snap.get("did") and did_key_from_public(pair.public_key()) != snap["did"]:
        raise SnapshotInvalid("the key pair does not match the wallet's DID")
    return pair


def erase_wallet(db: Session, *, user_id: str, now: datetime) -> bool:
    """Stop every share (erasing what its link showed), then delete the whole wallet."""
    row = find_wallet(db, user_id=user_id)
    if row is None:
        return False
    shares = list(db.scalars(select(WalletShare).where(WalletShare.wallet_id == row.id)))
    for share in shares:
        if share.stopped_at is None:
            share.stopped_at, share.stop_reason = now, "learner"
        share.link_nonce = share.link_ciphertext = None
    db.flush()
    share_ids = [s.id for s in shares]
    presentation_ids = list(db.scalars(select(WalletPresentation.id)
                                       .where(WalletPresentation.wallet_id == row.id)))
    if share_ids:
        db.execute(delete(WalletShareView).where(WalletShareView.share_id.in_(share_ids)))
        db.execute(delete(WalletShare).where(WalletShare.id.in_(share_ids)))
    if presentation_ids:
        db.execute(delete(WalletPresentationItem)
                   .where(WalletPresentationItem.presentation_id.in_(presentation_ids)))
        db.execute(delete(WalletPresentation).where(WalletPresentation.id.in_(presentation_ids)))
    db.execute(delete(WalletRecord).where(WalletRecord.wallet_id == row.id))
    db.execute(delete(WalletPreference).where(WalletPreference.wallet_id == row.id))
    db.execute(delete(Wallet).where(Wallet.id == row.id))
    db.expire_all()
    return True


def _new_wallet(db: Session, config: WalletConfig, user_id: str, key: dict[str, Any],
                created: datetime) -> OpenWallet:
    wallet_id = new_id()
    data_key, dk_nonce, dk_wrapped = config.master.new_data_key(wallet_id=wallet_id,
                                                                user_id=user_id)
    key_nonce, key_sealed = data_key.seal(
        {"algorithm": key["algorithm"], "secret": key["secret"], "public": key["public"]},
        purpose=KEY_PURPOSE, row_id=user_id)
    db.add(Wallet(id=wallet_id, user_id=user_id, master_version=MASTER_VERSION,
                  data_key_nonce=dk_nonce, data_key_wrapped=dk_wrapped, key_nonce=key_nonce,
                  key_ciphertext=key_sealed, created_at=created))
    db.flush()
    opened = open_wallet(db, master=config.master, user_id=user_id)
    assert opened is not None
    return opened


def _records(db: Session, wallet: OpenWallet, items: list[dict[str, Any]],
             progress: Progress) -> dict[str, str]:
    new_ids: dict[str, str] = {}
    for done, item in enumerate(items, 1):
        payload = item.get("payload")
        if not isinstance(payload, dict) or "credential" not in payload:
            raise SnapshotInvalid("a record has no credential")
        record_id = new_id()
        nonce, sealed = wallet.data_key.seal(payload, purpose=RECORD_PURPOSE, row_id=record_id)
        kept = item.get("state") == "kept"
        received = _time(item.get("received_at"), "received_at")
        db.add(WalletRecord(id=record_id, wallet_id=wallet.id,
                            state="kept" if kept else "pending", nonce=nonce, ciphertext=sealed,
                            received_at=received,
                            accepted_at=_time(item.get("accepted_at"), "accepted_at",
                                              optional=True) if kept else None))
        new_ids[str(item.get("id"))] = record_id
        progress("records", done, len(items))
    db.flush()
    return new_ids


def _presentations(db: Session, wallet: OpenWallet, items: list[dict[str, Any]],
                   record_ids: dict[str, str]) -> dict[str, str]:
    new_ids: dict[str, str] = {}
    for item in items:
        row_id = new_id()
        nonce, sealed = wallet.data_key.seal({"name": str(item.get("name", "")),
                                              "vp": item.get("vp") or {}},
                                             purpose=PRESENTATION_PURPOSE, row_id=row_id)
        db.add(WalletPresentation(id=row_id, wallet_id=wallet.id, nonce=nonce,
                                  ciphertext=sealed,
                                  created_at=_time(item.get("created_at"), "created_at")))
        db.flush()
        members = [record_ids[str(r)] for r in item.get("records", []) if str(r) in record_ids]
        for position, record_id in enumerate(members):
            db.add(WalletPresentationItem(id=new_id(), presentation_id=row_id,
                                          record_id=record_id, position=position))
        new_ids[str(item.get("id"))] = row_id
    db.flush()
    return new_ids


def _shares(db: Session, wallet: OpenWallet, items: list[dict[str, Any]],
            presentation_ids: dict[str, str], now: datetime) -> int:
    count = 0
    for item in items:
        presentation_id = presentation_ids.get(str(item.get("presentation")))
        if presentation_id is None:
            continue  # a share of a presentation the snapshot does not hold
        share_id, token = new_id(), secrets.token_urlsafe(32)  # never handed out
        learner_nonce, learner_sealed = wallet.data_key.seal(
            {"token": token, "audience": str(item.get("audience", "")),
             "purpose": str(item.get("purpose", ""))}, purpose=SHARE_PURPOSE, row_id=share_id)
        stopped = _time(item.get("stopped_at"), "stopped_at", optional=True)
        db.add(WalletShare(id=share_id, wallet_id=wallet.id, presentation_id=presentation_id,
                           token_hash=token_hash(token), learner_nonce=learner_nonce,
                           learner_ciphertext=learner_sealed, link_nonce=None,
                           link_ciphertext=None,
                           created_at=_time(item.get("created_at"), "created_at"),
                           expires_at=_time(item.get("expires_at"), "expires_at", optional=True),
                           stopped_at=stopped or now, stop_reason=RESTORED))
        db.flush()
        for seen in item.get("views", []):
            db.add(WalletShareView(id=new_id(), share_id=share_id,
                                   viewed_at=_time(seen, "view")))
        count += 1
    db.flush()
    return count


def restore(db: Session, *, config: WalletConfig, user_id: str, snapshot: dict[str, Any],
            now: datetime, progress: Progress = quiet) -> dict[str, Any]:
    """Write a snapshot into the learner's empty wallet; all or nothing (a savepoint)."""
    if snapshot.get("kind") != KIND:
        raise SnapshotInvalid("not a wallet snapshot")
    pair = _keypair(snapshot)
    records = _list(snapshot, "records")
    presentation_items = _list(snapshot, "presentations")
    share_items = _list(snapshot, "shares")
    settings = snapshot.get("preferences") or {}
    if not isinstance(settings, dict):
        raise SnapshotInvalid("preferences is not an object")
    existing = find_wallet(db, user_id=user_id)
    if existing is not None and db.scalar(select(func.count()).select_from(WalletRecord)
                                          .where(WalletRecord.wallet_id == existing.id)):
        raise WalletNotEmpty()
    with db.begin_nested():
        if existing is not None:  # an empty wallet (made on a first visit): replaced whole
            erase_wallet(db, user_id=user_id, now=now)
        created = _time(snapshot.get("created_at") or now.isoformat(), "created_at") or now
        wallet = _new_wallet(db, config, user_id, {
            "algorithm": pair.algorithm, "secret": pair.secret_multibase,
            "public": pair.public_multibase}, created)
        progress("key", 1, 1)
        record_ids = _records(db, wallet, records, progress)
        presentation_ids = _presentations(db, wallet, presentation_items, record_ids)
        progress("presentations", len(presentation_items), len(presentation_items))
        shares = _shares(db, wallet, share_items, presentation_ids, now)
        progress("shares", shares, shares)
        if settings:
            preferences.save(db, wallet=wallet, settings=settings, now=now)
        progress("preferences", 1, 1)
    self_reported = sum(1 for r in records if r["payload"].get("source") == "self")
    return {"did": wallet.did, "records": len(records), "self_reported": self_reported,
            "presentations": len(presentation_items), "shares": shares,
            "preferences": bool(settings)}


def wallet_counts(db: Session, *, user_id: str) -> dict[str, int]:
    """How much the wallet holds (rows only, nothing decrypted), for the leaving page."""
    row = find_wallet(db, user_id=user_id)
    if row is None:
        return {"records": 0, "presentations": 0, "shares": 0, "live_shares": 0}

    def count(table: Any, *where: Any) -> int:
        return int(db.scalar(select(func.count()).select_from(table).where(*where)) or 0)

    return {"records": count(WalletRecord, WalletRecord.wallet_id == row.id),
            "presentations": count(WalletPresentation, WalletPresentation.wallet_id == row.id),
            "shares": count(WalletShare, WalletShare.wallet_id == row.id),
            "live_shares": count(WalletShare, WalletShare.wallet_id == row.id,
                                 WalletShare.stopped_at.is_(None),
                                 WalletShare.link_ciphertext.is_not(None))}
