"""Encrypted wallet backup: the whole wallet (key pair, records, self-reported entries,
presentations, shares with their view log, preferences) round-trips into another
instance's empty wallet; a wrong passphrase, a changed byte, a cut file or an unknown
version each give their own error and change nothing."""

from __future__ import annotations

import json

import pytest
from backup_helpers import self_reported
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from openler.issuer.service import IssuerConfig
from openler.storage.tables_wallet import Wallet
from openler.storage.tables_wallet_shares import WalletShare
from openler.wallet import backup, preferences, presentations, service, sharing
from openler.wallet.backup import BackupError, InvalidBackupInput, KdfParams
from openler.wallet.crypto import MasterKey
from openler.wallet.keys import ensure_wallet
from openler.wallet.service import WalletConfig

CHEAP = KdfParams(memory_cost=8, time_cost=1, parallelism=1)
PASS = "a long backup passphrase"


@pytest.fixture
def full_wallet(session, wallet_config, learner_id, offer, clock):
    """A wallet with a kept claimed record, a pending one, a self-reported entry, a
    presentation, a share opened twice then stopped, an active share, and a hidden skill."""
    claimed = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                         token=offer[1], now=clock())
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=claimed.id,
                   now=clock())
    clock.advance(minutes=1)
    own = self_reported(session, wallet_config, learner_id, clock)
    clock.advance(minutes=1)
    waiting = service.store(session, config=wallet_config, user_id=learner_id,
                            credential=dict(claimed.credential), source="import", now=clock())
    pres = presentations.create(session, config=wallet_config, user_id=learner_id,
                                name="For Acme", record_ids=[own.id, claimed.id], now=clock())
    first = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="Acme Hiring",
                                 purpose="Job application", expiry="7", now=clock())
    for _ in range(2):
        clock.advance(hours=1)
        sharing.open_link(session, config=wallet_config, token=first.token, now=clock())
    sharing.stop_share(session, config=wallet_config, user_id=learner_id, share_id=first.id,
                       now=clock())
    sharing.create_share(session, config=wallet_config, user_id=learner_id,
                         presentation_id=pres.id, audience="Beta Corp", purpose="Interview",
                         expiry="never", now=clock())
    wallet = ensure_wallet(session, master=wallet_config.master, user_id=learner_id, now=clock())
    preferences.update(session, wallet=wallet, now=clock(), hidden_skills=["Welding"])
    session.commit()
    return {"claimed": claimed, "own": own, "waiting": waiting, "presentation": pres}


@pytest.fixture
def other_instance(issuer_config):
    """The same database read by an instance with another secret (another master key)."""
    return WalletConfig(master=MasterKey("another-instance-secret"),
                        issuer=IssuerConfig(base=issuer_config.base,
                                            vault=issuer_config.vault))


def _backup(session, config, user_id, clock):
    return backup.create_backup(session, config=config, user_id=user_id, passphrase=PASS,
                                confirm=PASS, now=clock(), kdf=CHEAP)


def _comparable(record):
    return (record.credential, record.format, record.source, record.arrival, record.state,
            record.received_at, record.summary)


