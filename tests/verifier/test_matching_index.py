"""Profile index (``openler.verifier.matching_index``): the same ranking and explanations as
``matching.rank`` by set lookups, ties in arrival order, lazy explanations, and, at scale,
rankings that do not move when names, schools' names, dates of birth or addresses change
(those are not inputs to the index at all)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from openler.skills.catalog import esco_skills
from openler.verifier import matching, matching_index
from openler.verifier.matching import Evidence, Requirement
from openler.verifier.matching_index import SharedProfile, build_index
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold

WELD = Skill(name="Weld metal parts", framework="ESCO", code="S6.7.1",
             url="https://data.europa.eu/esco/skill/weld-metal/")
FORK = Skill(name="Operate forklift", framework="ESCO", code="S8.2.0",
             url="http://data.europa.eu/esco/skill/forklift")
AID = Skill(name="First aid")
ROLE = [Requirement(WELD), Requirement(FORK), Requirement(AID, required=False)]


def _pairs(ranked: list[matching_index.RankedProfile]) -> list[tuple[str, matching.Explanation]]:
    return [(r.profile_id, r.explanation) for r in ranked]


def test_ranks_like_matching_and_explains_lazily():
    candidates = [
        ("weak", [Evidence("d", (WELD, FORK, AID), "self_reported")]),
        ("none", [Evidence("x", (Skill(name="Basket weaving"),), "verified")]),
        ("half", [Evidence("b", (WELD,), "verified"), Evidence("c", (FORK,), "self_reported")]),
        ("failed", [Evidence("f", (WELD, FORK), "unverified")]),
        ("strong", [Evidence("a", (Skill(name="weld METAL parts"),
                                   Skill(name="", framework="esco", code="s8.2.0")),
                              "verified")]),
        ("twin", [Evidence("e", (WELD,), "verified"), Evidence("g", (FORK,), "self_reported")]),
    ]
    index = build_index(candidates)
    ranked = matching_index.rank(ROLE, index)
    assert [r.profile_id for r in ranked] == ["strong", "half", "twin", "weak", "none",
                                              "failed"]
    assert ranked[0].counts == (2, 2, 0, 0) and ranked[3].counts == (0, 2, 0, 1)
    assert ranked[-1].counts == (0, 0, 0, 0)
    assert ranked[1]._explanation is None  # nothing computed until asked
    assert _pairs(ranked) == matching.rank(ROLE, candidates)
    assert ranked[1]._explanation is not None
    assert ranked[-1].explanation.findings[0].unverified == ("f",)
    assert ranked[2].evidence == tuple(candidates[5][1])


def test_limit_keeps_the_top_and_fills_with_arrival_order():
    candidates = [(f"p{i}", [Evidence("r", (AID,), "verified")] if i in (3, 7) else [])
                  for i in range(10)]
    index = build_index(SharedProfile(cid, tuple(ev)) for cid, ev in candidates)
    assert len(index) == 10
    assert [r.profile_id for r in matching_index.rank(ROLE, index, limit=1)] == ["p3"]
    assert [r.profile_id for r in matching_index.rank(ROLE, index, limit=4)] == [
        "p3", "p7", "p0", "p1"]
    assert matching_index.rank(ROLE, index, limit=0) == []
    assert [r.position for r in matching_index.rank(ROLE, index, limit=50)] == [
        3, 7, 0, 1, 2, 4, 5, 6, 8, 9]


def test_failed_records_are_not_posted_but_explained():
    index = build_index([("a", [Evidence("old", (WELD,), "unverified")])])
    assert index.keys() == frozenset()
    ranked = matching_index.rank(ROLE, index)
    assert ranked[0].counts == (0, 0, 0, 0)
    assert ranked[0].explanation.findings[0].state == "unverified"


# Random small cases: a few skills, each reachable under variant spellings that the merge
# rules treat as the same (URL case and final slash, framework/code case, folded name).
BASE = [WELD, FORK, AID, Skill(name="Análisis de datos"), Skill(name="x", framework="O*NET",
                                                                 code="2.A.1.a")]
VARIANTS = BASE + [
    Skill(name="welding", url="http://DATA.europa.eu/esco/skill/weld-metal"),
    Skill(name="q", framework="esco", code="s8.2.0"),
    Skill(name="FIRST  AID"), Skill(name="analisis de datos"),
    Skill(name="other", framework="onet", code="2.a.1.A"), Skill(name="Basket weaving"),
    Skill(name=""),
]
evidence_st = st.builds(
    Evidence, st.sampled_from(["a", "b", "c"]),
    st.lists(st.sampled_from(VARIANTS), max_size=3).map(tuple),
    st.sampled_from(["verified", "self_reported", "unverified"]))
candidates_st = st.lists(st.tuples(st.sampled_from(["p", "q", "r", "s"]),
                                   st.lists(evidence_st, max_size=4)), max_size=7)
role_st = st.lists(st.builds(Requirement, st.sampled_from(VARIANTS), st.booleans()),
                   max_size=5)


# Similar names as ``matching.similar_names`` gives them: requirement name -> other names.
FOLDED = sorted({fold(s.name) for s in VARIANTS if fold(s.name)})
similar_st = st.dictionaries(
    st.sampled_from(FOLDED),
    st.dictionaries(st.sampled_from(FOLDED), st.floats(0.85, 1.0), max_size=3), max_size=4
).map(lambda d: {k: {n: v for n, v in near.items() if n != k} for k, near in d.items()})


@settings(max_examples=200, deadline=None)
@given(role=role_st, candidates=candidates_st, limit=st.integers(0, 8), similar=similar_st)
def test_same_result_as_matching_rank_with_similar_names(role, candidates, limit, similar):
    expected = matching.rank(role, candidates, similar=similar)
    index = build_index(candidates)
    ranked = matching_index.rank(role, index, similar=similar)
    assert _pairs(ranked) == expected
    assert [r.sort_key for r in ranked] == [e.sort_key for _, e in expected]
    top = matching_index.rank(role, index, limit=limit, similar=similar)
    assert _pairs(top) == expected[:limit]


PARAPHRASES = [Skill(name="manage projects"), Skill(name="Project Management"),
               Skill(name="speak in public"), Skill(name="public speaking"),
               Skill(name="operate a forklift truck"), WELD, FORK,
               Skill(name="weld plastic"), Skill(name="bake bread")]


@settings(max_examples=60, deadline=None)
@given(role=st.lists(st.builds(Requirement, st.sampled_from(PARAPHRASES), st.booleans()),
                     max_size=4),
       candidates=st.lists(st.tuples(st.sampled_from(["p", "q", "r"]), st.lists(st.builds(
           Evidence, st.sampled_from(["a", "b"]),
           st.lists(st.sampled_from(PARAPHRASES), max_size=3).map(tuple),
           st.sampled_from(["verified", "self_reported", "unverified"])), max_size=3)),
           max_size=6))
def test_same_result_as_matching_rank_with_the_model(role, candidates):
    index = build_index(candidates)
    similar = matching_index.similar_for(role, index)
    names = matching.names_of(e for _, ev in candidates for e in ev)
    assert similar == matching.similar_names(role, names)
    assert _pairs(matching_index.rank(role, index, similar=similar)) == matching.rank(
        role, candidates, similar=similar)


def test_semantic_matches_rank_below_exact_ones():
    pm = Skill(name="Project Management", framework="O*NET", code="2.B.5.d")
    candidates = [("near", [Evidence("b", (Skill(name="manage projects"),), "verified")]),
                  ("own", [Evidence("c", (pm,), "self_reported")]),
                  ("exact", [Evidence("a", (Skill(name="", framework="onet",
                                                    code="2.b.5.D"),), "verified")])]
    index = build_index(candidates)
    assert "manage projects" in index.labels
    similar = matching_index.similar_for([Requirement(pm)], index)
    ranked = matching_index.rank([Requirement(pm)], index, similar=similar)
    assert [(r.profile_id, r.counts, r.exact) for r in ranked] == [
        ("exact", (1, 1, 0, 0), (1, 1, 0, 0)), ("near", (1, 1, 0, 0), (0, 0, 0, 0)),
        ("own", (0, 1, 0, 0), (0, 1, 0, 0))]
    assert ranked[1].explanation.findings[0].matches[0].how == "similar"
    assert [r.profile_id for r in matching_index.rank([Requirement(pm)], index)] == [
        "exact", "own", "near"]


@settings(max_examples=200, deadline=None)
@given(role=role_st, candidates=candidates_st, limit=st.integers(0, 8))
def test_same_result_as_matching_rank(role, candidates, limit):
    expected = matching.rank(role, candidates)
    ranked = matching_index.rank(role, build_index(candidates))
    assert _pairs(ranked) == expected
    assert [r.sort_key for r in ranked] == [e.sort_key for _, e in expected]
    top = matching_index.rank(role, build_index(candidates), limit=limit)
    assert _pairs(top) == expected[:limit]


# Counterfactual at scale: 1,000 profiles built from credentials (through
# matching.evidence_from, as the inbox does) that differ only in the person's name, the
# school's name, date of birth and address.
ESCO_NAMES = [s.label for s in esco_skills()[::230]][:60]  # varied real names, so some are alike
CATALOG = [Skill(name=ESCO_NAMES[n], framework="ESCO" if n % 3 else "", code=f"S{n}"
                 if n % 3 else "", url=f"http://data.europa.eu/esco/skill/s{n}"
                 if n % 2 else "") for n in range(60)]
FIRST = ["Ana", "Kwame", "Li", "María José", "Oluwaseun", "Ivan", "Aigerim", "Jean"]
SCHOOLS = ["Harvard University", "Community College of Nowhere", "Universidad de Chile",
           "Night School", "MIT", "Technikum"]


def _credential(achievement: str, skills: list[Skill], *, person: dict, school: str,
                self_issued: bool) -> dict:
    subject_id = "did:key:z6MkLearner"
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": subject_id if self_issued else "did:web:college.example",
                   "name": school},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": subject_id, "type": ["AchievementSubject"], **person,
            "achievement": {"name": achievement, "alignment": [
                {"targetName": s.name, "targetUrl": s.url, "targetFramework": s.framework,
                 "targetCode": s.code} for s in skills]}}}


def _person(rng: random.Random) -> dict:
    return {"name": f"{rng.choice(FIRST)} {rng.randrange(10**6)}",
            "birthDate": f"{rng.randrange(1940, 2008)}-{rng.randrange(1, 13):02d}-"
                         f"{rng.randrange(1, 29):02d}",
            "address": {"streetAddress": f"{rng.randrange(1, 999)} {rng.choice(FIRST)} St",
                        "addressLocality": rng.choice(["Lagos", "Quito", "Ely"]),
                        "postalCode": str(rng.randrange(10**5))},
            "image": rng.choice(["", "https://example.org/photo.jpg"])}


def _records(seed: int) -> list[list[tuple[str, list[Skill], str, bool]]]:
    rng = random.Random(seed)
    return [[(f"Course {rng.randrange(40)}", rng.sample(CATALOG, rng.randrange(0, 5)),
              rng.choice(["verified", "verified", "not_verified"]), rng.random() < 0.3)
             for _ in range(rng.randrange(0, 4))] for _ in range(1000)]


def _index(records, identity_seed: int) -> matching_index.ProfileIndex:
    rng = random.Random(identity_seed)
    profiles = []
    for n, items in enumerate(records):
        person = _person(rng)
        evidence = [matching.evidence_from(
            _credential(label, skills, person=person, school=rng.choice(SCHOOLS),
                        self_issued=own), "ldp_vc", outcome=outcome)
            for label, skills, outcome, own in items]
        profiles.append((f"profile-{n}", evidence))
    return build_index(profiles)


RECORDS = _records(7)
BASELINE = _index(RECORDS, identity_seed=0)


@settings(max_examples=3, deadline=None)
@given(identity_seed=st.integers(1, 10**9), role_seed=st.integers(0, 10**6))
def test_counterfactual_at_scale_identity_fields_change_nothing(identity_seed, role_seed):
    other = _index(RECORDS, identity_seed)
    # Not even inputs: the two indexes hold exactly the same data.
    assert other.profiles == BASELINE.profiles and other.keys() == BASELINE.keys()
    rng = random.Random(role_seed)
    role = [Requirement(s, required=n < 3) for n, s in enumerate(rng.sample(CATALOG, 6))]
    before, after = (matching_index.rank(role, i) for i in (BASELINE, other))
    assert [(r.profile_id, r.counts) for r in before] == [
        (r.profile_id, r.counts) for r in after]
    assert _pairs(before[:25]) == _pairs(after[:25])
    assert before[0].counts > (0, 0, 0, 0)  # the role does match someone
    similar = matching_index.similar_for(role, BASELINE)
    assert similar == matching_index.similar_for(role, other)  # same labels, same links
    before, after = (matching_index.rank(role, i, similar=similar) for i in (BASELINE, other))
    assert [(r.profile_id, r.sort_key) for r in before] == [
        (r.profile_id, r.sort_key) for r in after]
    assert _pairs(before[:25]) == _pairs(after[:25])


def test_accepts_a_stored_role():
    from datetime import UTC, datetime

    from openler.verifier.roles import Role

    stored = Role("r1", "o1", "Welder", tuple(ROLE), None, datetime(2026, 1, 1, tzinfo=UTC))
    index = build_index([("a", []), ("b", [Evidence("w", (WELD,), "verified")])])
    assert [r.profile_id for r in matching_index.rank(stored, index)] == ["b", "a"]
