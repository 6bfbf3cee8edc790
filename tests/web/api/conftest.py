"""Fixtures for the VC-API tests: organizations with API tokens, credentials to issue."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from openler.issuer import tokens
from openler.storage import db as storage_db
from openler.storage.tables import User

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

UNDEFINED_TERMS = "https://www.w3.org/ns/credentials/undefined-terms/v2"

_CREDENTIAL: dict[str, Any] = {
    "@context": [VC_V2, UNDEFINED_TERMS],
    "type": ["VerifiableCredential", "CourseCompletionCredential"],
    "name": "Statistics 101",
    "credentialSubject": {
        "id": "did:example:learner-7f3a",
        "course": "Statistics 101",
        "grade": "A",
    },
}

_OB_CREDENTIAL: dict[str, Any] = {
    "@context": [VC_V2, OB_V3],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Data Analysis with Python",
    "credentialSubject": {
        "id": "did:example:learner-7f3a",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://school.example/achievements/data-analysis",
            "type": ["Achievement"],
            "name": "Data Analysis with Python",
            "description": "Completed the data analysis micro-credential.",
            "criteria": {"narrative": "Pass the three graded projects."},
        },
    },
}


@dataclass
class OrgAccess:
    """An organization, its owner and a working API token."""

    org_id: str
    user_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_org(accounts, engine, email: str, name: str) -> OrgAccess:
    user_id, org_id = accounts.org_owner(email, name)
    with storage_db.make_sessionmaker(engine)() as s:
        user = s.get(User, user_id)
        _row, token = tokens.create_api_token(
            s, user=user, org_id=org_id, name="ci", now=accounts.clock()
        )
        s.commit()
    return OrgAccess(org_id, user_id, token)


@pytest.fixture
def issuer_org(accounts, clean_db) -> OrgAccess:
    return make_org(accounts, clean_db, "owner@school.example", "Example School")


@pytest.fixture
def other_org(accounts, clean_db) -> OrgAccess:
    return make_org(accounts, clean_db, "owner@other.example", "Other Academy")


@pytest.fixture
def credential() -> dict[str, Any]:
    return copy.deepcopy(_CREDENTIAL)


@pytest.fixture
def ob_credential() -> dict[str, Any]:
    return copy.deepcopy(_OB_CREDENTIAL)


@pytest.fixture
def session(clean_db):
    """A database session for service calls next to the app (commit to make them visible)."""
    s = storage_db.make_sessionmaker(clean_db)()
    yield s
    s.rollback()
    s.close()
