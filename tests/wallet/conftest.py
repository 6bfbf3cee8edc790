"""Fixtures for wallet service tests: an organization that awards a course to a learner
by email, a claim offer for it, and the wallet's configuration on the same instance."""

from __future__ import annotations

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet.crypto import MasterKey
from openler.wallet.service import WalletConfig

SECRET = "wallet-test-secret"
COURSE = AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                          criteria="Passed the practical assessment.")


@pytest.fixture
def session(clean_db):
    s = storage_db.make_sessionmaker(clean_db)()
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def issuer_config() -> IssuerConfig:
    return IssuerConfig(base=PublicBase.parse("https://badges.example.org"),
                        vault=KeyVault(SECRET))


@pytest.fixture
def wallet_config(issuer_config) -> WalletConfig:
    return WalletConfig(master=MasterKey(SECRET), issuer=issuer_config)


@pytest.fixture
def org_id(accounts) -> str:
    return accounts.org_owner("owner@college.example", "Example College")[1]


@pytest.fixture
def learner_id(accounts) -> str:
    return accounts.learner("learner@example.org", "Ana Learner")


@pytest.fixture
def other_learner_id(accounts) -> str:
    return accounts.learner("other@example.org", "Otto Other")


@pytest.fixture
def offer(session, issuer_config, org_id, clock):
    """(award row, claim token) for a course awarded to learner@example.org."""
    course = catalog.create_achievement(session, config=issuer_config, org_id=org_id,
                                        data=COURSE, now=clock())
    row = awards.award(session, config=issuer_config, org_id=org_id, achievement_id=course.id,
                       recipient_email="learner@example.org", now=clock())
    new = offers.create_offer(session, org_id=org_id, award_id=row.id, now=clock())
    session.commit()
    return row, new.token
