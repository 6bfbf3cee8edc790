"""Over real HTTP (uvicorn on loopback): issue with a token, then verify, resolving the
organization's did:web document and its status list through the SSRF-guarded fetcher."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient

from openler.core.dids import DidResolver
from openler.core.errors import AddressNotAllowedError
from openler.core.verify import VerificationContext, verify_credential
from openler.net import SafeHttpFetcher
from openler.settings import Settings
from openler.web.app import create_app

pytestmark = pytest.mark.e2e


def test_issue_and_verify_over_real_http(live_server, issuer_org, credential, tmp_path):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        issued = http.post(
            "/credentials/issue", json={"credential": credential}, headers=issuer_org.headers
        )
        assert issued.status_code == 201, issued.text
        vc = issued.json()["verifiableCredential"]
        port = live_server.port
        assert vc["issuer"] == f"did:web:127.0.0.1%3A{port}:orgs:{issuer_org.org_id}"

        # 1. The instance verifies its own credential (resolving its DID locally).
        local = http.post("/credentials/verify", json={"verifiableCredential": vc})
        assert local.status_code == 200 and local.json()["verified"] is True, local.text

    # 2. An independent verifier resolves did:web and the status list over HTTP.
    with SafeHttpFetcher(allow_private=True) as fetcher:
        ctx = VerificationContext(
            resolver=DidResolver(fetcher=fetcher, web_scheme="http"),
            fetch_status_list=lambda url: json.loads(fetcher.fetch(url).body),
        )
        result = verify_credential(vc, ctx=ctx)
        assert result.verified, result.to_dict()
        assert result.check("status").code == "status.active"

    # ... and without allow_private the same fetch is refused (SSRF guard).
    with SafeHttpFetcher(allow_private=False) as strict, pytest.raises(AddressNotAllowedError):
        strict.fetch(f"{live_server.url}/orgs/{issuer_org.org_id}/did.json")

    # 3. A second OpenLER instance verifies through its API, fetching from the first.
    other = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'verifier.db'}",
            secret_key="another-secret",
            public_url="https://verifier.example",
            fetch_allow_private=True,
        )
    )
    with TestClient(other) as verifier:
        remote = verifier.post("/credentials/verify", json={"verifiableCredential": vc})
        assert remote.status_code == 200
        assert remote.json()["verified"] is True, remote.json()
        tampered = {**vc, "name": "Something else"}
        changed = verifier.post("/credentials/verify", json={"verifiableCredential": tampered})
        assert changed.json()["verified"] is False

    # 4. Without allow_private, the second instance refuses to fetch from loopback.
    guarded = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'guarded.db'}",
            secret_key="another-secret",
            public_url="https://verifier.example",
        )
    )
    with TestClient(guarded) as verifier:
        body = verifier.post("/credentials/verify", json={"verifiableCredential": vc}).json()
        assert body["verified"] is False
        assert body["outcome"] == "incomplete"
        assert body["warnings"]
