"""`openler wallet restore FILE --email EMAIL`: restores a backup into the account's empty
wallet with a progress display; a wrong passphrase, an unknown account or a wallet that
has records is refused with its exit code and nothing changes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from openler.cli.main import app
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import backup, service
from openler.wallet.backup import KdfParams
from openler.wallet.crypto import MasterKey
from openler.wallet.models import CheckReport
from openler.wallet.service import WalletConfig

SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
PASS = "a long backup passphrase"
RUNNER = CliRunner()


@pytest.fixture
def config() -> WalletConfig:
    return WalletConfig(master=MasterKey(SECRET),
                        issuer=IssuerConfig(base=PublicBase.parse("http://localhost"),
                                            vault=KeyVault(SECRET)))


@pytest.fixture
def backup_file(tmp_path, clean_db, accounts, config, clock):
    """A backup of a wallet with two records, written to a file."""
    user_id = accounts.learner("ana@example.org", "Ana")
    with storage_db.make_sessionmaker(clean_db)() as s:
        for name in ("Welding", "First aid"):
            service.store(s, config=config, user_id=user_id, now=clock(), source="import",
                          state="kept", report=CheckReport("verified", (), ""),
                          credential={"@context": ["https://www.w3.org/ns/credentials/v2"],
                                      "type": ["VerifiableCredential"],
                                      "issuer": "https://x.example.org",
                                      "credentialSubject": {"name": name}})
        data = backup.create_backup(s, config=config, user_id=user_id, passphrase=PASS,
                                    confirm=PASS, now=clock(),
                                    kdf=KdfParams(memory_cost=8, time_cost=1, parallelism=1))
        s.commit()
    path = tmp_path / "backup.json"
    path.write_bytes(data)
    return path


def _run(database_url, path, email, passphrase=PASS):
    return RUNNER.invoke(app, ["wallet", "restore", str(path), "--email", email], env={
        "OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": SECRET,
        "OPENLER_BACKUP_PASSPHRASE": passphrase})


def _count(clean_db, config, user_id):
    with storage_db.make_sessionmaker(clean_db)() as s:
        return len(service.records(s, config=config, user_id=user_id))


def test_restore_into_an_empty_wallet(database_url, clean_db, accounts, config, backup_file):
    other = accounts.learner("otto@example.org", "Otto")
    result = _run(database_url, backup_file, "Otto@Example.org")
    assert result.exit_code == 0, result.output
    assert "2 records" in result.output and "did:key:" in result.output
    assert _count(clean_db, config, other) == 2


def test_refusals_change_nothing(database_url, clean_db, accounts, config, backup_file):
    other = accounts.learner("otto@example.org", "Otto")
    wrong = _run(database_url, backup_file, "otto@example.org", passphrase="not it at all")
    assert wrong.exit_code == 1 and "passphrase does not open" in wrong.output
    assert _count(clean_db, config, other) == 0
    nobody = _run(database_url, backup_file, "nobody@example.org")
    assert nobody.exit_code == 2 and "no account" in nobody.output
    missing = _run(database_url, backup_file.with_name("nope.json"), "otto@example.org")
    assert missing.exit_code == 2
    full = _run(database_url, backup_file, "ana@example.org")  # the original wallet
    assert full.exit_code == 1 and "already has records" in full.output
