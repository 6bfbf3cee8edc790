"""The employer's inbox service: a request for two skills (DCQL built by ``asking``) is
answered by the learner's wallet, kept verified, and explained against its role; after the
issuer revokes one record, "check again" on the same answer shows it revoked (Bitstring
Status List read afresh) and the role's finding for that skill drops. Refused attempts are
listed as refused and cannot be checked again; another organization cannot see or check an
answer."""

from __future__ import annotations

import json

import pytest
from inbox_material import CPR, FORKLIFT, WELD, keep_two_records
from verifier_material import BASE

from openler.issuer import lifecycle
from openler.verifier import asking, inbox, matching, requests, responses, roles
from openler.wallet import oid4vp_client as vp
from openler.wallet import service
from openler.wallet.keys import open_wallet


@pytest.fixture
def kept(session, accounts, issuer_config, wallet_config, clock):
    return keep_two_records(session, accounts=accounts, issuer=issuer_config,
                            wallet=wallet_config, now=clock())


def _answer(session, http, wallet_config, learner_id, made, clock):
    ask = vp.load_request(requests.wallet_link(BASE, made.id), fetcher=http, now=clock())
    records = service.records(session, config=wallet_config, user_id=learner_id)
    matches = vp.match(ask, records)
    picks = {m.query.id: [m.candidates[0]] for m in matches if m.candidates}
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    token = vp.build_vp_token(ask, picks, wallet=wallet, now=clock())
    return {"vp_token": json.dumps(token), "state": made.state}, matches


def _standing(explanation):
    return {f.requirement.skill.name: f.state for f in explanation.findings}


def test_two_skills_answered_verified_then_revoked_on_check_again(
        session, hiring_org, kept, http, clock, wallet_config, issuer_config):
    query = asking.skills_query([WELD, FORKLIFT])
    made = requests.create_request(session, org_id=hiring_org, purpose="Welder job",
                                   dcql_query=query, now=clock())
    role = roles.create_role(session, org_id=hiring_org, name="Welder", required=[WELD, FORKLIFT],
                             preferred=[CPR], now=clock(), request_id=made.id)
    session.commit()
    form, matches = _answer(session, http, wallet_config, kept.learner_id, made, clock)
    # Each skill query is met only by the record aligned to that skill.
    names = {m.query.id: [c.record.summary.achievement_name for c in m.candidates]
             for m in matches}
    assert names == {"skill1": ["Welding Basics"], "skill2": ["Forklift Safety"]}
    responses.receive_response(session, request_id=made.id, form=form, base_url=BASE,
                               issuer=issuer_config, now=clock())
    [answer] = inbox.answers_of(session, org_id=hiring_org)
    assert (answer.status, answer.outcome, answer.rechecked) == ("verified", "verified", False)
    first = matching.explain(role.requirements, inbox.evidence_of(answer))
    assert _standing(first) == {"weld metal parts": "verified", "operate forklift": "verified",
                                "first aid": "missing"}
    assert first.findings[0].verified == ("Welding Basics",)

    clock.advance(hours=1)
    lifecycle.revoke(session, org_id=kept.college, award_id=kept.forklift_award,
                     reason="Issued in error", now=clock())
    session.commit()
    again = inbox.check_again(session, org_id=hiring_org, response_id=answer.id, base_url=BASE,
                              issuer=issuer_config, now=clock())
    assert again.rechecked and again.checked_at == clock()
    assert again.outcome == "not_verified"
    members = [c for p in again.report["presentations"] for c in p["result"]["credentials"]]
    codes = {c["checks"][i]["code"] for c in members for i in range(len(c["checks"]))
             if c["checks"][i]["name"] == "status"}
    assert "status.revoked" in codes
    assert [m["outcome"] for m in members] == ["verified", "not_verified"]
    later = matching.explain(role.requirements, inbox.evidence_of(again))
    assert _standing(later)["operate forklift"] == "unverified"
    assert _standing(later)["weld metal parts"] == "verified"
    # The newest check is what the inbox shows from now on.
    assert inbox.get_answer(session, org_id=hiring_org, response_id=answer.id).outcome \
        == "not_verified"


def test_refused_attempts_are_listed_and_not_checkable(
        session, hiring_org, kept, http, clock, wallet_config, issuer_config, accounts):
    made = requests.create_request(session, org_id=hiring_org, purpose="Forklift driver",
                                   dcql_query=asking.skills_query([FORKLIFT]), now=clock())
    session.commit()
    form, _ = _answer(session, http, wallet_config, kept.learner_id, made, clock)
    responses.receive_response(session, request_id=made.id, form=form, base_url=BASE,
                               issuer=issuer_config, now=clock())
    with pytest.raises(responses.ResponseRefused):
        responses.receive_response(session, request_id=made.id, form=form, base_url=BASE,
                                   issuer=issuer_config, now=clock())
    listed = inbox.answers_of(session, org_id=hiring_org, request_id=made.id)
    assert sorted((a.status, a.reason or "") for a in listed) == [
        ("refused", "already_answered"), ("verified", "")]
    refused = next(a for a in listed if a.status == "refused")
    assert not refused.checkable and inbox.evidence_of(refused) == []
    with pytest.raises(inbox.NotCheckable):
        inbox.check_again(session, org_id=hiring_org, response_id=refused.id, base_url=BASE,
                          issuer=issuer_config, now=clock())
    session.commit()
    _, rival = accounts.org_owner("hr@rival.example", "Rival Hiring", kind="employer")
    kept_answer = next(a for a in listed if a.status == "verified")
    assert inbox.answers_of(session, org_id=rival) == []
    with pytest.raises(inbox.ResponseNotFound):
        inbox.get_answer(session, org_id=rival, response_id=kept_answer.id)
    with pytest.raises(inbox.ResponseNotFound):
        inbox.check_again(session, org_id=rival, response_id=kept_answer.id, base_url=BASE,
                          issuer=issuer_config, now=clock())


def test_skills_query_finds_by_url_code_or_name(session, kept):
    query = asking.skills_query([WELD, FORKLIFT], "achievement")
    first = query["credentials"][0]
    assert first["format"] == "ldp_vc"
    assert [c["id"] for c in first["claims"]] == ["url", "code", "name"]
    assert first["claims"][0]["path"][-2:] == [None, "targetUrl"]
    assert first["claims"][0]["values"] == [WELD.url]
    assert first["claim_sets"] == [["url"], ["code"], ["name"]]
    only_type = asking.skills_query([], "clr")
    assert only_type["credentials"][0]["meta"]["type_values"] == [[asking.VC, asking.CLR]]
    # Picking from the catalog, and free text mapped to it by the merge rules.
    catalog = roles.catalog_skills(session)
    assert {s.name for s in catalog} == {WELD.name, FORKLIFT.name}
    picked = roles.pick(session, keys=[matching.skill_key(WELD)],
                        free_text="OPERATE Forklift, s6.7.1\nunderwater basket weaving")
    assert [s.name for s in picked] == [WELD.name, FORKLIFT.name, "underwater basket weaving"]
    assert picked[1].url == FORKLIFT.url
