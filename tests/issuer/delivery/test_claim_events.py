"""Dashboard events from delivery: "claimed" when an offer is used (file download, the
OpenID4VCI Credential Endpoint, or any other claim way), once per offer; "shared" for
the wallet, found from the credential's issuer and id, also for a holder-bound copy."""

from __future__ import annotations

import warnings

import pytest
from joserfc import jwt
from joserfc.jwk import OKPKey
from sqlalchemy import select

from openler.issuer import dashboard
from openler.issuer.delivery import offers, oid4vci
from openler.storage.tables_lifecycle import CredentialEvent

ISSUER = "https://badges.example.org"


def _kinds(session, award_id: str) -> list[str]:
    return sorted(session.scalars(select(CredentialEvent.kind)
                                  .where(CredentialEvent.award_id == award_id)))


def test_a_download_counts_one_claimed_event(session, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    clock.advance(hours=2)
    offers.download(session, token=new.token, now=clock())
    session.commit()
    [claimed] = session.scalars(select(CredentialEvent).where(CredentialEvent.kind == "claimed"))
    assert (claimed.award_id, claimed.organization_id, claimed.at) == (award_row.id, org_id,
                                                                        clock())
    assert claimed.achievement_id == award_row.achievement_id
    offers.mark_claimed(new.offer, how="account", now=clock())  # already used: not counted again
    session.flush()
    assert _kinds(session, award_row.id) == ["claimed", "issued"]


def test_every_claim_way_counts_and_unknown_ways_are_refused(session, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    with pytest.raises(ValueError):
        offers.mark_claimed(new.offer, how="carrier-pigeon", now=clock())
    offers.mark_claimed(new.offer, how="account", now=clock())
    session.flush()
    assert new.offer.claimed_by == "account"
    assert _kinds(session, award_row.id) == ["claimed", "issued"]


def _wallet_credential(session, config, offer, tx_code, clock) -> dict:
    wallet = oid4vci.new_wallet_offer(session, offer=offer, issuer=ISSUER, now=clock())
    token = oid4vci.redeem(session, form={"grant_type": oid4vci.PRE_AUTHORIZED,
                                          "pre-authorized_code": wallet.code,
                                          "tx_code": tx_code}, now=clock())["access_token"]
    nonce = oid4vci.new_nonce(session, now=clock())
    key = OKPKey.generate_key("Ed25519")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proof = jwt.encode({"typ": "openid4vci-proof+jwt", "alg": "EdDSA",
                            "jwk": key.as_dict(private=False)},
                           {"aud": ISSUER, "iat": int(clock().timestamp()), "nonce": nonce},
                           key, algorithms=["EdDSA"])
    reply = oid4vci.issue(session, config=config, issuer=ISSUER,
                          authorization=f"Bearer {token}",
                          body={"credential_configuration_id": oid4vci.CONFIGURATION_ID,
                                "proofs": {"jwt": [proof]}}, now=clock())
    return reply["credentials"][0]["credential"]


def test_the_wallet_endpoint_counts_claimed_and_a_share_of_the_copy_counts(
        session, config, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    bound = _wallet_credential(session, config, new.offer, new.tx_code, clock)
    session.commit()
    assert bound["id"] != award_row.credential_id
    assert _kinds(session, award_row.id) == ["claimed", "issued"]
    assert new.offer.claimed_by == "wallet"
    shared = dashboard.record_shared(session, base=config.base, credential=bound, at=clock())
    assert shared is not None and shared.award_id == award_row.id
    original = dashboard.record_shared(session, base=config.base, credential=award_row.credential,
                                       at=clock())
    assert original is not None and original.award_id == award_row.id
    assert _kinds(session, award_row.id) == ["claimed", "issued", "shared", "shared"]


def test_credentials_of_others_are_not_counted(session, config, org_id, award_row, clock,
                                               accounts):
    _, other = accounts.org_owner("boss@elsewhere.example", "Elsewhere")
    doc = award_row.credential
    cases = [
        {**doc, "id": "urn:uuid:00000000-0000-4000-8000-000000000000"},  # unknown id
        {**doc, "issuer": "did:web:elsewhere.example"},  # another instance's DID
        {**doc, "issuer": config.base.org_did(other)},  # our instance, another organization
        {**doc, "issuer": {"id": config.base.org_did(org_id) + "x"}},
        {**doc, "id": 42},
        {key: value for key, value in doc.items() if key != "issuer"},
    ]
    for case in cases:
        assert dashboard.record_shared(session, base=config.base, credential=case,
                                       at=clock()) is None
    with_object = {**doc, "issuer": {"id": config.base.org_did(org_id), "name": "College"}}
    assert dashboard.record_shared(session, base=config.base, credential=with_object,
                                   at=clock()) is not None
    assert _kinds(session, award_row.id) == ["issued", "shared"]
