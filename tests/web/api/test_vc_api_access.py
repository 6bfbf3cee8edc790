"""Who may call what: tokens, tenants (another organization's objects are 404), OpenAPI docs."""

from __future__ import annotations

import pytest

from openler.issuer import service, status_lists, tokens
from openler.issuer.errors import IssuerNotAllowed, IssuerNotFound
from openler.issuer.models import PublicBase
from openler.storage.tables import User
from openler.storage.tables_issuer import ApiToken


def _issue(client, org, credential):
    response = client.post(
        "/credentials/issue", json={"credential": credential}, headers=org.headers
    )
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer olr_not-a-real-token"},
        {"Authorization": "Bearer " + "x" * 5000},
        {"Authorization": "bearer   "},
    ],
)
def test_issue_without_a_valid_token_is_401(client, issuer_org, credential, headers):
    response = client.post("/credentials/issue", json={"credential": credential}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] == "unauthenticated"


def test_unauthenticated_malformed_body_is_still_401(client, issuer_org):
    response = client.post(
        "/credentials/issue", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


def test_revoked_token_stops_working(client, issuer_org, credential, session, clock):
    row = session.query(ApiToken).filter_by(organization_id=issuer_org.org_id).one()
    tokens.revoke_api_token(session, org_id=issuer_org.org_id, token_id=row.id, now=clock())
    session.commit()
    response = client.post(
        "/credentials/issue", json={"credential": credential}, headers=issuer_org.headers
    )
    assert response.status_code == 401


def test_only_a_hash_of_the_token_is_stored(issuer_org, session):
    row = session.query(ApiToken).filter_by(organization_id=issuer_org.org_id).one()
    assert issuer_org.token not in row.token_hash
    assert len(row.token_hash) == 64


def test_only_owners_create_tokens(accounts, session, issuer_org, clock):
    from openler.accounts import service as accounts_service

    staff_id = accounts.learner("staff@school.example", "Staff")
    outsider_id = accounts.learner("out@example.org")
    owner = session.get(User, issuer_org.user_id)
    accounts_service.add_member(
        session,
        user=owner,
        org_id=issuer_org.org_id,
        email="staff@school.example",
        role="issuer_staff",
    )
    staff = session.get(User, staff_id)
    with pytest.raises(IssuerNotAllowed):
        tokens.create_api_token(
            session, user=staff, org_id=issuer_org.org_id, name="x", now=clock()
        )
    outsider = session.get(User, outsider_id)
    with pytest.raises(IssuerNotFound):
        tokens.create_api_token(
            session, user=outsider, org_id=issuer_org.org_id, name="x", now=clock()
        )


def test_other_organization_cannot_touch_credentials_or_lists(
    client, issuer_org, other_org, credential, session, clock
):
    vc = _issue(client, issuer_org, credential)
    change = {
        "credentialId": vc["id"],
        "status": True,
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"},
    }
    response = client.post("/credentials/status", json=change, headers=other_org.headers)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    # Nothing changed for the real owner.
    verified = client.post("/credentials/verify", json={"verifiableCredential": vc}).json()
    assert verified["verified"] is True
    # Service level: lists, records and keys are scoped to their organization.
    list_id = vc["credentialStatus"][0]["statusListCredential"].rsplit("/", 1)[1]
    with pytest.raises(IssuerNotFound):
        status_lists.get_list(session, list_id=list_id, org_id=other_org.org_id)
    with pytest.raises(IssuerNotFound):
        service.find_issued(session, org_id=other_org.org_id, credential_id=vc["id"])
    with pytest.raises(IssuerNotFound):
        service.revoke(session, org_id=other_org.org_id, credential_id=vc["id"], now=clock())
    assert service.signing_keys(session, org_id=other_org.org_id) == []


def test_other_organization_cannot_issue_as_the_first(client, issuer_org, other_org, credential):
    _issue(client, issuer_org, credential)
    credential["issuer"] = PublicBase.parse("http://testserver").org_did(issuer_org.org_id)
    response = client.post(
        "/credentials/issue", json={"credential": credential}, headers=other_org.headers
    )
    assert response.status_code == 400
    assert response.json()["error"] == "issuer_mismatch"
    mine = _issue(client, other_org, {k: v for k, v in credential.items() if k != "issuer"})
    assert mine["issuer"].endswith(other_org.org_id)
    first_doc = client.get(f"/orgs/{issuer_org.org_id}/did.json").json()
    second_doc = client.get(f"/orgs/{other_org.org_id}/did.json").json()
    first_keys = {m["publicKeyMultibase"] for m in first_doc["verificationMethod"]}
    second_keys = {m["publicKeyMultibase"] for m in second_doc["verificationMethod"]}
    assert not first_keys & second_keys


def test_issuer_object_keeps_its_other_fields(client, issuer_org, credential):
    credential["issuer"] = {"name": "Example School"}
    vc = _issue(client, issuer_org, credential)
    assert vc["issuer"]["name"] == "Example School"
    assert vc["issuer"]["id"].endswith(issuer_org.org_id)


def test_openapi_documents_the_vc_api_with_examples(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/credentials/issue",
        "/credentials/verify",
        "/presentations/verify",
        "/credentials/status",
    ):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["examples"], path
    assert "201" in spec["paths"]["/credentials/issue"]["post"]["responses"]
    assert client.get("/docs").status_code == 200
