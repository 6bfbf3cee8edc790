"""What an employer's OpenID4VP request asks and how its answers are explained
(``openler.verifier.asking`` and the request page's ``explained_answers``): similar catalog
names are accepted as further ``targetName`` values and a wallet can answer with them; a
partial answer is allowed (the page says what is missing); each answer is explained with
exact matches first, then similar names above the threshold, and exact only without the
language model. Counterfactual property: names, schools, dates of birth and addresses in the
answered credentials change no finding on the request page."""

from __future__ import annotations

import copy
from collections import OrderedDict
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.skills import similarity
from openler.skills.encoder import ModelUnavailableError
from openler.verifier import asking, inbox, matching
from openler.verifier.dcql import chosen_claims, parse_query
from openler.verifier.matching import Requirement
from openler.wallet.models import Skill
from openler.web.routers.verifier_requests import explained_answers

PM = Skill(name="Project Management")
LISTEN = Skill(name="Active Listening")
WELD = Skill(name="weld metal parts", framework="ESCO", code="S6.7.1",
             url="http://data.europa.eu/esco/skill/weld-metal")
CATALOG = [Skill(name="manage projects", framework="ESCO", code="S4.8.1"),
           Skill(name="listen actively", framework="ESCO", code="S1.4.1"),
           Skill(name="Weld Metal Parts", framework="ESCO", code="S6.7.1"), WELD,
           Skill(name="operate forklift")]
ASKED = [Requirement(PM), Requirement(LISTEN), Requirement(WELD)]
WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _break_the_model(monkeypatch):
    def broken():
        raise ModelUnavailableError("not installed")
    monkeypatch.setattr(similarity, "Encoder", broken)
    monkeypatch.setattr(similarity, "_encoder", None)
    monkeypatch.setattr(similarity, "_failure", None)
    monkeypatch.setattr(similarity, "_cache", OrderedDict())


def _credential(achievement: str, skills: list[Skill], *, person: dict, school: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:college.example", "name": school,
                   "image": "https://college.example/logo.png"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:key:z6MkLearner", "type": ["AchievementSubject"], **person,
            "achievement": {"name": achievement, "alignment": [
                {"targetName": s.name, "targetFramework": s.framework, "targetCode": s.code,
                 **({"targetUrl": s.url} if s.url else {})} for s in skills]}}}


def _answer(n: int, records: list[tuple[str, list[Skill], str]], *, person: dict,
            school: str, status: str = "verified") -> inbox.Answer:
    """A kept answer as ``inbox.answers_of`` gives it: one presentation per record."""
    token = {f"skill{i}": [{"type": ["VerifiablePresentation"], "verifiableCredential": [
        _credential(name, skills, person=person, school=school)]}]
        for i, (name, skills, _) in enumerate(records, 1)}
    report = {"outcome": status, "presentations": [
        {"query_id": f"skill{i}", "format": "ldp_vc", "outcome": outcome,
         "result": {"outcome": outcome, "checks": [], "credentials": [{"outcome": outcome}]}}
        for i, (_, _, outcome) in enumerate(records, 1)]}
    return inbox.Answer(f"a{n}", "r1", "Project lead", WHEN, status, None, report, WHEN, False,
                        token if status != "declined" else None)


def test_similar_catalog_names_are_accepted_and_a_wallet_can_answer_with_them():
    also = asking.alternative_names([PM, LISTEN, WELD], CATALOG)
    # 0.87 alike: accepted; "listen actively" is 0.84, below the threshold; another
    # spelling of the same name is accepted too.
    assert also == {"Project Management": ["manage projects"],
                    "weld metal parts": ["Weld Metal Parts"]}
    query = asking.skills_query([PM, LISTEN, WELD], alternatives=also)
    parsed = parse_query(query)
    assert [c["claims"][-1]["values"] for c in query["credentials"]] == [
        ["Project Management", "manage projects"], ["Active Listening"],
        ["weld metal parts", "Weld Metal Parts"]]
    assert query["credential_sets"] == [{"options": [["skill1", "skill2", "skill3"], ["skill1"],
                                                     ["skill2"], ["skill3"]], "required": True}]
    assert parsed.required_ids(["skill1"]) == [] and parsed.required_ids([]) != []
    record = _credential("Project Office", [CATALOG[0]], person={}, school="X")
    assert chosen_claims(parsed.by_id("skill1"), record) is not None
    assert chosen_claims(parsed.by_id("skill2"), record) is None
    assert asking.accepted_names(query) == also
    # One skill: no credential set; no alternatives: only the skill's own name.
    single = asking.skills_query([LISTEN])
    assert "credential_sets" not in single
    assert single["credentials"][0]["claims"][-1]["values"] == ["Active Listening"]
    assert asking.accepted_names(single) == {}


