"""Deleting an account: the password confirms it, every share stops and its link opens
nothing, the wallet and everything in it goes, then the account; the only owner of an
organization where others work is refused with the organizations named."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from openler.accounts import service
from openler.accounts.errors import InvalidInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage.tables import Membership, Organization, Passkey, User
from openler.storage.tables_wallet import Wallet, WalletPreference, WalletRecord
from openler.storage.tables_wallet_shares import (
    WalletPresentation,
    WalletPresentationItem,
    WalletShare,
    WalletShareView,
)
from openler.wallet import preferences, presentations, sharing
from openler.wallet import service as wallet_service
from openler.wallet.crypto import MasterKey
from openler.wallet.keys import ensure_wallet
from openler.wallet.models import CheckReport
from openler.wallet.service import WalletConfig

PASSWORD = "correct horse battery"  # tests/conftest.py PASSWORD
WALLET_TABLES = (Wallet, WalletRecord, WalletPreference, WalletPresentation,
                 WalletPresentationItem, WalletShare, WalletShareView)


@pytest.fixture
def config() -> WalletConfig:
    return WalletConfig(master=MasterKey("delete-test-secret"),
                        issuer=IssuerConfig(base=PublicBase.parse("https://x.example.org"),
                                            vault=KeyVault("delete-test-secret")))


def _user(db, user_id):
    return service.current_user(db, user_id=user_id)


def _count(db, table, *where):
    return db.scalar(select(func.count()).select_from(table).where(*where))


@pytest.fixture
def learner_with_shares(db, accounts, config, clock):
    """A learner whose wallet holds a record in a presentation with a live, opened share."""
    user_id = accounts.learner("ana@example.org", "Ana")
    record = wallet_service.store(
        db, config=config, user_id=user_id, now=clock(), source="import", state="kept",
        credential={"@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential"], "issuer": "https://x.example.org",
                    "credentialSubject": {"name": "Welding"}},
        report=CheckReport("not_verified", (), ""))
    pres = presentations.create(db, config=config, user_id=user_id, name="For Acme",
                                record_ids=[record.id], now=clock())
    share = sharing.create_share(db, config=config, user_id=user_id, presentation_id=pres.id,
                                 audience="Acme", purpose="Job", expiry="30", now=clock())
    sharing.open_link(db, config=config, token=share.token, now=clock())
    wallet = ensure_wallet(db, master=config.master, user_id=user_id, now=clock())
    preferences.update(db, wallet=wallet, now=clock(), hidden_skills=["x"])
    db.commit()
    return user_id, share


def test_deleting_stops_shares_and_removes_wallet_and_account(db, config, clock,
                                                              learner_with_shares, accounts):
    user_id, share = learner_with_shares
    other = accounts.learner("otto@example.org", "Otto")
    ensure_wallet(db, master=config.master, user_id=other, now=clock())
    db.commit()
    service.delete_account(db, user=_user(db, user_id), password=PASSWORD, now=clock())
    db.commit()
    assert _user(db, user_id) is None
    assert _count(db, Wallet, Wallet.user_id == user_id) == 0
    for table in WALLET_TABLES[1:]:
        assert _count(db, table) == 0, table.__tablename__
    assert _count(db, Wallet) == 1  # the other learner's wallet is untouched
    with pytest.raises(sharing.ShareRefused):
        sharing.open_link(db, config=config, token=share.token, now=clock())
    with pytest.raises(sharing.ShareRefused):
        sharing.link_document(db, token=share.token, now=clock())
    # the email is free again
    again = service.sign_up(db, name="Ana", email="ana@example.org", password=PASSWORD,
                            account_kind="learner", now=clock())
    assert again.id != user_id


@pytest.mark.parametrize(("password", "code"), [("", "required"), ("wrong password!", "wrong_password")])
def test_the_password_must_confirm_it(db, learner_with_shares, clock, password, code):
    user_id, _ = learner_with_shares
    with pytest.raises(InvalidInput) as caught:
        service.delete_account(db, user=_user(db, user_id), password=password, now=clock())
    assert caught.value.errors == {"password": code}
    assert _user(db, user_id) is not None
    assert _count(db, WalletShare, WalletShare.link_ciphertext.is_not(None)) == 1


def test_the_only_owner_of_an_organization_with_others_is_refused(db, accounts, clock):
    owner_id, org_id = accounts.org_owner("boss@college.example", "Example College")
    staff_id = accounts.learner("staff@college.example", "Staff")
    db.add(Membership(organization_id=org_id, user_id=staff_id, role="issuer_staff"))
    db.commit()
    with pytest.raises(service.SoleOwner) as caught:
        service.delete_account(db, user=_user(db, owner_id), password=PASSWORD, now=clock())
    assert [o.id for o in caught.value.organizations] == [org_id]
    assert _user(db, owner_id) is not None
    # with a second owner, the first may leave; the organization and its people stay
    db.add(Membership(organization_id=org_id, user_id=accounts.learner("co@college.example"),
                      role="owner"))
    db.commit()
    service.delete_account(db, user=_user(db, owner_id), password=PASSWORD, now=clock())
    db.commit()
    assert _user(db, owner_id) is None
    assert db.get(Organization, org_id) is not None
    assert _count(db, Membership, Membership.organization_id == org_id) == 2


def test_an_owner_alone_in_an_organization_may_leave_and_it_stays(db, accounts, clock):
    owner_id, org_id = accounts.org_owner("solo@college.example", "Solo College")
    db.add(Passkey(user_id=owner_id, credential_id=b"k", public_key=b"p", label="phone",
                   created_at=clock()))
    db.commit()
    service.delete_account(db, user=_user(db, owner_id), password=PASSWORD, now=clock())
    db.commit()
    assert _count(db, User, User.id == owner_id) == 0
    assert _count(db, Passkey) == 0 and _count(db, Membership) == 0
    assert db.get(Organization, org_id) is not None  # its issued credentials keep verifying
