"""Importing into the wallet service: every credential from another issuer is verified on
arrival and waits (pending, source "import", its format kept); Open Badges 2.0 gets a report
that says plainly what could not be checked; the same credential is never kept twice; the
summaries of string formats and the checks of held string records work."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from helpers import shared_dir
from openler.core.sdjwt import issue_sd_jwt_vc
from openler.wallet import importing, service, verification
from openler.wallet.formats import Candidate, ImportRefused, detect
from openler.wallet.summary import credential_type, disclosed_claims, summarize_any
from wallet_import_samples import OtherIssuer, ob2_assertion

ISSUER = OtherIssuer()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _import(session, wallet_config, learner_id, data, now=NOW):
    return importing.import_candidates(session, config=wallet_config, user_id=learner_id,
                                       candidates=detect(data).candidates, now=now)


@pytest.mark.parametrize("make,fmt", [
    (lambda: json.dumps(ISSUER.ldp()), "ldp_vc"),
    (lambda: ISSUER.vc_jwt(), "jwt_vc"),
    (lambda: ISSUER.sd_jwt(), "dc+sd-jwt"),
])
def test_credentials_from_another_issuer_are_verified_and_wait(session, wallet_config,
                                                               learner_id, make, fmt):
    outcome = _import(session, wallet_config, learner_id, make())
    (record,) = outcome.records
    assert (record.state, record.source, record.format) == ("pending", "import", fmt)
    assert record.arrival.outcome == "verified"
    assert record.summary.issuer_id == ISSUER.did
    again = service.get_record(session, config=wallet_config, user_id=learner_id,
                               record_id=record.id)
    assert again.credential == record.credential and again.format == fmt
    kept = service.accept(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id, now=NOW)
    assert service.check_now(session, config=wallet_config, record=kept,
                             now=NOW).outcome == "verified"


@pytest.mark.parametrize("path", ["vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
                                  "ob3/clrv2p0/signed-credential.json"])
def test_spec_vectors_are_kept_pending_with_their_real_check(session, wallet_config,
                                                             learner_id, path):
    raw = (shared_dir() / "vectors" / path).read_bytes()
    (record,) = _import(session, wallet_config, learner_id, raw).records
    assert record.state == "pending" and record.format == "ldp_vc"
    assert record.arrival.outcome != "verified"  # their issuers cannot be confirmed offline
    assert {c.name for c in record.arrival.checks} >= {"proof", "issuer_key", "status"}


def test_a_tampered_credential_is_stored_with_its_problem(session, wallet_config, learner_id):
    tampered = copy.deepcopy(ISSUER.ldp())
    tampered["credentialSubject"]["achievement"]["name"] = "Master Mariner"
    (record,) = _import(session, wallet_config, learner_id, json.dumps(tampered)).records
    assert record.arrival.outcome == "not_verified"
    assert next(c for c in record.arrival.checks if c.name == "proof").code == "proof.changed"


def test_an_expired_sd_jwt_says_expired(session, wallet_config, learner_id):
    token = issue_sd_jwt_vc({"name": "Old"}, disclosable=["name"], issuer_key=ISSUER.keypair,
                            issuer=ISSUER.did, kid=ISSUER.vm, vct="https://example.org/badge",
                            issued_at=1_600_000_000, expires_at=1_700_000_000)
    (record,) = _import(session, wallet_config, learner_id, token).records
    assert record.arrival.outcome == "not_verified"
    assert any(c.code == "validity.expired" for c in record.arrival.checks)


def test_ob2_report_is_incomplete_and_says_what_could_not_run():
    report = importing.ob2_report(ob2_assertion(), now=NOW)
    assert report.outcome == "incomplete"
    by_name = {c.name: c for c in report.checks}
    assert by_name["proof"].could_not_check and by_name["proof"].code == "proof.cannot_check"
    assert "issuer's web site" in by_name["proof"].detail
    assert by_name["status"].could_not_check and by_name["validity_period"].code == "validity.ok"
    assert by_name["well_formed"].status == "passed"
    for check in report.checks:
        assert check.message("en") and check.message("es")  # every code has its words


@pytest.mark.parametrize("changes,code", [
    ({"expires": "2025-01-01T00:00:00Z"}, "validity.expired"),
    ({"issuedOn": "2027-01-01T00:00:00Z"}, "validity.not_yet_valid"),
])
def test_ob2_dates_are_checked_offline(changes, code):
    report = importing.ob2_report(ob2_assertion(**changes), now=NOW)
    assert report.outcome == "not_verified"
    assert {c.code for c in report.checks} >= {code}


def test_an_ob2_date_that_does_not_exist_is_a_problem_not_a_crash():
    report = importing.ob2_report(ob2_assertion(expires="2021-02-30T00:00:00Z"), now=NOW)
    assert report.checks[0].status == "failed" and "expires" in report.checks[0].detail
    assert report.checks[-1].code == "validity.ok"


def test_an_ob2_assertion_missing_its_parts_is_not_well_formed():
    broken = ob2_assertion(issuedOn="yesterday")
    del broken["recipient"]
    report = importing.ob2_report(broken, now=NOW)
    well_formed = report.checks[0]
    assert well_formed.status == "failed" and "recipient" in well_formed.detail
    assert "issuedOn" in well_formed.detail


def test_ob2_is_stored_with_its_own_report(session, wallet_config, learner_id):
    (record,) = _import(session, wallet_config, learner_id, json.dumps(ob2_assertion())).records
    assert record.format == "ob2" and record.arrival.outcome == "incomplete"
    assert record.summary.achievement_name == "First Aid at Work"
    assert record.summary.issuer_name == "Old Badges Academy"
    assert [s.name for s in record.summary.skills] == ["Apply first aid"]
    assert record.summary.criteria == "Completed the two-day course."
    assert record.summary.issued_on == "2019-05-02"


def test_the_same_credential_is_not_kept_twice(session, wallet_config, learner_id):
    signed = ISSUER.ldp(cid="urn:uuid:same")
    _import(session, wallet_config, learner_id, json.dumps(signed))
    with pytest.raises(ImportRefused) as caught:
        _import(session, wallet_config, learner_id, json.dumps(signed, indent=4))
    assert caught.value.code == "duplicate"
    resigned = ISSUER.ldp(cid="urn:uuid:same", name="Same id, new proof")
    with pytest.raises(ImportRefused):
        _import(session, wallet_config, learner_id, json.dumps(resigned))
    assert len(service.records(session, config=wallet_config, user_id=learner_id)) == 1


def test_an_sd_jwt_with_fewer_disclosures_is_the_same_credential(session, wallet_config,
                                                                 learner_id):
    token = ISSUER.sd_jwt()
    _import(session, wallet_config, learner_id, token)
    fewer = "~".join(token.split("~")[:2]) + "~"
    with pytest.raises(ImportRefused):
        _import(session, wallet_config, learner_id, fewer)


def test_another_learner_may_hold_the_same_credential(session, wallet_config, learner_id,
                                                      other_learner_id):
    text = json.dumps(ob2_assertion())
    _import(session, wallet_config, learner_id, text)
    (record,) = _import(session, wallet_config, other_learner_id, text).records
    assert record.state == "pending"


def test_duplicates_inside_one_import_are_counted(session, wallet_config, learner_id):
    first = Candidate(ISSUER.ldp(cid="urn:uuid:p1"), "ldp_vc")
    second = Candidate(ISSUER.vc_jwt(cid="urn:uuid:p2"), "jwt_vc")
    importing.import_candidates(session, config=wallet_config, user_id=learner_id,
                                candidates=[first], now=NOW)
    outcome = importing.import_candidates(session, config=wallet_config, user_id=learner_id,
                                          candidates=[first, second, second], now=NOW)
    assert len(outcome.records) == 1 and outcome.duplicates == 2


def test_fingerprints_ignore_layout_but_not_content():
    doc = ISSUER.credential(cid="urn:uuid:f")
    assert importing.fingerprints(doc) == importing.fingerprints(json.loads(json.dumps(doc)))
    other = ISSUER.credential(cid="urn:uuid:g")
    assert not importing.fingerprints(doc) & importing.fingerprints(other)


def test_vc_jose_summary_and_type():
    token = ISSUER.vc_jwt(name="Boat Engines", skill="Diesel repair")
    summary = summarize_any(token, "jwt_vc")
    assert summary.achievement_name == "Boat Engines"
    assert summary.issuer_name == ISSUER.name and summary.issued_on == "2026-01-10"
    assert [s.name for s in summary.skills] == ["Diesel repair"]
    assert credential_type(token, "jwt_vc") == "OpenBadgeCredential"
    assert summarize_any("not.a.token", "jwt_vc").achievement_name == ""


def test_flat_sd_jwt_summary_and_claims():
    token = ISSUER.sd_jwt(level="Advanced", alignment=[{"targetName": "Lift loads"}])
    summary = summarize_any(token, "dc+sd-jwt")
    assert summary.achievement_name == "Forklift Operation"
    assert summary.issuer_id == ISSUER.did and summary.issuer_name == ISSUER.name
    assert summary.issued_on == "2026-01-15" and [s.name for s in summary.skills] == ["Lift loads"]
    claims = dict(disclosed_claims(token, "dc+sd-jwt"))
    assert claims["level"] == "Advanced" and claims["alignment[0].targetName"] == "Lift loads"
    assert claims["iat"] == "2026-01-15" and claims["vct"] == "https://example.org/badge"
    assert "_sd_alg" not in claims
    assert credential_type(token, "dc+sd-jwt") == "https://example.org/badge"
    assert disclosed_claims(token, "jwt_vc") == []


def test_nested_sd_jwt_summary_reads_like_a_vc():
    body = {"credentialSubject": {"achievement": {"name": "Crane Safety",
                                                  "achievementType": "License"}},
            "type": ["VerifiableCredential", "OpenBadgeCredential"]}
    token = issue_sd_jwt_vc(body, disclosable=[("credentialSubject", "achievement")],
                            issuer_key=ISSUER.keypair, issuer=ISSUER.did, kid=ISSUER.vm,
                            vct="https://example.org/ob3", issued_at=1_700_000_000)
    summary = summarize_any(token, "dc+sd-jwt")
    assert summary.achievement_name == "Crane Safety" and summary.achievement_type == "License"
    assert summary.issuer_id == ISSUER.did
    undisclosed = token.split("~")[0] + "~"
    assert summarize_any(undisclosed, "dc+sd-jwt").achievement_name == ""


def test_checking_string_records(session, wallet_config):
    config = wallet_config.issuer
    token = ISSUER.vc_jwt()
    assert verification.check(session, credential=token, config=config, now=NOW).verified
    assert verification.check(session, credential=ISSUER.sd_jwt(), config=config,
                              now=NOW).verified
    garbage = verification.check(session, credential="neither json nor token", config=config,
                                 now=NOW)
    assert garbage.outcome == "not_verified"
    assert garbage.checks[0].name == "well_formed" and garbage.checks[0].status == "failed"