def test_alternatives_need_the_model(monkeypatch):
    _break_the_model(monkeypatch)
    with pytest.raises(ModelUnavailableError):
        asking.alternative_names([PM], CATALOG)


def test_page_explains_similar_names_with_the_records_and_threshold():
    person = {"name": "Ana Ruiz"}
    answers = [
        _answer(0, [("Project Office", [CATALOG[0]], "verified"),
                    ("Welding Basics", [WELD], "verified")], person=person, school="A"),
        _answer(1, [], person=person, school="A", status="declined"),
    ]
    explained, semantic = explained_answers(ASKED, answers)
    assert semantic == {"on": True, "percent": 85}
    assert explained[1] is None  # a declined answer is not explained
    found = {f.requirement.skill.name: f for f in explained[0].findings}
    assert found["Project Management"].state == "verified"
    assert found["Project Management"].similar_only
    [mt] = found["Project Management"].matches
    assert (mt.record, mt.how, mt.skill.name) == ("Project Office", "similar", "manage projects")
    assert 0.85 <= mt.similarity < 1.0
    assert found["Active Listening"].state == "missing" and not found["Active Listening"].matches
    [weld] = found["weld metal parts"].matches
    assert (weld.record, weld.how) == ("Welding Basics", "url")


def test_page_falls_back_to_exact_matching_without_the_model(monkeypatch):
    _break_the_model(monkeypatch)
    answers = [_answer(0, [("Project Office", [CATALOG[0]], "verified"),
                           ("Welding Basics", [WELD], "verified")], person={}, school="A")]
    explained, semantic = explained_answers(ASKED, answers)
    assert semantic == {"on": False, "percent": 85}
    assert [f.state for f in explained[0].findings] == ["missing", "missing", "verified"]
    nothing, note = explained_answers(ASKED, [])
    assert nothing == [] and note["on"] is False


names = st.text(min_size=0, max_size=30)
people = st.fixed_dictionaries({}, optional={
    "name": names,
    "givenName": names,
    "birthDate": st.dates().map(lambda d: d.isoformat()),
    "address": st.fixed_dictionaries({"streetAddress": names, "addressLocality": names,
                                      "postalCode": st.text(max_size=10)}),
    "image": st.sampled_from(["", "https://example.org/photo.jpg", "data:image/png;base64,AA"]),
})
ANSWERS = [
    [("Project Office", [CATALOG[0]], "verified"), ("Welding Basics", [WELD], "verified")],
    [("Listening course", [CATALOG[1]], "verified"),
     ("Old welding", [Skill(name="Weld Metal Parts")], "not_verified")],
    [("Everything", [PM, LISTEN, WELD], "verified")],
]


def _run(persons: list[dict], schools: list[str]):
    answers = [_answer(n, records, person=persons[n % len(persons)],
                       school=schools[n % len(schools)]) for n, records in enumerate(ANSWERS)]
    return explained_answers(ASKED, answers)


BASELINE = _run([{"name": "Ana Ruiz", "birthDate": "1990-01-01",
                  "address": {"streetAddress": "1 Main St"}}], ["Example College"])


@settings(max_examples=40, deadline=None)
@given(persons=st.lists(people, min_size=1, max_size=3),
       schools=st.lists(names, min_size=1, max_size=3))
def test_counterfactual_identity_fields_change_no_finding_on_the_page(persons, schools):
    before = copy.deepcopy(persons)
    assert _run(persons, schools) == BASELINE
    assert persons == before
    states = [[f.state for f in e.findings] for e in BASELINE[0]]
    assert states == [["verified", "missing", "verified"], ["missing", "missing", "unverified"],
                      ["verified", "verified", "verified"]]
    assert any(f.similar_only for e in BASELINE[0] for f in e.findings)
    assert matching.Explanation is type(BASELINE[0][0])
