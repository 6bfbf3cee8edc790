"""The learner's skills profile: alignments of kept records merged by url, framework+code or
folded name (a chain merges), occupations told from skills, strongest evidence first,
self-reported evidence marked and never counted as verified, hidden skills kept out of
``entries`` and sealed in the preferences, and ``comparable()`` equal for two wallets that
hold the same records and choices (different row ids and times)."""

from __future__ import annotations

import copy
import random
import uuid
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.storage.tables_wallet import WalletPreference
from openler.wallet import preferences, service, skills_profile
from openler.wallet.errors import WalletNotFound
from openler.wallet.keys import open_wallet
from openler.wallet.models import CheckReport, Record, RecordSummary, Skill
from openler.wallet.skills_profile import build, fold, kind_of, profile

ESCO_DA = "http://data.europa.eu/esco/skill/da-0001"
WELDING = "https://skills.example.org/welding"
WELDER = "https://www.onetonline.org/link/summary/51-4121.00"
ESCO_WELDER = "http://data.europa.eu/esco/occupation/welder-42"


def issue(session, issuer_config, wallet_config, org_id, learner_id, clock, name, alignments,
          email="learner@example.org"):
    """A credential with these alignments, issued by the college, claimed and kept."""
    course = catalog.create_achievement(
        session, config=issuer_config, org_id=org_id, now=clock(),
        data=AchievementInput(name=name, description=f"About {name}.", criteria="Passed.",
                              alignments=[AlignmentInput(**a) for a in alignments]))
    row = awards.award(session, config=issuer_config, org_id=org_id, achievement_id=course.id,
                       recipient_email=email, now=clock())
    new = offers.create_offer(session, org_id=org_id, award_id=row.id, now=clock())
    session.commit()
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=new.token, now=clock())
    kept = service.accept(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id, now=clock())
    session.commit()
    return kept


def self_reported(session, wallet_config, learner_id, clock, name, alignments):
    """A credential the learner states about themselves (issuer id == subject id), kept.

    Its arrival report says "verified" on purpose: self-reported evidence must still never
    count as verified."""
    did = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Ana Learner"},
        "validFrom": clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {"id": did, "type": ["AchievementSubject"], "achievement": {
            "id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"], "name": name,
            "criteria": {"narrative": "I did it."}, "alignment": alignments}},
    }
    report = CheckReport(outcome="verified", checks=(), checked_at=clock().isoformat())
    record = service.store(session, config=wallet_config, user_id=learner_id,
                           credential=credential, source="self", now=clock(), state="kept",
                           report=report)
    session.commit()
    return record


@pytest.fixture
def wallet(session, issuer_config, wallet_config, org_id, learner_id, clock):
    """Four kept records whose skills chain into one, plus welding and two occupations."""
    a = issue(session, issuer_config, wallet_config, org_id, learner_id, clock,
              "Intro to Data", [{"target_name": "Data analysis", "target_url": ESCO_DA}])
    clock.advance(days=40)
    b = issue(session, issuer_config, wallet_config, org_id, learner_id, clock,
              "Analytics II", [
                  {"target_name": "Analyse data", "target_url": "HTTPS://data.europa.eu/esco/skill/da-0001/",
                   "target_framework": "ESCO", "target_code": "S1.2"},
                  {"target_name": "Welding", "target_url": WELDING},
                  {"target_name": "Welders", "target_url": WELDER,
                   "target_framework": "O*NET-SOC", "target_code": "51-4121.00"}])
    clock.advance(days=40)
    c = issue(session, issuer_config, wallet_config, org_id, learner_id, clock,
              "Datenkurs", [{"target_name": "Datenanalyse", "target_url": "https://other.example/da",
                             "target_framework": "esco", "target_code": "s1.2"}])
    clock.advance(days=40)
    d = self_reported(session, wallet_config, learner_id, clock, "My data project", [
        {"type": ["Alignment"], "targetName": "DATENANÁLYSE", "targetUrl": ""},
        {"type": ["Alignment"], "targetName": "Shift lead", "targetType": "ext:Occupation"},
        {"type": ["Alignment"], "targetName": "Metal worker", "targetUrl": ESCO_WELDER}])
    return {"a": a, "b": b, "c": c, "d": d}


