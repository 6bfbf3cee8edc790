"""Credit for prior learning: rules are checked field by field and kept per organization;
a real CLR signed by this instance's issuer and a hand-made CLR from another did:key issuer
are read record by record (each bundled credential checked on its own); exact
issuer+achievement rules, skill rules (every skill, merged like the wallet merges them),
result minimums and "verified only" give advice that says which records and why; records
no rule recognises are listed; unverified records are marked."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_material import Party, presentation
from verifier_material import BASE

from helpers import clr_credentials
from openler.core.models import ClrCredential, ClrSubject, Profile
from openler.core.proofs import sign
from openler.core.verify import VerificationContext
from openler.core.verify.credential import verify_credential
from openler.core.verify.detect import verify_any
from openler.issuer import awards, catalog, transcripts
from openler.issuer.awards_input import ResultInput
from openler.issuer.catalog_input import (
    AchievementInput,
    AlignmentInput,
    ResultDescriptionInput,
)
from openler.verifier import credit, credit_records
from openler.verifier import report as reports
from openler.wallet import verification
from openler.wallet.models import Skill

ESCO_WELD = "http://data.europa.eu/esco/skill/weld-metal"
LEARNER_DID = "did:example:learner-7f3a"


@pytest.fixture
def school(accounts) -> str:
    return accounts.org_owner("admissions@uni.example", "Example University", kind="school")[1]


@pytest.fixture
def own_course(session, issuer_config, school, clock):
    row = catalog.create_achievement(
        session, config=issuer_config, org_id=school, now=clock(),
        data=AchievementInput(name="English Composition", description="Academic writing.",
                              criteria="Pass the course.", human_code="ENG-101",
                              credits_available="3"))
    session.commit()
    return row


def _offline_ctx(clock) -> VerificationContext:
    return VerificationContext(now=clock())


def _records(document, ctx):
    result = verify_any(document, ctx=ctx)
    built = reports.build(result, document=document)
    return credit_records.read(document, result, built,
                               verify=lambda d: verify_credential(d, ctx=ctx))


def _clr_from(issuer: Party, credentials, *, achievements=(), associations=None, name="Record"):
    subject = ClrSubject(id=LEARNER_DID, verifiable_credential=tuple(credentials))
    doc = ClrCredential(id="urn:uuid:1b0e1d2c-0000-4000-8000-000000000001", name=name,
                        issuer=Profile(id=issuer.did, name="Other College"),
                        valid_from="2025-06-01T00:00:00Z",
                        credential_subject=subject).to_json()
    if achievements:
        doc["credentialSubject"]["achievement"] = list(achievements)
    if associations:
        doc["credentialSubject"]["association"] = associations
    return sign(doc, keypair=issuer.pair, verification_method=issuer.vm)


def _ob3(issuer: Party, achievement_id: str, name: str, *, skills=(), results=(),
         descriptions=(), subject_id=LEARNER_DID):
    from helpers import ob3_example

    doc = ob3_example()
    doc.pop("credentialStatus")
    doc.pop("credentialSchema")
    doc["issuer"]["id"] = issuer.did
    subject = doc["credentialSubject"]
    subject["id"] = subject_id
    subject["activityStartDate"] = "2025-02-01T00:00:00Z"
    subject["activityEndDate"] = "2025-05-30T00:00:00Z"
    subject.pop("result", None)
    achievement = subject["achievement"]
    achievement.update(id=achievement_id, name=name)
    achievement.pop("alignment", None)
    achievement.pop("resultDescription", None)
    if skills:
        achievement["alignment"] = [dict(type=["Alignment"], **s) for s in skills]
    if descriptions:
        achievement["resultDescription"] = list(descriptions)
    if results:
        subject["result"] = list(results)
    return sign(doc, keypair=issuer.pair, verification_method=issuer.vm)


def _rule(course, **kw) -> credit.Mapping:
    base = dict(id="r1", course=course, kind="achievement", issuer_did="", achievement_id="",
                skills=(), note="counts", result_name="", min_result=None,
                verified_only=False)
    return credit.Mapping(**{**base, **kw})


COURSE = credit.Course("c1", "English Composition", "ENG-101", "3")


# ---- rules ------------------------------------------------------------------------------

def test_rules_are_checked_field_by_field_and_nothing_is_saved(session, school, own_course,
                                                               clock, accounts):
    with pytest.raises(credit.CreditInputError) as caught:
        credit.add_mapping(session, org_id=school, user_id=None, course_id="", kind="achievement",
                           issuer_did="not a did", achievement_id="has space", note="",
                           min_result="seventy", now=clock())
    assert caught.value.errors == {"course_id": "required", "issuer_did": "bad_did",
                                   "achievement_id": "bad_id", "note": "required",
                                   "min_result": "not_a_number"}
    with pytest.raises(credit.CreditInputError) as caught:
        credit.add_mapping(session, org_id=school, user_id=None, course_id=own_course.id,
                           kind="skills", note="x" * 501, result_name="Grade", now=clock())
    assert caught.value.errors == {"skills": "no_skills", "note": "too_long",
                                   "min_result": "min_missing"}
    with pytest.raises(credit.CreditInputError) as caught:
        credit.add_mapping(session, org_id=school, user_id=None, course_id=own_course.id,
                           kind="other", note="n", min_result="70", now=clock())
    assert caught.value.errors == {"kind": "bad_kind", "result_name": "result_name_missing"}
    _, other = accounts.org_owner("hr@else.example", "Else", kind="school")
    with pytest.raises(credit.CreditInputError) as caught:
        credit.add_mapping(session, org_id=other, user_id=None, course_id=own_course.id,
                           kind="achievement", issuer_did="did:web:a.example",
                           achievement_id="urn:x:1", note="n", now=clock())
    assert caught.value.errors == {"course_id": "unknown_course"}
    assert credit.mappings(session, org_id=school) == []
    assert credit.mappings(session, org_id=other) == []


def test_a_rule_is_kept_listed_refused_twice_and_removed_only_by_its_org(
        session, school, own_course, clock, accounts):
    _, other = accounts.org_owner("hr@else.example", "Else", kind="school")
    rule = credit.add_mapping(
        session, org_id=school, user_id=None, course_id=own_course.id, kind="achievement",
        issuer_did=" did:web:other.example ", achievement_id="https://other.example/a/1",
        note="  counts as   ENG-101, 3 credits ", result_name="Final grade", min_result="70,5",
        verified_only=True, now=clock())
    assert (rule.issuer_did, rule.note, rule.min_result, rule.verified_only) == (
        "did:web:other.example", "counts as ENG-101, 3 credits", 70.5, True)
    assert rule.course == credit.Course(own_course.id, "English Composition", "ENG-101", "3")
    assert [m.id for m in credit.mappings(session, org_id=school)] == [rule.id]
    with pytest.raises(credit.CreditInputError) as caught:
        credit.add_mapping(session, org_id=school, user_id=None, course_id=own_course.id,
                           kind="achievement", issuer_did="did:web:other.example",
                           achievement_id="https://other.example/a/1", note="again",
                           now=clock())
    assert caught.value.errors == {"achievement_id": "already_mapped"}
    with pytest.raises(credit.MappingNotFound):
        credit.remove_mapping(session, org_id=other, mapping_id=rule.id)
    credit.remove_mapping(session, org_id=school, mapping_id=rule.id)
    assert credit.mappings(session, org_id=school) == []


def test_a_skills_rule_keeps_its_skills(session, school, own_course, clock):
    skills = (Skill(name="Welding", url=ESCO_WELD), Skill(name="Blueprint reading"))
    rule = credit.add_mapping(session, org_id=school, user_id=None, course_id=own_course.id,
                              kind="skills", skills=skills, issuer_did="ignored",
                              note="Counts as WLD-100", now=clock())
    again = credit.mappings(session, org_id=school)[0]
    assert again.skills == rule.skills and [s.name for s in again.skills] == [
        "Welding", "Blueprint reading"]
    assert again.issuer_did == "" and again.kind == "skills"
    with pytest.raises(credit.CreditInputError) as caught:
        credit.add_mapping(session, org_id=school, user_id=None, course_id=own_course.id,
                           kind="skills", note="dup",
                           skills=(Skill(name="blueprint READING"), Skill(name="x", url=ESCO_WELD + "/")),
                           now=clock())
    assert caught.value.errors == {"skills": "already_mapped"}


# ---- reading CLRs -----------------------------------------------------------------------

def test_a_real_clr_of_this_instance_is_read_and_each_credential_checked(
        session, issuer_config, clock, accounts, school, own_course):
    _, college = accounts.org_owner("registrar@college.example", "Example College",
                                    kind="issuer")
    programme = catalog.create_achievement(
        session, config=issuer_config, org_id=college, now=clock(),
        data=AchievementInput(name="Diploma in Writing", description="Programme.",
                              criteria="All courses."))
    course = catalog.create_achievement(
        session, config=issuer_config, org_id=college, now=clock(),
        data=AchievementInput(
            name="Writing I", description="Essays.", criteria="Pass.",
            parent_id=programme.id,
            alignments=[AlignmentInput("Academic writing", target_url="http://data.europa.eu/esco/skill/s1-6-1",
                                       target_framework="ESCO",
                                       target_code="S1.6.1")],
            result_descriptions=[ResultDescriptionInput("Final grade", "Percent",
                                                        value_min="0", value_max="100")]))
    for achievement, results in ((programme, ()), (course, (ResultInput("Final grade",
                                                                        value="82"),))):
        awards.award(session, config=issuer_config, org_id=college,
                     achievement_id=achievement.id, recipient_did=LEARNER_DID, results=results,
                     now=clock())
    clr = transcripts.learner_record(session, config=issuer_config, org_id=college,
                                     recipient_did=LEARNER_DID, now=clock())
    session.commit()
    ctx = verification.context(session, config=issuer_config, now=clock(), language="en")
    records = _records(clr, ctx)
    by_name = {r.name: r for r in records}
    assert set(by_name) == {"Diploma in Writing", "Writing I"}
    writing = by_name["Writing I"]
    assert writing.verified and writing.standing == "verified" and not writing.listed_only
    assert writing.issuer_did == issuer_config.base.org_did(college)
    assert writing.achievement_id.startswith(f"{BASE}/orgs/{college}/achievements/{course.id}/v/")
    assert writing.within == clr["name"] and writing.part_of == ("Diploma in Writing",)
    assert [(r.description_name, r.value) for r in writing.results] == [("Final grade", "82")]
    assert writing.report is not None and writing.report.state in ("verified", "warning")
    assert {r.number for r in records} == {"1.1", "1.2"}

    exact = _rule(COURSE, issuer_did=writing.issuer_did, achievement_id=writing.achievement_id,
                  result_name="final GRADE", min_result=80, verified_only=True)
    by_skill = _rule(COURSE, id="r2", kind="skills",
                     skills=(Skill(name="Writing (academic)", framework="esco",
                                   code="s1.6.1"),))
    advice = credit.evaluate([exact, by_skill], records)
    assert [c.course.id for c in advice.courses] == ["c1"]
    matches = advice.courses[0].rules
    assert all(m.met and m.verified for m in matches)
    assert matches[0].uses[0].result_state == "met"
    assert [u.record.name for u in matches[1].uses] == ["Writing I"]
    assert [r.name for r in advice.unmatched] == ["Diploma in Writing"]
    higher = credit.evaluate([replace(exact, min_result=90)], records)
    assert not higher.courses[0].could_count
    assert higher.courses[0].rules[0].uses[0].result_state == "below"

    tampered = copy.deepcopy(clr)
    tampered["credentialSubject"]["verifiableCredential"][0]["name"] = "Changed"
    changed = {r.number: r for r in _records(tampered, ctx)}
    assert changed["1.1"].standing == "not_verified" and not changed["1.1"].verified
    assert changed["1.2"].verified  # the other bundled credential stands on its own proof


def test_a_hand_made_clr_from_another_did_key_issuer(clock):
    other = Party()
    grade = {"id": "urn:rd:grade", "type": ["ResultDescription"], "name": "Final grade",
             "resultType": "Percent"}
    good = _ob3(other, "urn:course:wld-1", "Welding I",
                skills=[{"targetName": "weld metal", "targetUrl": ESCO_WELD + "/"},
                        {"targetName": "Blueprint Reading",
                             "targetUrl": "https://skills.example/blueprints"}],
                descriptions=[grade],
                results=[{"type": ["Result"], "resultDescription": "urn:rd:grade",
                          "value": "64"}])
    listed = {"id": "urn:course:math-1", "type": ["Achievement"], "name": "Técnicas Matemáticas",
              "criteria": {"narrative": "Pass."}, "description": "Maths.",
              "alignment": [{"type": ["Alignment"], "targetName": "Maths",
                             "targetUrl": "https://skills.example/maths"}]}
    clr = _clr_from(other, [good], achievements=[listed],
                    associations=[{"type": "Association", "associationType": "isParentOf",
                                   "sourceId": "urn:course:math-1",
                                   "targetId": "urn:course:wld-1"}])
    ctx = _offline_ctx(clock)
    records = {r.name: r for r in _records(clr, ctx)}
    welding, maths = records["Welding I"], records["Técnicas Matemáticas"]
    assert welding.verified and welding.part_of == ("Técnicas Matemáticas",)
    assert maths.listed_only and maths.standing == "listed" and not maths.verified
    assert maths.issuer_did == other.did and maths.report is None

    course = credit.Course("c2", "Welding Basics", "WLD-100", "")
    skills_rule = _rule(course, kind="skills", skills=(
        Skill(name="Welding", url=ESCO_WELD), Skill(name="blueprint reading")),
        result_name="Final grade", min_result=60)
    advice = credit.evaluate([skills_rule], list(records.values()))
    found = advice.courses[0].rules[0]
    assert found.met and found.verified and found.missing == ()
    assert found.uses[0].result_state == "met" and found.uses[0].result.value == "64"
    assert [r.name for r in advice.unmatched] == ["Técnicas Matemáticas"]
    strict = credit.evaluate([replace(skills_rule, min_result=65)], list(records.values()))
    assert not strict.courses[0].could_count
    assert [s.name for s in strict.courses[0].rules[0].missing] == ["Welding",
                                                                    "blueprint reading"]
    maths_rule = _rule(course, id="m", issuer_did=other.did, achievement_id="urn:course:math-1")
    listed_advice = credit.evaluate([maths_rule, replace(maths_rule, id="m2",
                                                         verified_only=True)],
                                    list(records.values()))
    rules = listed_advice.courses[0].rules
    assert rules[0].met and not rules[0].verified  # listed only: never counted as verified
    assert not rules[1].met and not rules[1].uses[0].verified_ok


def test_a_skills_rule_needs_every_skill_and_may_combine_records(clock):
    other, holder = Party(), Party()
    one = _ob3(other, "urn:a:1", "Welding", subject_id=holder.did, skills=[{"targetName": "Welding",
                                                     "targetFramework": "ESCO",
                                                     "targetCode": "S6.1",
                                                     "targetUrl": "https://a.example/s6-1"}])
    two = _ob3(other, "urn:a:2", "Drawing", subject_id=holder.did, skills=[{"targetName": "Técnico de dibujo",
                                                      "targetUrl": "https://a.example/d"}])
    records = _records(presentation(holder, [one, two]), _offline_ctx(clock))
    rule = _rule(COURSE, kind="skills", skills=(Skill(name="MIG", framework="esco",
                                                      code="s6.1"),
                                                Skill(name="tecnico DE DIBUJO")))
    found = credit.evaluate([rule], records).courses[0].rules[0]
    assert found.met and found.verified and [u.record.number for u in found.uses] == ["1", "2"]
    only_one = credit.evaluate([rule], records[:1]).courses[0].rules[0]
    assert not only_one.met and [s.name for s in only_one.missing] == ["tecnico DE DIBUJO"]


def test_unverified_records_are_marked_and_verified_only_rules_refuse_them(clock):
    other = Party()
    cred = _ob3(other, "urn:a:1", "Welding")
    cred["name"] = "Changed after signing"
    records = _records(cred, _offline_ctx(clock))
    assert records[0].standing == "not_verified"
    assert records[0].report is not None and records[0].report.state == "not_verified"
    rule = _rule(COURSE, issuer_did=other.did, achievement_id="urn:a:1")
    loose = credit.evaluate([rule], records).courses[0].rules[0]
    assert loose.met and not loose.verified
    strict = credit.evaluate([replace(rule, verified_only=True)], records).courses[0]
    assert not strict.could_count and not strict.rules[0].uses[0].counts
    wrong_issuer = credit.evaluate([replace(rule, issuer_did=Party().did)], records)
    assert wrong_issuer.courses == () and wrong_issuer.unmatched == records


def test_a_presentation_whose_own_proof_fails_marks_every_record(clock):
    other, holder = Party(), Party()
    vp = presentation(holder, [_ob3(other, "urn:a:1", "Welding", subject_id=holder.did)])
    assert [r.standing for r in _records(vp, _offline_ctx(clock))] == ["verified"]
    stranger = presentation(Party(), [_ob3(other, "urn:a:1", "Welding",
                                           subject_id=holder.did)])
    records = _records(stranger, _offline_ctx(clock))  # shown by someone it does not name
    assert [r.standing for r in records] == ["not_verified"]
    assert records[0].report is not None and records[0].report.state == "not_verified"


def test_result_minimum_when_the_record_has_no_such_result_or_a_word(clock):
    other = Party()
    grade = {"id": "urn:rd:g", "type": ["ResultDescription"], "name": "Grade",
             "resultType": "LetterGrade"}
    worded = _ob3(other, "urn:a:1", "Welding", descriptions=[grade],
                  results=[{"type": ["Result"], "resultDescription": "urn:rd:g", "value": "B"}])
    records = _records(worded, _offline_ctx(clock))
    rule = _rule(COURSE, issuer_did=other.did, achievement_id="urn:a:1", result_name="Grade",
                 min_result=2)
    use = credit.evaluate([rule], records).courses[0].rules[0].uses[0]
    assert use.result_state == "not_a_number" and not use.counts
    absent = credit.evaluate([replace(rule, result_name="Exam")], records)
    use = absent.courses[0].rules[0].uses[0]
    assert use.result_state == "none_shown" and use.counts
    by_id = credit.evaluate([replace(rule, result_name="urn:rd:g")], records)
    assert by_id.courses[0].rules[0].uses[0].result.value == "B"


@given(value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
       minimum=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_the_minimum_is_met_exactly_when_the_value_is_not_below_it(value, minimum):
    record = credit_records.Record(
        number="1", name="x", issuer_did="did:web:a.example", issuer_name="",
        achievement_id="urn:a", skills=(), results=(
            credit_records.ResultValue("urn:rd", "Score", repr(value)),),
        outcome="verified")
    rule = _rule(COURSE, issuer_did="did:web:a.example", achievement_id="urn:a",
                 result_name="score", min_result=minimum)
    use = credit.evaluate([rule], [record]).courses[0].rules[0].uses[0]
    assert use.counts == (value >= minimum)
    assert use.result_state == ("met" if value >= minimum else "below")


def test_courses_are_the_organizations_own(session, school, own_course, accounts,
                                           issuer_config, clock):
    _, other = accounts.org_owner("x@else.example", "Else", kind="school")
    catalog.create_achievement(session, config=issuer_config, org_id=other, now=clock(),
                               data=AchievementInput(name="Other course", description="d",
                                                     criteria="c"))
    catalog.retire_achievement(session, org_id=school, achievement_id=own_course.id,
                               now=clock())
    assert credit.courses(session, org_id=school) == []
    assert [c.name for c in credit.courses(session, org_id=school, include_retired=True)] == [
        "English Composition"]


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


@given(clr=clr_credentials(), garbage=_JSON,
       field=st.sampled_from(["achievement", "association", "verifiableCredential", "result"]))
def test_reading_any_clr_never_fails_and_numbers_each_record(clr, garbage, field):
    from openler.core.verify.result import Check, VerificationResult

    clr = copy.deepcopy(clr)
    clr["credentialSubject"][field] = garbage if field != "verifiableCredential" else (
        clr["credentialSubject"]["verifiableCredential"] + [garbage])
    failed = VerificationResult("credential", "json",
                                (Check("proof", "failed", "proof.invalid", "x"),))
    built = reports.build(failed, document=clr)
    records = credit_records.read(clr, failed, built, verify=lambda d: failed)
    numbers = [r.number for r in records]
    assert len(numbers) == len(set(numbers)) and all(n.startswith("1.") for n in numbers)
    assert all(r.standing in ("not_verified", "self_reported") and not r.verified
               for r in records)
    rule = _rule(COURSE, kind="skills", skills=(Skill(name="anything"),))
    advice = credit.evaluate([rule], records)
    assert {r.number for r in advice.unmatched} | {
        u.record.number for c in advice.courses for m in c.rules for u in m.uses} == set(numbers)
