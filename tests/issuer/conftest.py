"""Fixtures for issuer service tests: an organization, a session, the issuer config."""

from __future__ import annotations

import pytest

from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db

SECRET = "issuer-test-secret"


@pytest.fixture
def org_id(accounts) -> str:
    return accounts.org_owner("owner@college.example", "Example College")[1]


@pytest.fixture
def session(clean_db):
    s = storage_db.make_sessionmaker(clean_db)()
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def config() -> IssuerConfig:
    return IssuerConfig(base=PublicBase.parse("https://badges.example.org"),
                        vault=KeyVault(SECRET))