def _entry(made, name):
    return next(e for e in (*made.entries, *made.hidden) if e.name == name)


def test_a_chain_of_url_code_and_name_links_is_one_skill(session, wallet_config, learner_id,
                                                         wallet):
    made = profile(session, config=wallet_config, user_id=learner_id)
    names = [e.name for e in made.entries]
    assert len(names) == 5, names
    data = made.entries[0]  # four records behind it: first
    assert {e.record_id for e in data.evidence} == {wallet[k].id for k in "abcd"}
    # a and d share nothing: a-b by url (scheme, case, slash), b-c by code, c-d by folded name
    assert data.key == f"url:{ESCO_DA}"
    assert data.kind == "skill"
    assert data.url == "https://other.example/da"  # from the strongest (newest verified) record
    assert (data.framework, data.code) == ("esco", "s1.2")
    assert data.name in ("Data analysis", "Analyse data", "Datenanalyse")
    assert fold("DATENANÁLYSE") == fold("Datenanalyse")


def test_occupations_are_told_from_skills(session, wallet_config, learner_id, wallet):
    made = profile(session, config=wallet_config, user_id=learner_id)
    kinds = {e.name: e.kind for e in made.entries}
    assert kinds["Welders"] == "occupation"  # O*NET-SOC framework and URL
    assert kinds["Shift lead"] == "occupation"  # targetType
    assert kinds["Metal worker"] == "occupation"  # ESCO /occupation/ URI
    assert kinds["Welding"] == "skill"
    assert kind_of(Skill("Welding", framework="ESCO", url="http://data.europa.eu/esco/skill/x")) \
        == "skill"
    assert kind_of(Skill("Clerk", framework="ISCO-08", code="4110")) == "occupation"
    assert kind_of(Skill("Nurse", url="http://data.europa.eu/esco/isco/C2221")) == "occupation"
    assert kind_of(Skill("Cook", framework="O*NET", code="35-2014.00")) == "occupation"
    assert kind_of(Skill("Cook", framework="Local", code="35-2014.00")) == "skill"
    # O*NET's skill elements (content model ids) are skills, not occupations.
    assert kind_of(Skill("Active listening", framework="O*NET", code="2.A.2.a")) == "skill"
    assert kind_of(Skill("Cook", framework="O*NET-SOC", code="35-2014.00")) == "occupation"


def test_strongest_evidence_first_and_self_reported_marked(session, wallet_config, learner_id,
                                                           wallet):
    made = profile(session, config=wallet_config, user_id=learner_id)
    data = made.entries[0]
    order = [e.record_id for e in data.evidence]
    # verified newest first (c, b, a), the self-reported record (d, the newest) last
    assert order == [wallet["c"].id, wallet["b"].id, wallet["a"].id, wallet["d"].id]
    assert [e.verified for e in data.evidence] == [True, True, True, False]
    mine = data.evidence[-1]
    assert mine.self_reported and not mine.verified  # its report said "verified"
    assert mine.issuer_name == "Ana Learner" and mine.record_name == "My data project"
    assert data.verified_count == 3 and data.self_reported_count == 1
    assert data.unverified_count == 0
    assert all(not e.self_reported for e in data.evidence[:3])


def test_entries_ordered_by_records_then_verified_then_name(session, issuer_config,
                                                            wallet_config, org_id, learner_id,
                                                            clock, wallet):
    tampered = copy.deepcopy(wallet["b"].credential)
    tampered["credentialSubject"]["achievement"]["description"] = "Changed after signing."
    bad = service.store(session, config=wallet_config, user_id=learner_id, credential=tampered,
                        source="import", now=clock(), state="kept")
    session.commit()
    assert bad.arrival.outcome != "verified"
    made = profile(session, config=wallet_config, user_id=learner_id)
    counts = [(len(e.evidence), e.verified_count, e.name) for e in made.entries]
    assert counts[0][0] == 5  # the data chain gained the tampered copy
    assert counts == sorted(counts, key=lambda c: (-c[0], -c[1], fold(c[2])))
    welding = _entry(made, "Welding")
    assert [e.verified for e in welding.evidence] == [True, False]
    assert welding.unverified_count == 1 and welding.self_reported_count == 0
    ties = [c for c in counts if c[0] == 1]
    assert [c[2] for c in ties] == ["Metal worker", "Shift lead"]  # self-reported: by name


