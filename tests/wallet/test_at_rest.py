"""Privacy at rest: what someone with only the database sees of a wallet. The rows
(and, on SQLite, the raw database file) contain neither the credential nor the
learner's private key, public key or DID, nor the issuer's or achievement's names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from openler.storage.tables_wallet import Wallet, WalletRecord
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.wallet.errors import WalletUnreadable
from openler.wallet.keys import open_wallet
from openler.wallet.service import WalletConfig


def _needles(record, session, wallet_config, learner_id, clock) -> dict[str, bytes]:
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    pair = wallet.keypair()
    return {
        "credential JSON": json.dumps(record.credential, separators=(",", ":")).encode()[:60],
        "credential id": record.credential["id"].encode(),
        "proof value": record.credential["proof"][0]["proofValue"].encode()
        if isinstance(record.credential["proof"], list)
        else record.credential["proof"]["proofValue"].encode(),
        "achievement": b"Welding Basics",
        "criteria": b"Passed the practical assessment.",
        "secret key": pair.secret_multibase.encode(),
        "public key": pair.public_multibase.encode(),
        "DID": wallet.did.encode(),
    }


def _kept(session, wallet_config, learner_id, token, clock):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=token, now=clock())
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=record.id,
                   now=clock())
    session.commit()
    return record


def test_wallet_rows_hold_nothing_in_clear(session, wallet_config, learner_id, offer, clock):
    _, token = offer
    record = _kept(session, wallet_config, learner_id, token, clock)
    needles = _needles(record, session, wallet_config, learner_id, clock)
    rows = []
    for table in (Wallet.__table__, WalletRecord.__table__):
        for row in session.execute(table.select()).mappings():
            rows.append(b"|".join(
                value if isinstance(value, bytes) else str(value).encode()
                for value in row.values()))
    assert len(rows) == 2
    dump = b"\n".join(rows)
    for name, needle in needles.items():
        assert needle not in dump, f"{name} found in clear in the wallet tables"
    # ... and the stored ciphertext does open to the record.
    assert service.get_record(session, config=wallet_config, user_id=learner_id,
                              record_id=record.id).credential == record.credential


def test_raw_database_file_has_no_wallet_secrets(session, wallet_config, learner_id, offer,
                                                 clock):
    """Grep the database itself: the SQLite file and its log, or PostgreSQL's text form of
    the rows (bytea shown as hex). The issuer's own tables on this instance do name the
    subject DID (which spells the public key) and the credential id (see the threat
    model), so those are checked above only."""
    _, token = offer
    record = _kept(session, wallet_config, learner_id, token, clock)
    needles = {k: v for k, v in _needles(record, session, wallet_config, learner_id,
                                         clock).items()
               if k in ("secret key", "proof value")}
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(FULL)"))
        path = Path(bind.url.database)
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert b"wallet_records" in raw  # the right file
    else:
        raw = "\n".join(session.scalars(text(
            "SELECT t::text FROM wallets t UNION ALL SELECT r::text FROM wallet_records r"
        ))).encode()
        assert len(raw) > 100
    for name, needle in needles.items():
        assert needle not in raw, f"{name} found in the raw database"
        assert needle.hex().encode() not in raw, f"{name} found (hex) in the raw database"


def test_a_record_moved_into_another_wallet_does_not_open(
        session, wallet_config, learner_id, other_learner_id, offer, clock):
    """Someone with write access to the database cannot hand one learner's record to another."""
    _, token = offer
    record = _kept(session, wallet_config, learner_id, token, clock)
    service.wallet_did(session, config=wallet_config, user_id=other_learner_id, now=clock())
    theirs = open_wallet(session, master=wallet_config.master, user_id=other_learner_id)
    row = session.get(WalletRecord, record.id)
    row.wallet_id = theirs.id
    session.commit()
    with pytest.raises(WalletUnreadable):
        service.get_record(session, config=wallet_config, user_id=other_learner_id,
                           record_id=record.id)


def test_an_altered_row_or_another_app_secret_reads_nothing(
        session, wallet_config, learner_id, offer, clock):
    _, token = offer
    record = _kept(session, wallet_config, learner_id, token, clock)
    elsewhere = WalletConfig(master=MasterKey("another-secret"), issuer=wallet_config.issuer)
    with pytest.raises(WalletUnreadable):
        service.records(session, config=elsewhere, user_id=learner_id)
    row = session.get(WalletRecord, record.id)
    row.ciphertext = row.ciphertext[:-1] + bytes([row.ciphertext[-1] ^ 1])
    session.commit()
    with pytest.raises(WalletUnreadable):
        service.get_record(session, config=wallet_config, user_id=learner_id,
                           record_id=record.id)
