"""Multikey encoding, key files and signatures (W3C Controlled Identifiers, Multikey)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.core.errors import KeyMaterialError
from openler.core.keys import (
    KeyPair,
    PublicKey,
    generate_keypair,
    keypair_from_json,
    keypair_to_json,
    multibase_decode,
    multibase_encode,
)
from openler.core.keys.base58 import b58decode, b58encode

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "vectors"
EDDSA_KEY = SHARED / "vc-di-eddsa" / "keyPair.json"
ECDSA_KEY = SHARED / "vc-di-ecdsa" / "p256KeyPair.json"


@given(st.binary(max_size=80))
def test_base58_round_trips_any_bytes(data: bytes) -> None:
    assert b58decode(b58encode(data)) == data


def test_base58_known_values() -> None:
    # "Hello World!" is draft-msporny-base58 section 5; the second keeps two leading zeros.
    assert b58encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert b58encode(bytes.fromhex("0000287fb4cd")) == "11233QC4"
    assert b58decode("11233QC4") == bytes.fromhex("0000287fb4cd")


def test_base58_rejects_foreign_characters() -> None:
    with pytest.raises(ValueError):
        b58decode("0OIl")


def test_multibase_requires_z_prefix() -> None:
    with pytest.raises(KeyMaterialError):
        multibase_decode("f00")
    assert multibase_decode(multibase_encode(b"\x01\x02")) == b"\x01\x02"


@pytest.mark.parametrize(
    "path, algorithm, prefix", [(EDDSA_KEY, "Ed25519", "z6Mk"), (ECDSA_KEY, "P-256", "zDna")]
)
def test_spec_key_files_load_and_public_half_matches(
    path: Path, algorithm: str, prefix: str
) -> None:
    data = json.loads(path.read_text())
    pair = keypair_from_json(data)
    assert pair.algorithm == algorithm
    assert pair.public_multibase == data["publicKeyMultibase"]
    assert pair.public_multibase.startswith(prefix)
    secret = data.get("secretKeyMultibase") or data["privateKeyMultibase"]
    assert pair.secret_multibase == secret


@pytest.mark.parametrize("algorithm, header", [("Ed25519", b"\xed\x01"), ("P-256", b"\x80\x24")])
def test_public_multikey_header_and_length(algorithm: str, header: bytes) -> None:
    pair = generate_keypair(algorithm)
    raw = multibase_decode(pair.public_multibase)
    assert raw[:2] == header
    assert len(raw) == (34 if algorithm == "Ed25519" else 35)
    secret = multibase_decode(pair.secret_multibase)
    assert secret[:2] == (b"\x80\x26" if algorithm == "Ed25519" else b"\x86\x26")
    assert len(secret) == 34


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_sign_verify_and_reject_changed_data(algorithm: str) -> None:
    pair = generate_keypair(algorithm)
    signature = pair.sign(b"hello")
    assert len(signature) == 64
    pub = PublicKey.from_multibase(pair.public_multibase)
    assert pub.verify(b"hello", signature)
    assert not pub.verify(b"hellO", signature)
    assert not pub.verify(b"hello", signature[:-1] + bytes([signature[-1] ^ 1]))
    assert not pub.verify(b"hello", b"short")


def test_p256_signature_is_raw_r_s_rejecting_zero_values() -> None:
    pair = generate_keypair("P-256")
    assert not pair.public_key().verify(b"x", bytes(64))


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_key_file_round_trip_keeps_id_and_controller(algorithm: str) -> None:
    did = "did:web:issuer.example"
    pair = generate_keypair(algorithm, id=f"{did}#key-1", controller=did)
    data = keypair_to_json(pair)
    assert data["type"] == "Multikey"
    assert set(data) == {"type", "id", "controller", "publicKeyMultibase", "secretKeyMultibase"}
    again = keypair_from_json(json.dumps(data))
    assert (again.id, again.controller) == (pair.id, pair.controller)
    assert again.public_multibase == pair.public_multibase
    assert again.public_key().verify(b"m", pair.sign(b"m"))


def test_key_file_with_mismatched_public_key_is_refused() -> None:
    a, b = generate_keypair(), generate_keypair()
    data = keypair_to_json(a) | {"publicKeyMultibase": b.public_multibase}
    with pytest.raises(KeyMaterialError):
        keypair_from_json(data)


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        "[]",
        {"type": "JsonWebKey2020", "secretKeyMultibase": "z1"},
        {"type": "Multikey"},
        {
            "type": "Multikey",
            "secretKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        },
    ],
)
def test_bad_key_files_raise_key_material_error(bad: object) -> None:
    with pytest.raises(KeyMaterialError):
        keypair_from_json(bad)  # type: ignore[arg-type]


def test_public_key_rejects_wrong_lengths_and_headers() -> None:
    with pytest.raises(KeyMaterialError):
        PublicKey("Ed25519", b"\x00" * 31)
    with pytest.raises(KeyMaterialError):
        PublicKey("P-256", b"\x02" + b"\x00" * 31)
    with pytest.raises(KeyMaterialError):
        PublicKey.from_multibase(multibase_encode(b"\x12\x00" + b"\x00" * 32))
    with pytest.raises(KeyMaterialError):
        KeyPair("P-256", b"\x00" * 32)


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.binary(max_size=200))
def test_ed25519_secret_round_trip_and_signature_property(seed: bytes, message: bytes) -> None:
    pair = KeyPair("Ed25519", seed)
    again = KeyPair.from_multibase(pair.secret_multibase, public_multibase=pair.public_multibase)
    assert again.sign(message) == pair.sign(message)  # Ed25519 is deterministic
    assert pair.public_key().verify(message, again.sign(message))
