"""Encrypted wallet backup: one file that restores the whole wallet into any OpenLER instance.

Spec: RFC 9106 (Argon2id; parameters at RFC 9106's second recommended option,
64 MiB, 3 passes, 4 lanes, above the OWASP Password Storage Cheat Sheet
minimum of 19 MiB and 2 passes), NIST SP 800-38D (AES-256-GCM with a 96-bit
random nonce) and RFC 8259 (JSON).

File format ``openler-wallet-backup`` version 1: a UTF-8 JSON object,

    {"format": "openler-wallet-backup", "version": 1,
     "kdf": {"name": "argon2id", "memory_cost": 65536, "time_cost": 3,
             "parallelism": 4, "salt": "<base64url, 16 bytes>"},
     "aead": {"name": "AES-256-GCM", "nonce": "<base64url, 12 bytes>"},
     "key_check": "<base64url, 16 bytes>", "length": <ciphertext bytes>,
     "ciphertext": "<base64url>"}

Argon2id turns the passphrase and salt into 64 bytes: the first 32 are the
AES-256-GCM key, the last 32 only make ``key_check`` (HMAC-SHA256 over the
fixed label, first 16 bytes), which tells a wrong passphrase apart from a
damaged file (it depends only on the passphrase, salt and Argon2 parameters,
so it reveals nothing the AEAD tag would not). The header is every member but ``ciphertext`` and ``key_check``,
serialised as JSON with sorted keys and no spaces; it is the AEAD's
associated data, so changing any header value makes the file refuse to open.
``memory_cost`` is in KiB. A reader refuses KDF parameters outside
``KDF_LIMITS`` before running Argon2 (a crafted file cannot make the server
spend gigabytes). The plaintext is the JSON wallet snapshot described in
``openler.wallet.backup_content`` (the key pair, records, presentations,
shares with their view log, preferences).

Threat model: the file holds the learner's private key and every record, so
it is sealed under the passphrase alone (not under any server key): whoever
holds the file must guess the passphrase, and each guess costs an Argon2id run.
It protects the file in a download folder, a cloud drive or an email; it does
not protect against a weak passphrase, nor against a server that is
compromised while the learner downloads or restores (the server decrypts the
wallet to build the file, as it does to show any page; see
``openler.wallet.crypto``). The export (``openler.wallet.export``) is not
encrypted at all.

Errors: every problem is a ``BackupError`` with a ``code``: "not_backup",
"truncated", "version", "passphrase", "tampered", "too_large", "not_empty";
nothing in the wallet changes when one is raised. Passphrase rules for a new
backup: at least ``PASSPHRASE_MIN`` characters, typed twice the same.

Restore (``restore_backup``): only into a wallet with no records (the wallet
is refused with "not_empty" otherwise: the learner deletes records first or
uses another account, so two wallets are never merged by surprise). The
learner's key pair comes back (the same did:key, so records bound to it still
belong to the learner); everything is sealed again under this instance's
keys; shares come back stopped, marked "restored" (their links belonged to
the old instance and are not recreated), with their settings and view log.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from openler.wallet import backup_content
from openler.wallet.errors import WalletError
from openler.wallet.service import WalletConfig

FORMAT = "openler-wallet-backup"
VERSION = 1
AEAD_NAME = "AES-256-GCM"
KDF_NAME = "argon2id"
PASSPHRASE_MIN = 12
PASSPHRASE_MAX = 1024
MAX_FILE_BYTES = 64 * 1024 * 1024
_SALT_BYTES = 16
_NONCE_BYTES = 12
_CHECK_BYTES = 16
_CHECK_INFO = b"openler wallet backup key check v1"


class BackupError(WalletError):
    """A backup cannot be made or read: ``code`` says why, for the learner's page."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"backup refused: {code}" + (f" ({detail})" if detail else ""))
        self.code = code
        self.detail = detail


class InvalidBackupInput(WalletError):
    """The passphrase fields are not right: ``errors`` maps each field to a code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"invalid input: {sorted(errors)}")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost: memory in KiB, passes, lanes."""

    memory_cost: int = 65536
    time_cost: int = 3
    parallelism: int = 4


