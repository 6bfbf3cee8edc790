"""Role matching (``openler.verifier.matching``): requirements met by verified records, only
by self-reported ones, only by records that failed their check, or missing; free text mapped
to catalog skills by the wallet's merge rules; ranking by those counts. Counterfactual
property: changing names, school (issuer) names, dates of birth or addresses in the
credentials changes neither an explanation nor the ranking."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.verifier import matching
from openler.verifier.matching import Evidence, Requirement
from openler.wallet.models import Skill

WELD = Skill(name="Weld metal parts", framework="ESCO", code="S6.7.1",
             url="https://data.europa.eu/esco/skill/weld-metal/")
FORK = Skill(name="Operate forklift", framework="ESCO", code="S8.2.0",
             url="http://data.europa.eu/esco/skill/forklift")
AID = Skill(name="First aid")
ROLE = [Requirement(WELD), Requirement(FORK), Requirement(AID, required=False)]


def _credential(achievement: str, skills: list[Skill], *, person: dict, school: str,
                self_issued: bool = False) -> dict:
    subject_id = "did:key:z6MkLearner"
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": subject_id if self_issued else "did:web:college.example",
                   "name": school, "image": "https://college.example/logo.png"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": subject_id, "type": ["AchievementSubject"], **person,
            "achievement": {"name": achievement, "alignment": [
                {"targetName": s.name, "targetUrl": s.url, "targetFramework": s.framework,
                 "targetCode": s.code} for s in skills]}}}


def test_each_requirement_says_what_backs_it():
    evidence = [Evidence("Welding Basics", (WELD,), "verified"),
                Evidence("My forklift summer", (Skill(name="operate FORKLIFT"),),
                         "self_reported"),
                Evidence("Old first aid", (AID,), "unverified")]
    found = matching.explain(ROLE, evidence)
    assert [(f.requirement.skill.name, f.state) for f in found.findings] == [
        ("Weld metal parts", "verified"), ("Operate forklift", "self_reported"),
        ("First aid", "unverified")]
    assert found.findings[1].self_reported == ("My forklift summer",)
    assert found.count("verified", required=True) == 1
    nothing = matching.explain(ROLE, [])
    assert {f.state for f in nothing.findings} == {"missing"}


def test_same_skill_by_url_code_or_folded_name():
    by_url = Skill(name="welding", url="http://DATA.europa.eu/esco/skill/weld-metal")
    by_code = Skill(name="x", framework="esco", code="s6.7.1")
    by_name = Skill(name="Wéld  metal PARTS")
    for other in (by_url, by_code, by_name):
        assert matching.finding(Requirement(WELD),
                                [Evidence("r", (other,), "verified")]).state == "verified"
    assert matching.finding(Requirement(WELD), [
        Evidence("r", (Skill(name="Weld plastic"),), "verified")]).state == "missing"


def test_free_text_maps_to_catalog_skills():
    catalog = [WELD, FORK]
    assert matching.resolve("weld METAL parts", catalog) == WELD
    assert matching.resolve("S8.2.0", catalog) == FORK
    assert matching.resolve(" basket   weaving ", catalog) == Skill(name="basket weaving")
    assert matching.resolve("   ", catalog).name == ""


def test_ranking_orders_by_verified_required_then_keeps_arrival():
    strong = [Evidence("a", (WELD, FORK), "verified")]
    half = [Evidence("b", (WELD,), "verified"), Evidence("c", (FORK,), "self_reported")]
    weak = [Evidence("d", (WELD, FORK, AID), "self_reported")]
    same_as_half = [Evidence("e", (WELD,), "verified"), Evidence("f", (FORK,), "self_reported")]
    ranked = matching.rank(ROLE, [("weak", weak), ("half", half), ("strong", strong),
                                  ("twin", same_as_half)])
    assert [cid for cid, _ in ranked] == ["strong", "half", "twin", "weak"]


def test_standing_and_evidence_read_only_skills_and_outcome():
    person = {"name": "Ana Ruiz", "birthDate": "1999-02-03"}
    own = _credential("Forklift summer", [FORK], person=person, school="Me", self_issued=True)
    ev = matching.evidence_from(own, "ldp_vc", outcome="verified")
    assert ev.standing == "self_reported" and ev.label == "Forklift summer"
    failed = matching.evidence_from(_credential("Welding", [WELD], person=person, school="X"),
                                    "ldp_vc", outcome="not_verified")
    assert failed.standing == "unverified" and failed.skills == (WELD,)


names = st.text(min_size=0, max_size=40)
people = st.fixed_dictionaries({
    "name": names,
    "givenName": names,
    "birthDate": st.dates().map(lambda d: d.isoformat()),
    "address": st.fixed_dictionaries({"streetAddress": names, "addressLocality": names,
                                      "postalCode": st.text(max_size=10)}),
    "image": st.sampled_from(["", "https://example.org/photo.jpg", "data:image/png;base64,AA"]),
})
CANDIDATES = [
    [("Welding Basics", [WELD], "verified", False), ("Forklift", [FORK], "verified", False)],
    [("Forklift", [FORK], "verified", False), ("Summer job", [WELD, AID], "verified", True)],
    [("Welding Basics", [WELD], "not_verified", False)],
    [("Everything", [WELD, FORK, AID], "verified", True)],
]


def _run(persons: list[dict], schools: list[str]):
    candidates = []
    for n, records in enumerate(CANDIDATES):
        evidence = [matching.evidence_from(
            _credential(name, skills, person=persons[n % len(persons)],
                        school=schools[(n + i) % len(schools)], self_issued=own),
            "ldp_vc", outcome=outcome) for i, (name, skills, outcome, own) in enumerate(records)]
        candidates.append((f"c{n}", evidence))
    return matching.rank(ROLE, candidates)


BASELINE = _run([{"name": "Ana Ruiz", "birthDate": "1990-01-01",
                  "address": {"streetAddress": "1 Main St"}}], ["Example College"])


@settings(max_examples=60, deadline=None)
@given(persons=st.lists(people, min_size=1, max_size=4),
       schools=st.lists(names, min_size=1, max_size=4))
def test_counterfactual_identity_fields_change_nothing(persons, schools):
    before = copy.deepcopy(persons)
    assert _run(persons, schools) == BASELINE
    assert persons == before  # inputs are not mutated
    assert [cid for cid, _ in BASELINE] == ["c0", "c1", "c3", "c2"]


# ---- semantic matching: similar names, stated how, exact beats semantic ---------------------

PM = Skill(name="Project Management", framework="O*NET", code="2.B.5.d")
SPEAK = Skill(name="public speaking")


def test_each_match_says_how_and_lists_its_records():
    evidence = [Evidence("Welding Basics", (WELD,), "verified"),
                Evidence("Welding II", (Skill(name="x", framework="esco", code="s6.7.1"),),
                         "verified"),
                Evidence("Shop notes", (Skill(name="weld metal PARTS"),), "self_reported"),
                Evidence("Site lead", (Skill(name="manage projects"),), "verified")]
    similar = matching.similar_names([Requirement(WELD), Requirement(PM)],
                                     matching.names_of(evidence))
    assert set(similar) == {"weld metal parts", "project management"}
    assert "manage projects" in similar["project management"]
    weld, pm = matching.explain([Requirement(WELD), Requirement(PM)], evidence,
                                similar=similar).findings
    assert [(m.record, m.standing, m.how) for m in weld.matches] == [
        ("Welding Basics", "verified", "url"), ("Welding II", "verified", "code"),
        ("Shop notes", "self_reported", "name")]
    assert weld.verified == ("Welding Basics", "Welding II") and not weld.similar_only
    [m] = pm.matches
    assert (m.record, m.how, m.skill.name, m.exact) == ("Site lead", "similar",
                                                         "manage projects", False)
    assert m.similarity >= matching.SEMANTIC_THRESHOLD
    assert pm.state == "verified" and pm.exact_state == "missing" and pm.similar_only
    exact_only = matching.explain([Requirement(PM)], evidence)
    assert exact_only.findings[0].state == "missing"  # without similar names: exact only


def test_unrelated_or_sibling_names_do_not_match():
    evidence = [Evidence("r", (Skill(name="weld plastic"), Skill(name="bake bread"),
                               Skill(name="maintain solar power systems")), "verified")]
    role = [Requirement(Skill(name="install solar power systems")), Requirement(AID)]
    similar = matching.similar_names(role, matching.names_of(evidence))
    assert all(not v for v in similar.values())
    assert {f.state for f in matching.explain(role, evidence, similar=similar).findings} == {
        "missing"}


def test_exact_beats_semantic_of_the_same_standing_and_standing_comes_first():
    role = [Requirement(PM)]
    exact = [Evidence("a", (Skill(name="project management"),), "verified")]
    near = [Evidence("b", (Skill(name="manage projects"),), "verified")]
    near_own = [Evidence("c", (Skill(name="manage projects"),), "self_reported")]
    exact_own = [Evidence("d", (PM,), "self_reported")]
    candidates = [("near_own", near_own), ("near", near), ("exact_own", exact_own),
                  ("exact", exact), ("none", [])]
    names = matching.names_of(e for _, ev in candidates for e in ev)
    similar = matching.similar_names(role, names)
    ranked = matching.rank(role, candidates, similar=similar)
    assert [cid for cid, _ in ranked] == ["exact", "near", "exact_own", "near_own", "none"]
    assert [cid for cid, _ in matching.rank(role, candidates)] == [
        "exact", "exact_own", "near_own", "near", "none"]  # exact only: arrival among misses


def test_similar_names_need_the_model(monkeypatch):
    from collections import OrderedDict

    from openler.skills import similarity
    from openler.skills.encoder import ModelUnavailableError

    def broken():
        raise ModelUnavailableError("not installed")
    monkeypatch.setattr(similarity, "Encoder", broken)
    monkeypatch.setattr(similarity, "_encoder", None)
    monkeypatch.setattr(similarity, "_failure", None)
    monkeypatch.setattr(similarity, "_cache", OrderedDict())
    with pytest.raises(ModelUnavailableError):
        matching.similar_names([Requirement(PM)], ["manage projects"])
    assert matching.similar_names([], ["manage projects"]) == {}  # nothing to compare: no model


SEMANTIC_ROLE = [Requirement(PM), Requirement(WELD), Requirement(SPEAK, required=False)]
SEMANTIC_CANDIDATES = [
    [("Site lead", [Skill(name="manage projects")], "verified", False),
     ("Talks", [Skill(name="speak in public")], "verified", True)],
    [("PM course", [PM], "verified", False), ("Welding", [WELD], "not_verified", False)],
    [("Workshop", [Skill(name="manage projects"), WELD], "verified", False)],
    [("Speaker", [Skill(name="speak in public")], "verified", False)],
]


def _run_semantic(persons: list[dict], schools: list[str]):
    candidates = []
    for n, records in enumerate(SEMANTIC_CANDIDATES):
        evidence = [matching.evidence_from(
            _credential(name, skills, person=persons[n % len(persons)],
                        school=schools[(n + i) % len(schools)], self_issued=own),
            "ldp_vc", outcome=outcome) for i, (name, skills, outcome, own) in enumerate(records)]
        candidates.append((f"c{n}", evidence))
    names = matching.names_of(e for _, ev in candidates for e in ev)
    return matching.rank(SEMANTIC_ROLE, candidates,
                         similar=matching.similar_names(SEMANTIC_ROLE, names))


SEMANTIC_BASELINE = _run_semantic([{"name": "Ana Ruiz", "birthDate": "1990-01-01",
                                    "address": {"streetAddress": "1 Main St"}}],
                                  ["Example College"])


@settings(max_examples=40, deadline=None)
@given(persons=st.lists(people, min_size=1, max_size=4),
       schools=st.lists(names, min_size=1, max_size=4))
def test_counterfactual_with_semantic_matching(persons, schools):
    assert _run_semantic(persons, schools) == SEMANTIC_BASELINE
    assert [cid for cid, _ in SEMANTIC_BASELINE] == ["c2", "c1", "c0", "c3"]
    assert any(f.similar_only for _, e in SEMANTIC_BASELINE for f in e.findings)