def test_round_trip_brings_back_the_whole_wallet(session, wallet_config, other_instance,
                                                 learner_id, other_learner_id, full_wallet,
                                                 clock):
    before = service.records(session, config=wallet_config, user_id=learner_id)
    did = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    data = _backup(session, wallet_config, learner_id, clock)
    assert b"Welding" not in data and b"Acme" not in data and did.encode() not in data
    envelope = json.loads(data)
    assert envelope["kdf"]["name"] == "argon2id" and envelope["aead"]["name"] == "AES-256-GCM"

    summary = backup.restore_backup(session, config=other_instance, user_id=other_learner_id,
                                    data=data, passphrase=PASS, now=clock())
    session.commit()
    assert summary.did == did
    assert (summary.records, summary.self_reported, summary.presentations, summary.shares) == \
        (3, 1, 1, 2)
    after = service.records(session, config=other_instance, user_id=other_learner_id)
    assert sorted(map(_comparable, after), key=repr) == sorted(map(_comparable, before), key=repr)
    assert {r.id for r in after}.isdisjoint({r.id for r in before})
    assert service.wallet_did(session, config=other_instance, user_id=other_learner_id,
                              now=clock()) == did
    [own] = [r for r in after if r.source == "self"]
    assert own.self_reported
    for record in after:
        report = service.check_now(session, config=other_instance, record=record, now=clock())
        assert report.outcome == "verified", report

    [pres] = presentations.listing(session, config=other_instance, user_id=other_learner_id)
    assert pres.name == "For Acme"
    assert [r.credential for r in pres.records] == [full_wallet["own"].credential,
                                                    full_wallet["claimed"].credential]
    assert pres.vp == full_wallet["presentation"].vp
    restored = sharing.shares_of(session, config=other_instance, user_id=other_learner_id)
    assert {(s.audience, s.purpose, s.stop_reason, len(s.views)) for s in restored} == {
        ("Acme Hiring", "Job application", "restored", 2),
        ("Beta Corp", "Interview", "restored", 0)}
    assert all(s.state(clock()) == "stopped" for s in restored)
    for share in restored:  # the tokens were never handed out, and open nothing anyway
        with pytest.raises(sharing.ShareRefused) as refused:
            sharing.open_link(session, config=other_instance, token=share.token, now=clock())
        assert refused.value.reason == "stopped"
    wallet = ensure_wallet(session, master=other_instance.master, user_id=other_learner_id,
                           now=clock())
    assert preferences.load(session, wallet=wallet) == {"hidden_skills": ["Welding"]}


def test_restore_into_an_empty_wallet_made_on_a_first_visit_replaces_its_key(
        session, wallet_config, other_instance, learner_id, other_learner_id, full_wallet,
        clock):
    fresh = service.wallet_did(session, config=other_instance, user_id=other_learner_id,
                               now=clock())
    data = _backup(session, wallet_config, learner_id, clock)
    summary = backup.restore_backup(session, config=other_instance, user_id=other_learner_id,
                                    data=data, passphrase=PASS, now=clock())
    assert summary.did != fresh
    assert session.scalar(select(func.count()).select_from(Wallet)
                          .where(Wallet.user_id == other_learner_id)) == 1


def _state(session):
    return (session.scalar(select(func.count()).select_from(Wallet)),
            session.scalar(select(func.count()).select_from(WalletShare)))


def _refused(session, config, user_id, data, clock, passphrase=PASS) -> str:
    before = _state(session)
    with pytest.raises(BackupError) as caught:
        backup.restore_backup(session, config=config, user_id=user_id, data=data,
                              passphrase=passphrase, now=clock())
    assert _state(session) == before
    return caught.value.code


def test_wrong_passphrase(session, wallet_config, other_instance, learner_id,
                          other_learner_id, full_wallet, clock):
    data = _backup(session, wallet_config, learner_id, clock)
    assert _refused(session, other_instance, other_learner_id, data, clock,
                    passphrase=PASS + "!") == "passphrase"


def test_a_changed_byte_in_the_ciphertext_or_header_is_tampering(
        session, wallet_config, other_instance, learner_id, other_learner_id, full_wallet,
        clock):
    data = _backup(session, wallet_config, learner_id, clock)
    envelope = json.loads(data)
    text = envelope["ciphertext"]
    middle = len(text) // 2
    envelope["ciphertext"] = text[:middle] + ("A" if text[middle] != "A" else "B") + \
        text[middle + 1:]
    assert _refused(session, other_instance, other_learner_id,
                    json.dumps(envelope).encode(), clock) == "tampered"
    envelope = json.loads(data)
    envelope["created"] = "2020-01-01T00:00:00+00:00"  # the header is associated data
    assert _refused(session, other_instance, other_learner_id,
                    json.dumps(envelope).encode(), clock) == "tampered"


