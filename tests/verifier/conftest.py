"""Fixtures for the verifier's service tests: a hiring organization, and a learner whose
wallet keeps a course record (Data Integrity, bound to the wallet's did:key) and an
SD-JWT VC bound to the wallet's key; an in-memory "HTTP" that serves the request object
to the wallet client straight from the service."""

from __future__ import annotations

import pytest
from verifier_material import BASE, SECRET, sd_jwt_for

from openler.core.dids import FetchResponse
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.verifier import requests
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.wallet.keys import open_wallet
from openler.wallet.models import FORMAT_SD_JWT, CheckReport
from openler.wallet.service import WalletConfig


@pytest.fixture
def session(clean_db):
    s = storage_db.make_sessionmaker(clean_db)()
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def issuer_config() -> IssuerConfig:
    return IssuerConfig(base=PublicBase.parse(BASE), vault=KeyVault(SECRET))


@pytest.fixture
def wallet_config(issuer_config) -> WalletConfig:
    return WalletConfig(master=MasterKey(SECRET), issuer=issuer_config)


@pytest.fixture
def hiring_org(accounts) -> str:
    return accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]


@pytest.fixture
def learner(accounts, session, issuer_config, wallet_config, clock):
    """(learner id, kept Data Integrity record, kept SD-JWT record)."""
    _, college = accounts.org_owner("owner@college.example", "Example College")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    course = catalog.create_achievement(
        session, config=issuer_config, org_id=college, now=clock(),
        data=AchievementInput(name="Welding Basics", description="Safe MIG welding.",
                              criteria="Passed the practical assessment."))
    row = awards.award(session, config=issuer_config, org_id=college, achievement_id=course.id,
                       recipient_email="learner@example.org", now=clock())
    new = offers.create_offer(session, org_id=college, award_id=row.id, now=clock())
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=new.token, now=clock())
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=record.id,
                   now=clock())
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    sd = sd_jwt_for(wallet.keypair().public_key(), clock())
    sd_record = service.store(session, config=wallet_config, user_id=learner_id, credential=sd,
                              source="import", now=clock(), record_format=FORMAT_SD_JWT,
                              state="kept",
                              report=CheckReport("verified", (), clock().isoformat()))
    session.commit()
    return learner_id, record, sd_record


class ServiceHttp:
    """The wallet client's fetcher, answered by the verifier's services in-process."""

    def __init__(self, session, clock, issuer_config) -> None:
        self.session = session
        self.clock = clock
        self.issuer = issuer_config
        self.posted: list[tuple[str, dict[str, str]]] = []

    def fetch(self, url: str, *, headers=None) -> FetchResponse:
        request_id = url.rstrip("/").split("/")[-2]
        try:
            payload = requests.request_object(self.session, request_id=request_id,
                                              base_url=BASE, now=self.clock())
        except requests.RequestUnavailable:
            return FetchResponse(404, b'{"error":"invalid_request"}', {})
        return FetchResponse(200, requests.unsecured_jwt(payload).encode(), {})

    def post(self, url: str, *, form=None, json_body=None, headers=None) -> FetchResponse:
        import json

        from openler.verifier import responses

        self.posted.append((url, dict(form or {})))
        request_id = url.rstrip("/").split("/")[-2]
        try:
            body = responses.receive_response(self.session, request_id=request_id,
                                              form=form or {}, base_url=BASE,
                                              issuer=self.issuer, now=self.clock())
        except responses.ResponseRefused as exc:
            return FetchResponse(exc.status, json.dumps(
                {"error": exc.error, "error_description": exc.description}).encode(), {})
        return FetchResponse(200, json.dumps(body).encode(), {})


@pytest.fixture
def http(session, clock, issuer_config) -> ServiceHttp:
    return ServiceHttp(session, clock, issuer_config)