def test_pending_records_are_not_in_the_profile(session, issuer_config, wallet_config, org_id,
                                                learner_id, clock):
    course = catalog.create_achievement(
        session, config=issuer_config, org_id=org_id, now=clock(),
        data=AchievementInput(name="Pending", description="x", criteria="y", alignments=[
            AlignmentInput(target_name="Soldering", target_url=WELDING)]))
    row = awards.award(session, config=issuer_config, org_id=org_id, achievement_id=course.id,
                       recipient_email="learner@example.org", now=clock())
    new = offers.create_offer(session, org_id=org_id, award_id=row.id, now=clock())
    service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                               token=new.token, now=clock())
    assert profile(session, config=wallet_config, user_id=learner_id).entries == ()


def test_hide_and_show(session, wallet_config, learner_id, other_learner_id, clock, wallet):
    welding = _entry(profile(session, config=wallet_config, user_id=learner_id), "Welding")
    hidden = skills_profile.hide(session, config=wallet_config, user_id=learner_id,
                                 key=welding.key, now=clock())
    session.commit()
    assert hidden.hidden and hidden.name == "Welding"
    shown = profile(session, config=wallet_config, user_id=learner_id)
    assert "Welding" not in [e.name for e in shown.entries] and shown.hidden == ()
    full = profile(session, config=wallet_config, user_id=learner_id, include_hidden=True)
    assert [e.name for e in full.hidden] == ["Welding"] and full.hidden[0].hidden
    assert "Welding" not in [e.name for e in full.entries]
    # kept sealed in the preferences: not readable from the row
    wallet_row = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    stored = preferences.load(session, wallet=wallet_row)["hidden_skills"]
    assert stored == ["name:welding", "url:http://skills.example.org/welding"]
    assert b"welding" not in session.get(WalletPreference, wallet_row.id).ciphertext.lower()
    # a later record that joins it by name only stays hidden
    clock.advance(days=1)
    self_reported(session, wallet_config, learner_id, clock, "Weekend course",
                  [{"type": ["Alignment"], "targetName": "welding"}])
    again = profile(session, config=wallet_config, user_id=learner_id, include_hidden=True)
    assert len(_entry(again, "Welding").evidence) == 2 and _entry(again, "Welding").hidden
    with pytest.raises(WalletNotFound):  # not this learner's skill
        skills_profile.hide(session, config=wallet_config, user_id=other_learner_id,
                            key=welding.key, now=clock())
    with pytest.raises(WalletNotFound):
        skills_profile.show(session, config=wallet_config, user_id=learner_id,
                            key="url:https://nowhere.example", now=clock())
    back = skills_profile.show(session, config=wallet_config, user_id=learner_id,
                               key=welding.key, now=clock())
    assert not back.hidden
    final = profile(session, config=wallet_config, user_id=learner_id, include_hidden=True)
    assert "Welding" in [e.name for e in final.entries] and final.hidden == ()