def test_a_truncated_file(session, wallet_config, other_instance, learner_id,
                          other_learner_id, full_wallet, clock):
    data = _backup(session, wallet_config, learner_id, clock)
    assert _refused(session, other_instance, other_learner_id, data[: len(data) // 2],
                    clock) == "truncated"
    envelope = json.loads(data)
    envelope["ciphertext"] = envelope["ciphertext"][:-40]
    assert _refused(session, other_instance, other_learner_id,
                    json.dumps(envelope).encode(), clock) == "truncated"


def test_unknown_version_and_not_a_backup(session, wallet_config, other_instance, learner_id,
                                          other_learner_id, full_wallet, clock):
    envelope = json.loads(_backup(session, wallet_config, learner_id, clock))
    envelope["version"] = 2
    assert _refused(session, other_instance, other_learner_id,
                    json.dumps(envelope).encode(), clock) == "version"
    assert _refused(session, other_instance, other_learner_id, b'{"hello": 1}',
                    clock) == "not_backup"
    assert _refused(session, other_instance, other_learner_id, b"\x89PNG\r\n",
                    clock) == "not_backup"


def test_kdf_parameters_beyond_the_limits_are_refused_before_argon2_runs(
        session, wallet_config, other_instance, learner_id, other_learner_id, full_wallet,
        clock):
    envelope = json.loads(_backup(session, wallet_config, learner_id, clock))
    envelope["kdf"]["memory_cost"] = 64 * 1024 * 1024  # 64 GiB
    assert _refused(session, other_instance, other_learner_id,
                    json.dumps(envelope).encode(), clock) == "tampered"


def test_a_wallet_with_records_is_refused(session, wallet_config, learner_id, full_wallet,
                                          clock):
    data = _backup(session, wallet_config, learner_id, clock)
    count = len(service.records(session, config=wallet_config, user_id=learner_id))
    assert _refused(session, wallet_config, learner_id, data, clock) == "not_empty"
    assert len(service.records(session, config=wallet_config, user_id=learner_id)) == count


@pytest.mark.parametrize(("passphrase", "confirm", "errors"), [
    ("", "", {"passphrase": "required", "confirm_passphrase": "required"}),
    ("short one", "short one", {"passphrase": "too_short"}),
    (PASS, PASS + "x", {"confirm_passphrase": "mismatch"}),
    ("x" * 2000, "x" * 2000, {"passphrase": "too_long"}),
])
def test_passphrase_rules(session, wallet_config, learner_id, clock, passphrase, confirm,
                          errors):
    with pytest.raises(InvalidBackupInput) as caught:
        backup.create_backup(session, config=wallet_config, user_id=learner_id,
                             passphrase=passphrase, confirm=confirm, now=clock(), kdf=CHEAP)
    assert caught.value.errors == errors


def test_the_default_key_derivation_is_at_least_owasp_level():
    assert backup.DEFAULT_KDF.memory_cost >= 19 * 1024 and backup.DEFAULT_KDF.time_cost >= 2
    data = backup.encrypt({"kind": "x"}, passphrase=PASS)
    assert json.loads(data)["kdf"]["memory_cost"] == backup.DEFAULT_KDF.memory_cost
    assert backup.decrypt(data, passphrase=PASS) == {"kind": "x"}


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=st.dictionaries(st.text(max_size=8), JSON, max_size=5),
       position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_ciphertext_byte_refuses_and_the_rest_round_trips(content, position,
                                                                       flip):
    data = backup.encrypt(content, passphrase=PASS, kdf=CHEAP)
    assert backup.decrypt(data, passphrase=PASS) == content
    envelope = json.loads(data)
    raw = bytearray(backup._unb64(envelope["ciphertext"], "c"))
    raw[position % len(raw)] ^= flip
    envelope["ciphertext"] = backup._b64(bytes(raw))
    with pytest.raises(BackupError) as caught:
        backup.decrypt(json.dumps(envelope).encode(), passphrase=PASS)
    assert caught.value.code == "tampered"
