"""The learner's own key: one Ed25519 key pair per wallet, named by a did:key.

Spec: W3C Controlled Identifiers 1.0, section 2.2.2 (Multikey) and The did:key
Method v0.9 (the DID is derived from the public key, so nothing has to be
published). The key pair is stored sealed with the learner's data key (see
``openler.wallet.crypto``); a wallet is made on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys.multikey import KeyPair, generate_keypair
from openler.storage.tables import new_id
from openler.storage.tables_wallet import Wallet
from openler.wallet.crypto import MASTER_VERSION, DataKey, MasterKey
from openler.wallet.errors import WalletUnreadable

KEY_PURPOSE = "key"


@dataclass(frozen=True)
class OpenWallet:
    """A wallet row with its data key unwrapped, for the length of one request."""

    row: Wallet
    data_key: DataKey

    @property
    def id(self) -> str:
        """The wallet's row id."""
        return self.row.id

    def keypair(self) -> KeyPair:
        """The learner's key pair (decrypted; never stored or logged in clear)."""
        data = self.data_key.open(self.row.key_nonce, self.row.key_ciphertext,
                                  purpose=KEY_PURPOSE, row_id=self.row.user_id)
        pair = KeyPair.from_multibase(data["secret"], public_multibase=data["public"])
        did = did_key_from_public(pair.public_key())
        return KeyPair.from_multibase(data["secret"], id=did_key_vm_id(pair.public_key()),
                                      controller=did)

    @property
    def did(self) -> str:
        """The wallet's identifier, put into ``credentialSubject.id`` of what it receives."""
        return did_key_from_public(self.keypair().public_key())


def _create(db: Session, master: MasterKey, user_id: str, now: datetime) -> Wallet:
    wallet_id = new_id()
    data_key, dk_nonce, dk_wrapped = master.new_data_key(wallet_id=wallet_id, user_id=user_id)
    pair = generate_keypair("Ed25519")
    key_nonce, key_sealed = data_key.seal(
        {"algorithm": pair.algorithm, "secret": pair.secret_multibase,
         "public": pair.public_multibase}, purpose=KEY_PURPOSE, row_id=user_id)
    row = Wallet(id=wallet_id, user_id=user_id, master_version=MASTER_VERSION,
                 data_key_nonce=dk_nonce, data_key_wrapped=dk_wrapped, key_nonce=key_nonce,
                 key_ciphertext=key_sealed, created_at=now)
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:  # a concurrent request made the wallet first
        found = db.scalars(select(Wallet).where(Wallet.user_id == user_id)).first()
        if found is None:
            raise
        return found
    return row


def find_wallet(db: Session, *, user_id: str) -> Wallet | None:
    """The learner's wallet row, if one was made."""
    return db.scalars(select(Wallet).where(Wallet.user_id == user_id)).first()


def _unwrap(master: MasterKey, row: Wallet) -> OpenWallet:
    if row.master_version != MASTER_VERSION:
        raise WalletUnreadable("data key (unknown master key version)")
    data_key = master.unwrap(row.data_key_nonce, row.data_key_wrapped, wallet_id=row.id,
                             user_id=row.user_id)
    return OpenWallet(row, data_key)


def open_wallet(db: Session, *, master: MasterKey, user_id: str) -> OpenWallet | None:
    """The learner's wallet with its data key, or None before it was first needed."""
    row = find_wallet(db, user_id=user_id)
    return _unwrap(master, row) if row is not None else None


def ensure_wallet(db: Session, *, master: MasterKey, user_id: str, now: datetime) -> OpenWallet:
    """The learner's wallet, made (with a fresh data key and key pair) on first use."""
    row = find_wallet(db, user_id=user_id) or _create(db, master, user_id, now)
    return _unwrap(master, row)