DEFAULT_KDF = KdfParams()
# What a reader accepts (min, max) before running Argon2 on a file's say-so.
KDF_LIMITS = {"memory_cost": (8, 256 * 1024), "time_cost": (1, 8), "parallelism": (1, 8)}


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    """What a restore brought back, to tell the learner."""

    did: str
    records: int
    self_reported: int
    presentations: int
    shares: int
    preferences: bool


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise BackupError("not_backup", f"{what} is not text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise BackupError("tampered", f"{what} is not base64url") from None


def _header_bytes(envelope: dict[str, Any]) -> bytes:
    header = {k: v for k, v in envelope.items() if k not in ("ciphertext", "key_check")}
    return json.dumps(header, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("ascii")


def _derive(passphrase: str, salt: bytes, kdf: KdfParams) -> tuple[bytes, bytes]:
    raw = hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=kdf.time_cost,
                          memory_cost=kdf.memory_cost, parallelism=kdf.parallelism,
                          hash_len=64, type=Type.ID)
    return raw[:32], raw[32:]


def _key_check(check_key: bytes) -> bytes:
    return hmac.new(check_key, _CHECK_INFO, hashlib.sha256).digest()[:_CHECK_BYTES]


def check_passphrase(passphrase: str, confirm: str) -> None:
    """InvalidBackupInput unless the passphrase is long enough and typed twice the same."""
    errors: dict[str, str] = {}
    if not passphrase:
        errors["passphrase"] = "required"
    elif len(passphrase) < PASSPHRASE_MIN:
        errors["passphrase"] = "too_short"
    elif len(passphrase) > PASSPHRASE_MAX:
        errors["passphrase"] = "too_long"
    if not confirm:
        errors["confirm_passphrase"] = "required"
    elif "passphrase" not in errors and confirm != passphrase:
        errors["confirm_passphrase"] = "mismatch"
    if errors:
        raise InvalidBackupInput(errors)


def encrypt(snapshot: dict[str, Any], *, passphrase: str, kdf: KdfParams = DEFAULT_KDF,
            created: datetime | None = None) -> bytes:
    """The backup file for a wallet snapshot, sealed under the passphrase."""
    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    plain = json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    length = len(plain) + 16  # AES-GCM adds a 16-byte tag
    envelope: dict[str, Any] = {
        "format": FORMAT, "version": VERSION,
        "kdf": {"name": KDF_NAME, "memory_cost": kdf.memory_cost, "time_cost": kdf.time_cost,
                "parallelism": kdf.parallelism, "salt": _b64(salt)},
        "aead": {"name": AEAD_NAME, "nonce": _b64(nonce)}, "length": length}
    if created is not None:
        envelope["created"] = created.replace(microsecond=0).isoformat()
    header = _header_bytes(envelope)
    key, check_key = _derive(passphrase, salt, kdf)
    ciphertext = AESGCM(key).encrypt(nonce, plain, header)
    envelope["key_check"] = _b64(_key_check(check_key))
    envelope["ciphertext"] = _b64(ciphertext)
    return (json.dumps(envelope, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def _parse(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_FILE_BYTES:
        raise BackupError("too_large")
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        if FORMAT.encode() in data[:200]:
            raise BackupError("truncated", "the file ends before the JSON does") from None
        raise BackupError("not_backup") from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise BackupError("not_backup")
    if envelope.get("version") != VERSION:
        raise BackupError("version", str(envelope.get("version")))
    return envelope


def _kdf_of(envelope: dict[str, Any]) -> tuple[KdfParams, bytes]:
    kdf = envelope.get("kdf")
    aead = envelope.get("aead")
    if not isinstance(kdf, dict) or kdf.get("name") != KDF_NAME:
        raise BackupError("version", "key derivation")
    if not isinstance(aead, dict) or aead.get("name") != AEAD_NAME:
        raise BackupError("version", "encryption")
    values: dict[str, int] = {}
    for name, (low, high) in KDF_LIMITS.items():
        value = kdf.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise BackupError("tampered", f"kdf {name} out of range")
        values[name] = value
    if values["memory_cost"] < 8 * values["parallelism"]:
        raise BackupError("tampered", "kdf memory below 8 KiB per lane")
    salt = _unb64(kdf.get("salt"), "salt")
    if len(salt) < 8:
        raise BackupError("tampered", "salt too short")
    return KdfParams(**values), salt


def decrypt(data: bytes, *, passphrase: str) -> dict[str, Any]:
    """The wallet snapshot inside a backup file (BackupError with its code otherwise)."""
    envelope = _parse(data)
    kdf, salt = _kdf_of(envelope)
    nonce = _unb64(envelope["aead"].get("nonce"), "nonce")
    ciphertext = _unb64(envelope.get("ciphertext"), "ciphertext")
    check = _unb64(envelope.get("key_check"), "key check")
    if len(nonce) != _NONCE_BYTES:
        raise BackupError("tampered", "nonce length")
    length = envelope.get("length")
    if isinstance(length, int) and len(ciphertext) < length:
        raise BackupError("truncated", "the encrypted part is shorter than announced")
    header = _header_bytes(envelope)
    key, check_key = _derive(passphrase, salt, kdf)
    if not hmac.compare_digest(check, _key_check(check_key)):
        raise BackupError("passphrase")
    try:
        plain = AESGCM(key).decrypt(nonce, ciphertext, header)
    except InvalidTag:
        raise BackupError("tampered") from None
    try:
        snapshot = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupError("tampered", "content is not JSON") from None
    if not isinstance(snapshot, dict):
        raise BackupError("tampered", "content is not an object")
    return snapshot


def create_backup(db: Session, *, config: WalletConfig, user_id: str, passphrase: str,
                  confirm: str, now: datetime, kdf: KdfParams = DEFAULT_KDF) -> bytes:
    """The learner's whole wallet as one encrypted file (the wallet is made if missing)."""
    check_passphrase(passphrase, confirm)
    snapshot = backup_content.snapshot(db, config=config, user_id=user_id, now=now)
    return encrypt(snapshot, passphrase=passphrase, kdf=kdf, created=now)


def restore_backup(db: Session, *, config: WalletConfig, user_id: str, data: bytes,
                   passphrase: str, now: datetime,
                   progress: backup_content.Progress | None = None) -> RestoreSummary:
    """Bring a backup into this learner's empty wallet, sealed under this instance's keys.

    ``progress(step, done, total)`` is told of each step ("open", "key", "records",
    "presentations", "shares", "preferences"), for a progress display."""
    if not passphrase:
        raise InvalidBackupInput({"passphrase": "required"})
    tell = progress or backup_content.quiet
    snapshot = decrypt(data, passphrase=passphrase)
    tell("open", 1, 1)
    try:
        counts = backup_content.restore(db, config=config, user_id=user_id,
                                        snapshot=snapshot, now=now, progress=tell)
    except backup_content.WalletNotEmpty:
        raise BackupError("not_empty") from None
    except backup_content.SnapshotInvalid as exc:
        raise BackupError("tampered", str(exc)) from None
    return RestoreSummary(**counts)
