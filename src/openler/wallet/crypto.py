"""Privacy at rest for the learner wallet: a data key per learner, wrapped by a master key.

Spec: NIST SP 800-38D (AES-256-GCM, a fresh 96-bit random nonce for every
encryption) and RFC 5869 (HKDF-SHA256: the master key is derived from the
application's ``secret_key`` setting, as ``openler.issuer.keys.KeyVault`` does
for organization keys, with its own salt and info so the two keys differ).

Layout. Each wallet gets a random 256-bit data key. The data key is stored
wrapped (encrypted) by the master key; the learner's private key and every
record are stored encrypted by the data key. The associated data of each
ciphertext names what it belongs to (wallet, account, record), so a
ciphertext copied into another row or another learner's wallet does not
decrypt.

Threat model.
- Protects against: someone who reads the database only (a stolen dump or
  backup, a database administrator, a leaked replica). They see ids, owners,
  timestamps and whether a record waits for the learner's answer; they do not
  see any record's content (issuer, achievement, name, results), the
  learner's private key, or the wallet's public identifier (DID).
- Also detected: tampering with a stored ciphertext (AES-GCM authentication);
  the record then cannot be opened instead of showing altered content.
- Does not protect against: anyone who has both the database and the
  server's ``secret_key`` (server operators, an attacker on the running
  server, a memory dump): the server must decrypt to show pages, so this is
  encryption by the server, not end-to-end encryption under a key only the
  learner holds. Rotating ``secret_key`` without re-wrapping the data keys
  makes every wallet unreadable (``master_version`` is kept for a future
  re-wrap).
- Outside this scheme: the issuer side of this instance keeps its own
  records in clear (awards with the learner's email, issued credentials with
  the subject DID, claim offers saying they were taken into an account), so a
  database reader can still tell that a credential issued here was collected;
  sizes and times of stored records are visible; the learner's email and name
  are account data, not wallet data.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from openler.wallet.errors import WalletUnreadable

MASTER_VERSION = 1
_HKDF_SALT = b"openler/wallet/master-key"
_HKDF_INFO = b"openler wallet data key wrapping v1"
_NONCE_BYTES = 12
DATA_KEY_BYTES = 32


def _open(aead: AESGCM, nonce: bytes, ciphertext: bytes, aad: bytes, what: str) -> bytes:
    try:
        return aead.decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise WalletUnreadable(what) from None


class MasterKey:
    """Wraps and unwraps the learners' data keys with a key derived from the app secret."""

    __slots__ = ("_aead",)

    def __init__(self, app_secret: str) -> None:
        if not app_secret:
            raise ValueError("the application secret is empty")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT,
                   info=_HKDF_INFO).derive(app_secret.encode("utf-8"))
        self._aead = AESGCM(key)

    @staticmethod
    def _aad(wallet_id: str, user_id: str) -> bytes:
        return f"openler-wallet-data-key|v{MASTER_VERSION}|{wallet_id}|{user_id}".encode()

    def new_data_key(self, *, wallet_id: str, user_id: str) -> tuple[DataKey, bytes, bytes]:
        """A fresh data key for one wallet, with its (nonce, wrapped form) to store."""
        raw = os.urandom(DATA_KEY_BYTES)
        nonce = os.urandom(_NONCE_BYTES)
        wrapped = self._aead.encrypt(nonce, raw, self._aad(wallet_id, user_id))
        return DataKey(raw, wallet_id=wallet_id), nonce, wrapped

    def unwrap(self, nonce: bytes, wrapped: bytes, *, wallet_id: str, user_id: str) -> DataKey:
        """The wallet's data key; WalletUnreadable if the row or the app secret changed."""
        raw = _open(self._aead, nonce, wrapped, self._aad(wallet_id, user_id), "data key")
        return DataKey(raw, wallet_id=wallet_id)


class DataKey:
    """One learner's data key: seals and opens JSON documents bound to a purpose and row."""

    __slots__ = ("_aead", "wallet_id")

    def __init__(self, raw: bytes, *, wallet_id: str) -> None:
        if len(raw) != DATA_KEY_BYTES:
            raise ValueError("a wallet data key is 32 bytes")
        self._aead = AESGCM(raw)
        self.wallet_id = wallet_id

    def _aad(self, purpose: str, row_id: str) -> bytes:
        return f"openler-wallet-{purpose}|{self.wallet_id}|{row_id}".encode()

    def seal(self, document: Any, *, purpose: str, row_id: str) -> tuple[bytes, bytes]:
        """(nonce, ciphertext) of a JSON document for one row."""
        plain = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        nonce = os.urandom(_NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plain, self._aad(purpose, row_id))

    def open(self, nonce: bytes, ciphertext: bytes, *, purpose: str, row_id: str) -> Any:
        """The JSON document; WalletUnreadable if it was altered or moved to another row."""
        plain = _open(self._aead, nonce, ciphertext, self._aad(purpose, row_id), purpose)
        return json.loads(plain.decode("utf-8"))
