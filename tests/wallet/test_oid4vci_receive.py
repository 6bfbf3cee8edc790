"""Taking an offer into the wallet: the record is sealed, pending, from source "offer",
in the configuration's format; a JWT VC is kept with a "could not check the signature"
arrival report; nothing is stored when the issuer's answer is refused."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

import pytest
from test_oid4vci_client import ISSUER, NOW, FakeIssuer, _link, _metadata, _offer, _ok

from openler.core.dids.ports import FetchResponse
from openler.issuer.delivery.key_proof import verify_key_proof
from openler.wallet import service
from openler.wallet.oid4vci_offer import OfferError
from openler.wallet.oid4vci_receive import preview_offer, take_offer

METADATA_URL = "https://issuer.example/.well-known/openid-credential-issuer/tenant"


def _jwt(claims: dict[str, Any]) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{enc({'alg': 'EdDSA', 'typ': 'JWT'})}.{enc(claims)}.c2ln"


def _jwt_issuer(subject: str | None = None) -> FakeIssuer:
    doc = _metadata()
    doc["credential_configurations_supported"]["badge"]["format"] = "jwt_vc_json"

    def issue(body: Any) -> FetchResponse:
        holder = verify_key_proof(body["proofs"]["jwt"][0], audience=ISSUER, now=NOW,
                                  use_nonce=lambda n: True).holder_did
        return _ok({"credentials": [{"credential": _jwt({
            "iss": "did:example:issuer", "sub": subject or holder,
            "vc": {"credentialSubject": {"id": subject or holder}}})}]})

    return FakeIssuer({("GET", METADATA_URL): lambda _: _ok(doc),
                       ("POST", f"{ISSUER}/credential"): issue})


def test_a_jwt_vc_is_kept_pending_with_an_honest_arrival_report(session, wallet_config,
                                                                learner_id):
    config = replace(wallet_config, fetcher=_jwt_issuer())
    preview = preview_offer(config=config, text=_link(_offer()))
    assert preview.configuration.record_format == "jwt_vc"
    record = take_offer(session, config=config, user_id=learner_id, offer_text=_link(_offer()),
                        tx_code="", now=NOW)
    assert (record.source, record.state, record.format) == ("offer", "pending", "jwt_vc")
    assert record.arrival.outcome == "incomplete"
    assert [c.code for c in record.arrival.checks] == ["format.ok", "proof.unsupported"]
    did = service.wallet_did(session, config=config, user_id=learner_id, now=NOW)
    assert json.loads(base64.urlsafe_b64decode(
        record.credential.split(".")[1] + "==="))["sub"] == did
    [kept] = service.records(session, config=config, user_id=learner_id)
    assert kept.id == record.id


def test_nothing_is_stored_when_the_credential_names_someone_else(session, wallet_config,
                                                                  learner_id):
    config = replace(wallet_config, fetcher=_jwt_issuer(subject="did:key:zSomeoneElse"))
    with pytest.raises(OfferError) as caught:
        take_offer(session, config=config, user_id=learner_id, offer_text=_link(_offer()),
                   tx_code="", now=NOW)
    assert caught.value.code == "not_bound"
    assert service.records(session, config=config, user_id=learner_id) == []


def test_an_ldp_vc_is_checked_on_arrival(session, wallet_config, learner_id):
    config = replace(wallet_config, fetcher=FakeIssuer())
    record = take_offer(session, config=config, user_id=learner_id, offer_text=_link(_offer()),
                        tx_code="", now=NOW)
    assert record.format == "ldp_vc" and record.source == "offer"
    assert record.arrival.outcome == "not_verified"  # the fake issuer signs nothing
    assert any(c.name == "proof" and c.status == "failed" for c in record.arrival.checks)


def test_a_wallet_without_an_http_client_says_so(session, wallet_config, learner_id):
    with pytest.raises(OfferError) as caught:
        take_offer(session, config=wallet_config, user_id=learner_id,
                   offer_text=_link(_offer()), tx_code="", now=NOW)
    assert caught.value.code == "issuer_unreachable"