def test_comparable_is_equal_for_two_wallets_with_the_same_records(
        session, wallet_config, learner_id, other_learner_id, clock, wallet):
    clock.advance(days=3)
    copies = list(wallet.values())
    random.Random(7).shuffle(copies)
    for record in copies:  # as a restore would: other row ids, other times, other order
        clock.advance(minutes=5)
        service.store(session, config=wallet_config, user_id=other_learner_id,
                      credential=record.credential, source="restore", now=clock(),
                      state="kept", report=record.arrival)
    session.commit()
    mine = profile(session, config=wallet_config, user_id=learner_id, include_hidden=True)
    theirs = profile(session, config=wallet_config, user_id=other_learner_id,
                     include_hidden=True)
    assert mine.comparable() == theirs.comparable()
    assert {e.record_id for e in mine.entries[0].evidence}.isdisjoint(
        {e.record_id for e in theirs.entries[0].evidence})
    assert any(e.credential_ref.startswith("urn:uuid:") for e in mine.entries[0].evidence)
    key = _entry(mine, "Welders").key
    skills_profile.hide(session, config=wallet_config, user_id=learner_id, key=key, now=clock())
    mine = profile(session, config=wallet_config, user_id=learner_id, include_hidden=True)
    assert mine.comparable() != theirs.comparable()  # the hidden choice differs
    skills_profile.hide(session, config=wallet_config, user_id=other_learner_id, key=key,
                        now=clock())
    theirs = profile(session, config=wallet_config, user_id=other_learner_id,
                     include_hidden=True)
    assert mine.comparable() == theirs.comparable()
    row = next(r for r in mine.comparable() if r[1] == "Welders")
    assert row[2] == "occupation" and row[3] is True
    assert row[4] == ((wallet["b"].credential["id"], True, False),)


def test_no_wallet_no_skills(session, wallet_config, learner_id):
    assert profile(session, config=wallet_config, user_id=learner_id).entries == ()
    with pytest.raises(WalletNotFound):
        skills_profile.hide(session, config=wallet_config, user_id=learner_id, key="name:x",
                            now=datetime(2026, 1, 1))


# -- merging in memory: any order of the same records gives the same profile -----------

_skill = st.builds(
    Skill, name=st.sampled_from(["Data", "data ", "Dáta", "Weld", "Cook", "x"]),
    framework=st.sampled_from(["", "ESCO", "esco", "O*NET"]),
    code=st.sampled_from(["", "S1", "s1", "35-2014.00"]),
    url=st.sampled_from(["", "https://a.example/1", "http://A.example/1/", "https://b.example"]))


def _record(n: int, skills: list[Skill], outcome: str, self_made: bool) -> Record:
    issuer = "did:key:me" if self_made else "https://college.example"
    summary = RecordSummary(issuer_id=issuer, issuer_name="Issuer", achievement_name=f"R{n}",
                            skills=tuple(skills), issued_on=f"2026-0{1 + n % 9}-01",
                            subject_id="did:key:me", self_reported=self_made)
    return Record(id=f"{n:032x}", state="kept", received_at=datetime(2026, 1, 1),
                  credential={"id": f"urn:uuid:{n}"}, summary=summary,
                  arrival=CheckReport(outcome, (), ""))  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.tuples(st.lists(_skill, max_size=3),
                               st.sampled_from(["verified", "not_verified"]), st.booleans()),
                     max_size=6),
       seed=st.integers(0, 1000))
def test_merging_does_not_depend_on_record_order(data, seed):
    records = [_record(n, skills, outcome, mine) for n, (skills, outcome, mine)
               in enumerate(data)]
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    first, second = build(records), build(shuffled)
    assert first.comparable() == second.comparable()
    assert [e.key for e in first.entries] == [e.key for e in second.entries]
    # every alignment lands in exactly one entry, and entries share no identifier
    seen: set[str] = set()
    for entry in first.entries:
        assert not (entry.identifiers & seen)
        seen |= entry.identifiers
    assert seen == {k for r in records for s in r.summary.skills
                    for k in skills_profile.identifiers(s)}
    for entry in first.entries:
        assert not any(e.verified and e.self_reported for e in entry.evidence)


def test_an_onet_skill_elements_page_is_a_skill_and_an_occupations_page_an_occupation() -> None:
    element = Skill(name="Active Listening", framework="O*NET", code="2.A.1.b",
                    url="https://www.onetonline.org/find/descriptor/result/2.A.1.b")
    assert kind_of(element) == "skill"
    assert kind_of(Skill(name="Welders", url=WELDER)) == "occupation"
    assert kind_of(Skill(name="Nurses", url="https://www.bls.gov/oes/current/oes291141.htm")) \
        == "occupation"
