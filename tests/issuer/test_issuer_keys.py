"""Signing keys: encrypted at rest with bound associated data, rotation, did:web document."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from openler.core.errors import KeyMaterialError
from openler.core.keys.multikey import KeyPair, PublicKey
from openler.issuer import keys
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.issuer.keys import KeyVault
from openler.issuer.ports import LocalKeySigner, Signer


def test_vault_round_trip_and_binding():
    vault = KeyVault("s3cret")
    nonce, sealed = vault.seal(b"k" * 32, row_id="r1", org_id="o1", algorithm="Ed25519")
    assert b"k" * 32 not in sealed
    assert vault.open(nonce, sealed, row_id="r1", org_id="o1", algorithm="Ed25519") == b"k" * 32
    for moved in ({"row_id": "r2", "org_id": "o1"}, {"row_id": "r1", "org_id": "o2"}):
        with pytest.raises(KeyMaterialError):
            vault.open(nonce, sealed, algorithm="Ed25519", **moved)
    with pytest.raises(KeyMaterialError):
        KeyVault("another secret").open(nonce, sealed, row_id="r1", org_id="o1",
                                        algorithm="Ed25519")
    assert vault.seal(b"k" * 32, row_id="r1", org_id="o1", algorithm="Ed25519")[0] != nonce


def test_key_created_on_demand_and_signs(session, org_id, config, clock):
    assert keys.published_keys(session, org_id=org_id) == []
    row = keys.active_key(session, vault=config.vault, org_id=org_id, now=clock())
    assert keys.active_key(session, vault=config.vault, org_id=org_id, now=clock()).id == row.id
    signer = keys.signer_for(row, vault=config.vault, base=config.base)
    assert isinstance(signer, Signer) and isinstance(signer, LocalKeySigner)
    assert signer.algorithm == "Ed25519"
    assert signer.verification_method == (
        f"did:web:badges.example.org:orgs:{org_id}#key-{row.id}")
    signature = signer.sign(b"hello")
    assert PublicKey.from_multibase(row.public_multibase).verify(b"hello", signature)


def test_secret_is_not_stored_in_clear(session, org_id, config, clock):
    row = keys.active_key(session, vault=config.vault, org_id=org_id, now=clock())
    session.commit()
    raw = session.execute(text("SELECT secret_ciphertext FROM signing_keys")).scalar_one()
    secret = config.vault.open(row.nonce, row.secret_ciphertext, row_id=row.id,
                               org_id=org_id, algorithm=row.algorithm)
    assert len(secret) == 32
    assert secret not in raw and len(raw) == 32 + 16  # ciphertext plus the GCM tag
    assert KeyPair("Ed25519", secret).public_multibase == row.public_multibase


def test_tampered_row_does_not_decrypt(session, org_id, config, clock):
    row = keys.active_key(session, vault=config.vault, org_id=org_id, now=clock())
    row.organization_id = "elsewhere"  # as if the row were copied to another organization
    with pytest.raises(KeyMaterialError):
        keys.signer_for(row, vault=config.vault, base=config.base)


def test_p256_and_unknown_algorithms(session, org_id, config, clock):
    row = keys.create_key(session, vault=config.vault, org_id=org_id, now=clock(),
                          algorithm="P-256")
    signer = keys.signer_for(row, vault=config.vault, base=config.base)
    assert signer.algorithm == "P-256"
    assert PublicKey.from_multibase(row.public_multibase).verify(b"m", signer.sign(b"m"))
    with pytest.raises(IssuerInputError):
        keys.create_key(session, vault=config.vault, org_id=org_id, now=clock(), algorithm="RSA")
    with pytest.raises(IssuerNotFound):
        keys.create_key(session, vault=config.vault, org_id="nope", now=clock())


def test_rotation_keeps_old_keys_published(session, org_id, config, clock):
    first = keys.active_key(session, vault=config.vault, org_id=org_id, now=clock())
    clock.advance(days=1)
    second = keys.rotate_key(session, vault=config.vault, org_id=org_id, now=clock())
    assert second.active and not first.active and first.retired_at == clock()
    active = keys.active_key(session, vault=config.vault, org_id=org_id, now=clock())
    assert active.id == second.id
    doc = keys.did_document(session, base=config.base, org_id=org_id)
    assert doc["id"] == f"did:web:badges.example.org:orgs:{org_id}"
    ids = [m["id"] for m in doc["verificationMethod"]]
    assert ids == [keys.verification_method_id(config.base, r) for r in (first, second)]
    assert doc["assertionMethod"] == ids
    # the old key still decrypts and signs, e.g. for a delayed status list
    old = keys.signer_for(first, vault=config.vault, base=config.base)
    assert PublicKey.from_multibase(first.public_multibase).verify(b"x", old.sign(b"x"))


def test_no_document_without_keys(session, org_id, config):
    with pytest.raises(IssuerNotFound):
        keys.did_document(session, base=config.base, org_id=org_id)
