"""Selective disclosure in presentations and shares: an SD-JWT VC record goes out with only the
claims the learner chose, a share binds it with a KB-JWT to the share's challenge and domain,
the link verifies it, and nothing left out can be read from what is shared."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_material import (
    CLAIMS,
    DISCLOSABLE,
    SECRET_VALUES,
    sd_jwt_record,
    self_reported_record,
)
from openler.core.presentations import is_enveloped, unwrap
from openler.core.sdjwt import decode_disclosure, decode_jwt, parse
from openler.core.sdjwt.compact import encode_json
from openler.core.sdjwt.encoding import b64url_decode
from openler.wallet import disclosure, presentations, service, sharing
from openler.wallet.keys import open_wallet


def _kept(session, wallet_config, learner_id, token, clock):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=token, now=clock())
    return service.accept(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id, now=clock())


def _token_of(vp):
    members = [m for m in vp["verifiableCredential"] if is_enveloped(m)]
    assert len(members) == 1
    media_type, token = unwrap(members[0])
    assert media_type == "application/dc+sd-jwt"
    assert members[0]["id"].startswith("data:application/dc+sd-jwt,")
    return token


def _disclosed_names(token):
    return sorted(decode_disclosure(d).name for d in parse(token).disclosures)


def _everything_readable(token, vp) -> str:
    """All text an employer can read out of the shared presentation, decoded."""
    parts = parse(token)
    decoded = [json.dumps(decode_jwt(parts.issuer_jwt).payload)]
    decoded += [b64url_decode(d).decode() for d in parts.disclosures]
    return json.dumps(vp) + "".join(decoded)


def _setup(session, wallet_config, learner_id, offer, clock, chosen=("grade", "given_name")):
    di = _kept(session, wallet_config, learner_id, offer[1], clock)
    sd = sd_jwt_record(session, config=wallet_config, user_id=learner_id, now=clock())
    pres = presentations.create(session, config=wallet_config, user_id=learner_id,
                                name="For the port", record_ids=[sd.id, di.id], now=clock(),
                                disclose={sd.id: list(chosen)})
    session.commit()
    return di, sd, pres


def test_presentation_keeps_only_the_chosen_claims(session, wallet_config, learner_id, offer,
                                                   clock):
    di, sd, pres = _setup(session, wallet_config, learner_id, offer, clock)
    assert pres.disclosed(sd.id) == ("given_name", "grade")
    assert pres.disclosed(di.id) == ()
    token = _token_of(pres.vp)
    assert _disclosed_names(token) == ["given_name", "grade"]
    assert parse(token).kb_jwt is None  # no verifier yet: nothing to bind to
    assert pres.vp["holder"] == service.wallet_did(session, config=wallet_config,
                                                   user_id=learner_id, now=clock())
    again = presentations.get(session, config=wallet_config, user_id=learner_id,
                              presentation_id=pres.id)
    assert again.disclosures == pres.disclosures


def test_unknown_and_always_shown_paths_are_not_choices(session, wallet_config, learner_id,
                                                        clock):
    sd = sd_jwt_record(session, config=wallet_config, user_id=learner_id, now=clock())
    assert [c.path for c in disclosure.choices(sd)] == sorted(DISCLOSABLE)
    assert disclosure.clean_choice(sd, ["iss", "name", "grade", "grade", "cnf"]) == ("grade",)
    shown = {c.path: c.value for c in disclosure.always_shown(sd)}
    assert shown == {"name": CLAIMS["name"], "issuer_name": CLAIMS["issuer_name"]}


def test_share_binds_the_sd_jwt_to_its_challenge_and_domain(session, wallet_config, learner_id,
                                                            offer, clock):
    _, sd, pres = _setup(session, wallet_config, learner_id, offer, clock)
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="Port HR",
                                 purpose="Forklift job", expiry="30", now=clock())
    session.commit()
    vp = sharing.link_document(session, token=share.token, now=clock())
    token = _token_of(vp)
    assert _disclosed_names(token) == ["given_name", "grade"]
    kb = decode_jwt(parse(token).kb_jwt)
    assert kb.header["typ"] == "kb+jwt"
    assert kb.payload["nonce"] == vp["proof"]["challenge"]
    assert kb.payload["aud"] == vp["proof"]["domain"] == wallet_config.issuer.base.url
    other = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="Other", purpose="Other",
                                 expiry="7", now=clock())
    other_kb = decode_jwt(parse(_token_of(
        sharing.link_document(session, token=other.token, now=clock()))).kb_jwt)
    assert other_kb.payload["nonce"] != kb.payload["nonce"]  # one binding per share


def test_the_link_verifies_and_shows_only_what_was_disclosed(session, wallet_config,
                                                             learner_id, offer, clock):
    _, sd, pres = _setup(session, wallet_config, learner_id, offer, clock)
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="Port HR",
                                 purpose="Forklift job", expiry="30", now=clock())
    session.commit()
    clock.advance(days=3)  # the employer opens it days later: the stored challenge still binds
    view = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    assert view.report.outcome == "verified", view.report
    shared = view.records[0]
    assert shared.partial and shared.format == "dc+sd-jwt"
    assert shared.report.outcome == "verified"
    assert {c.name: c.status for c in shared.report.checks}["holder_binding"] == "passed"
    values = {c.path: c.value for c in shared.claims}
    assert values == {"name": CLAIMS["name"], "issuer_name": CLAIMS["issuer_name"],
                      "given_name": "Ana", "grade": "Distinction"}
    readable = _everything_readable(_token_of(view.vp), view.vp)
    for name in ("birthdate", "email", "family_name"):
        assert SECRET_VALUES[name] not in readable
    assert not view.records[1].partial


def test_a_replayed_binding_fails_for_another_share(session, wallet_config, learner_id, offer,
                                                    clock):
    _, _, pres = _setup(session, wallet_config, learner_id, offer, clock)
    first, second = (sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                          presentation_id=pres.id, audience=a, purpose="Job",
                                          expiry="30", now=clock()) for a in ("A", "B"))
    session.commit()
    stolen = _token_of(sharing.link_document(session, token=first.token, now=clock()))
    from openler.core.verify import verify_presentation
    from openler.wallet.verification import context

    vp = sharing.link_document(session, token=second.token, now=clock())
    vp["verifiableCredential"] = [
        {**m, "id": f"data:application/dc+sd-jwt,{stolen}"} if is_enveloped(m) else m
        for m in vp["verifiableCredential"]]
    ctx = context(session, config=wallet_config.issuer, now=clock(), language="en")
    ctx.challenge, ctx.domain = vp["proof"]["challenge"], vp["proof"]["domain"]
    result = verify_presentation(vp, ctx=ctx)
    assert not result.verified  # the proof no longer covers it, and its nonce is share A's
    enveloped = result.credentials[0]
    assert enveloped.check("holder_binding").code == "presentation.challenge_mismatch"


def test_deleting_another_record_re_signs_shares_with_the_same_choices(
        session, wallet_config, learner_id, offer, clock):
    di, sd, pres = _setup(session, wallet_config, learner_id, offer, clock)
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="Port HR", purpose="Job",
                                 expiry="30", now=clock())
    session.commit()
    service.delete_record(session, config=wallet_config, user_id=learner_id, record_id=di.id,
                          now=clock())
    session.commit()
    vp = sharing.link_document(session, token=share.token, now=clock())
    assert len(vp["verifiableCredential"]) == 1
    token = _token_of(vp)
    assert _disclosed_names(token) == ["given_name", "grade"]
    assert decode_jwt(parse(token).kb_jwt).payload["nonce"] == vp["proof"]["challenge"]
    view = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    assert view.report.outcome == "verified"
    kept = presentations.get(session, config=wallet_config, user_id=learner_id,
                             presentation_id=pres.id)
    assert kept.disclosures == {sd.id: ("given_name", "grade")}
    assert _disclosed_names(_token_of(kept.vp)) == ["given_name", "grade"]


def test_record_bound_to_another_key_gets_no_key_binding(session, wallet_config, learner_id,
                                                         clock):
    sd = sd_jwt_record(session, config=wallet_config, user_id=learner_id, now=clock(),
                       bound=False)
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    assert not disclosure.holder_bound(sd, wallet)
    out = disclosure.member(sd, wallet=wallet, disclose=["grade"], now=clock(),
                            challenge="c", domain="https://x.example")
    assert parse(out).kb_jwt is None and _disclosed_names(out) == ["grade"]


def test_self_reported_records_are_marked_for_the_viewer(session, wallet_config, learner_id,
                                                        clock):
    own = self_reported_record(session, config=wallet_config, user_id=learner_id, now=clock())
    pres = presentations.create(session, config=wallet_config, user_id=learner_id, name="Mine",
                                record_ids=[own.id], now=clock())
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="A", purpose="B",
                                 expiry="7", now=clock())
    session.commit()
    view = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    assert view.records[0].self_reported
    assert view.records[0].summary.achievement_name == "Volunteer translator"


def test_claim_labels_are_plain_words():
    assert disclosure.label_of(("given_name",)) == ("Given name",)
    assert disclosure.label_of(("achievement", "levelOfStudy")) == ("Achievement",
                                                                     "Level of study")
    assert disclosure.label_of(("nationalities", 1)) == ("Nationalities", "#2")
    assert disclosure.value_text({"street": "Main", "n": [1, 2]}) == "Street: Main; N: 1, 2"
    assert encode_json({"a": 1})  # the helper the tests decode with round-trips JSON


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.sets(st.sampled_from(DISCLOSABLE)))
def test_exactly_the_chosen_claims_are_disclosed(session, wallet_config, learner_id, clock,
                                                 chosen):
    sd = sd_jwt_record(session, config=wallet_config, user_id=learner_id, now=clock())
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    out = disclosure.member(sd, wallet=wallet, disclose=sorted(chosen), now=clock(),
                            challenge="n-1", domain="https://wallet.example")
    assert _disclosed_names(out) == sorted(chosen)
    assert decode_jwt(parse(out).kb_jwt).payload["nonce"] == "n-1"
    session.rollback()


OB2_ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
    "id": "https://old.example/assertions/1", "issuedOn": "2019-05-01T00:00:00Z",
    "recipient": {"type": "email", "identity": "ana@example.org", "hashed": False},
    "verification": {"type": "hosted"},
    "badge": {"type": "BadgeClass", "id": "https://old.example/badges/bread",
              "name": "Bread Basics", "description": "Bakes a plain loaf.",
              "criteria": {"narrative": "Baked a loaf."},
              "issuer": {"type": "Profile", "id": "https://old.example/issuer",
                         "name": "Old Guild of Bakers"}},
}


def test_an_older_format_badge_travels_whole_and_reads_could_not_check(
        session, wallet_config, learner_id, offer, clock):
    from openler.wallet.importing import ob2_report

    di = _kept(session, wallet_config, learner_id, offer[1], clock)
    old = service.store(session, config=wallet_config, user_id=learner_id,
                        credential=OB2_ASSERTION, source="import", record_format="ob2",
                        state="kept", now=clock(), report=ob2_report(OB2_ASSERTION, now=clock()))
    pres = presentations.create(session, config=wallet_config, user_id=learner_id, name="Both",
                                record_ids=[old.id, di.id], now=clock())
    member = pres.vp["verifiableCredential"][0]
    assert member["id"].startswith("data:application/json;base64,")
    assert disclosure.legacy_content(member) == OB2_ASSERTION
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="A", purpose="B",
                                 expiry="7", now=clock())
    view = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    legacy, current = view.records
    assert legacy.format == "ob2" and legacy.report.outcome == "incomplete"
    assert legacy.summary.achievement_name == "Bread Basics"
    assert current.report.outcome == "verified"
    assert view.report.outcome == "incomplete"  # not "a problem": nothing was found wrong
    assert {c.name: c.code for c in view.report.checks}["credentials"] == \
        "credentials.could_not_check"


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=5))
def test_legacy_envelope_round_trips(document):
    assert disclosure.legacy_content(disclosure.legacy_envelope(document)) == document
    assert disclosure.legacy_content({"id": "data:application/json;base64,%%%"}) is None
