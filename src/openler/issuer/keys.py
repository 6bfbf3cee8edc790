"""Organization signing keys: created on demand, encrypted at rest, rotated without breaking.

Spec: W3C Controlled Identifiers 1.0, section 2.2.2 (Multikey) for the public
keys published in the did:web document; NIST SP 800-38D (AES-GCM) with a
96-bit random nonce per row and RFC 5869 (HKDF-SHA256) to derive the
encryption key from the application's secret setting. The associated data
binds each ciphertext to its row id, organization and algorithm, so a secret
copied into another row or organization does not decrypt.

Rotation: a new key becomes the active one; older keys stay listed in the
organization's DID document, so credentials signed with them keep verifying.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.dids import did_web_document
from openler.core.errors import KeyMaterialError
from openler.core.keys.multibase import multibase_decode, split_multicodec
from openler.core.keys.multikey import ALGORITHMS, KeyPair, PublicKey, generate_keypair
from openler.issuer import audit
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.issuer.models import PublicBase
from openler.issuer.ports import LocalKeySigner
from openler.storage.tables import Organization, new_id
from openler.storage.tables_issuer import SigningKey

_HKDF_SALT = b"openler/issuer/signing-keys"
_HKDF_INFO = b"openler signing key encryption v1"


class KeyVault:
    """Encrypts and decrypts secret keys with a key derived from the app secret."""

    __slots__ = ("_aead",)

    def __init__(self, app_secret: str) -> None:
        if not app_secret:
            raise KeyMaterialError("the application secret is empty")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT,
                   info=_HKDF_INFO).derive(app_secret.encode("utf-8"))
        self._aead = AESGCM(key)

    @staticmethod
    def associated_data(row_id: str, org_id: str, algorithm: str) -> bytes:
        """What each ciphertext is bound to."""
        return f"openler-signing-key|{row_id}|{org_id}|{algorithm}".encode()

    def seal(self, secret: bytes, *, row_id: str, org_id: str, algorithm: str
             ) -> tuple[bytes, bytes]:
        """(nonce, ciphertext) for one row."""
        nonce = os.urandom(12)
        aad = self.associated_data(row_id, org_id, algorithm)
        return nonce, self._aead.encrypt(nonce, secret, aad)

    def open(self, nonce: bytes, ciphertext: bytes, *, row_id: str, org_id: str,
             algorithm: str) -> bytes:
        """The secret, or KeyMaterialError if the row was altered or the secret changed."""
        try:
            return self._aead.decrypt(nonce, ciphertext,
                                      self.associated_data(row_id, org_id, algorithm))
        except InvalidTag:
            raise KeyMaterialError("signing key cannot be decrypted (wrong app secret, "
                                   "or the row was altered)") from None


def _raw_secret(pair: KeyPair) -> bytes:
    # secretKeyMultibase = 'z' + base58(2-byte multicodec header + 32-byte secret)
    return split_multicodec(multibase_decode(pair.secret_multibase))[1]


def _organization(db: Session, org_id: str) -> Organization:
    org = db.get(Organization, org_id)
    if org is None:
        raise IssuerNotFound("organization")
    return org


def create_key(db: Session, *, vault: KeyVault, org_id: str, now: datetime,
               algorithm: str = "Ed25519") -> SigningKey:
    """A new signing key for the organization, made the active one (rotation)."""
    if algorithm not in ALGORITHMS:
        raise IssuerInputError(f"Unsupported key algorithm {algorithm!r}; use Ed25519 or P-256.")
    _organization(db, org_id)
    pair = generate_keypair(algorithm)  # type: ignore[arg-type]
    row_id = new_id()
    nonce, sealed = vault.seal(_raw_secret(pair), row_id=row_id, org_id=org_id,
                               algorithm=algorithm)
    for old in _keys(db, org_id):
        if old.active:
            old.active = False
            old.retired_at = now
    row = SigningKey(id=row_id, organization_id=org_id, algorithm=algorithm,
                     public_multibase=pair.public_multibase, nonce=nonce,
                     secret_ciphertext=sealed, active=True, created_at=now)
    db.add(row)
    db.flush()
    return row


def rotate_key(db: Session, *, vault: KeyVault, org_id: str, now: datetime,
               algorithm: str = "Ed25519") -> SigningKey:
    """Make a fresh key active; the old ones stay published for old credentials."""
    row = create_key(db, vault=vault, org_id=org_id, now=now, algorithm=algorithm)
    audit.record(db, org_id=org_id, action="key_rotated", target_type="signing_key",
                 target_id=row.id, target_label=algorithm, now=now)
    return row


def _keys(db: Session, org_id: str) -> list[SigningKey]:
    stmt = (select(SigningKey).where(SigningKey.organization_id == org_id)
            .order_by(SigningKey.created_at, SigningKey.id))
    return list(db.scalars(stmt))


def published_keys(db: Session, *, org_id: str) -> list[SigningKey]:
    """Every key of the organization (active and retired), oldest first."""
    return _keys(db, org_id)


def active_key(db: Session, *, vault: KeyVault, org_id: str, now: datetime,
               algorithm: str = "Ed25519") -> SigningKey:
    """The organization's active key, created on first use."""
    found = next((k for k in _keys(db, org_id) if k.active), None)
    if found is None:
        found = create_key(db, vault=vault, org_id=org_id, now=now, algorithm=algorithm)
    return found


def signer_for(row: SigningKey, *, vault: KeyVault, base: PublicBase) -> LocalKeySigner:
    """A Signer for one stored key, named by its verification method id."""
    secret = vault.open(row.nonce, row.secret_ciphertext, row_id=row.id,
                        org_id=row.organization_id, algorithm=row.algorithm)
    pair = KeyPair(row.algorithm, secret)  # type: ignore[arg-type]
    if pair.public_multibase != row.public_multibase:
        raise KeyMaterialError("stored public key does not match the decrypted secret")
    return LocalKeySigner(pair, verification_method_id(base, row))


def verification_method_id(base: PublicBase, row: SigningKey) -> str:
    """``<org did>#key-<row id>``."""
    return f"{base.org_did(row.organization_id)}#key-{row.id}"


def did_document(db: Session, *, base: PublicBase, org_id: str) -> dict:
    """The organization's did.json: every key it has signed with, so rotation keeps old proofs."""
    rows = _keys(db, org_id)
    if not rows:
        raise IssuerNotFound("DID document")
    methods: Iterable[tuple[str, PublicKey]] = [
        (verification_method_id(base, r), PublicKey.from_multibase(r.public_multibase))
        for r in rows]
    return did_web_document(base.org_did(org_id), methods)
