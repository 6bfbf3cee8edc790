"""Skills of different frameworks merged in the profile when their names mean the same.

The rules are checked with a label matcher written here (every pair alike), the
meaning itself with the real MiniLM matcher at the calibrated threshold: O*NET's
"Project Management" and ESCO's "manage projects" (0.87) are one skill, O*NET's
"Active Listening" and ESCO's "listen actively" (0.84) stay two, and two entries of
one framework never merge however alike their names are.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.skills import similarity
from openler.wallet import skills_profile
from openler.wallet.models import CheckReport, Record, RecordSummary, Skill
from openler.wallet.skills_profile import SameMeaning, build

ONET = "https://www.onetonline.org/find/descriptor/result/"
ESCO = "http://data.europa.eu/esco/skill/"
PROJECTS_ONET = Skill(name="Project Management", framework="O*NET", code="2.B.5.d",
                      url=ONET + "2.B.5.d")
PROJECTS_ESCO = Skill(name="manage projects", framework="ESCO",
                      url=ESCO + "7111b95d-0ce3-441a-9d92-4c75d05c4388")
LISTENING_ONET = Skill(name="Active Listening", framework="O*NET", code="2.A.1.b",
                       url=ONET + "2.A.1.b")
LISTENING_ESCO = Skill(name="listen actively", framework="ESCO",
                       url=ESCO + "c0c6a2b3-5f5c-4b1f-9d3e-2b7a1f0c9e11")


def _record(n: int, skills: Sequence[Skill], *, self_made: bool = False) -> Record:
    issuer = "did:key:me" if self_made else f"https://college{n}.example"
    summary = RecordSummary(issuer_id=issuer, issuer_name=f"Issuer {n}",
                            achievement_name=f"Record {n}", skills=tuple(skills),
                            issued_on=f"2026-0{1 + n % 9}-01", subject_id="did:key:me",
                            self_reported=self_made)
    return Record(id=f"{n:032x}", state="kept", received_at=datetime(2026, 1, 1),
                  credential={"id": f"urn:uuid:{n}"}, summary=summary,
                  arrival=CheckReport("verified", (), ""))  # type: ignore[arg-type]


def everything_alike(queries: Sequence[str], candidates: Sequence[str]
                     ) -> list[list[tuple[int, float]]]:
    """A matcher for the rules: every label is 0.9 alike to every other."""
    return [[(j, 1.0 if q == c else 0.9) for j, c in enumerate(candidates)] for q in queries]


def _names(entry: skills_profile.SkillEntry) -> set[str]:
    return {e.record_name for e in entry.evidence}


# -- the rules, with a matcher that finds everything alike --------------------------------

def test_without_a_matcher_only_identifiers_merge() -> None:
    made = build([_record(1, [PROJECTS_ONET]), _record(2, [PROJECTS_ESCO])])
    assert len(made.entries) == 2
    assert all(e.same_meaning == () for e in made.entries)


def test_two_frameworks_merge_and_the_entry_says_why() -> None:
    made = build([_record(1, [PROJECTS_ONET]), _record(2, [PROJECTS_ESCO])],
                 alike=everything_alike)
    [entry] = made.entries
    assert _names(entry) == {"Record 1", "Record 2"}
    assert entry.same_meaning == (SameMeaning(name="manage projects", framework="ESCO",
                                              other="Project Management", other_framework="O*NET",
                                              score=0.9),)
    # its framework, code and address are one alignment's, never a mix of the two
    assert (entry.framework, entry.code, entry.url) == ("O*NET", "2.B.5.d", PROJECTS_ONET.url)
    # both frameworks' identifiers point at it, so hiding it hides both
    assert {f"url:{PROJECTS_ESCO.url}", "code:onet|2.b.5.d"} <= entry.identifiers


def test_one_frameworks_own_entries_never_merge_by_meaning() -> None:
    install = Skill(name="install solar panels", framework="ESCO", url=ESCO + "a")
    maintain = Skill(name="maintain solar panels", framework="ESCO", url=ESCO + "b")
    # the same framework told by its address alone is still the same framework
    bare = Skill(name="repair solar panels", url=ESCO + "c")
    made = build([_record(1, [install]), _record(2, [maintain]), _record(3, [bare])],
                 alike=everything_alike)
    assert len(made.entries) == 3


def test_a_chain_never_joins_two_entries_of_one_framework() -> None:
    """O*NET A ~ ESCO B ~ O*NET C: A and B merge first, then C may not join them."""
    a = Skill(name="aa", framework="O*NET", code="1")
    b = Skill(name="bb", framework="ESCO", url=ESCO + "b")
    c = Skill(name="cc", framework="O*NET", code="2")
    made = build([_record(1, [a]), _record(2, [b]), _record(3, [c])], alike=everything_alike)
    assert sorted(len(e.evidence) for e in made.entries) == [1, 2]


def test_free_text_joins_a_framework_skill_and_occupations_never_merge() -> None:
    mine = Skill(name="running projects")
    welders = Skill(name="Welders", framework="O*NET-SOC", code="51-4121.00")
    cutters = Skill(name="Cutters", framework="ESCO occupations", url="http://data.europa.eu/esco/occupation/x")
    made = build([_record(1, [PROJECTS_ESCO]), _record(2, [mine], self_made=True),
                  _record(3, [welders]), _record(4, [cutters])], alike=everything_alike)
    skills = [e for e in made.entries if e.kind == "skill"]
    occupations = [e for e in made.entries if e.kind == "occupation"]
    assert len(skills) == 1 and skills[0].self_reported_count == 1
    assert len(occupations) == 2


_skill = st.builds(
    Skill, name=st.sampled_from(["Data", "data analysis", "Weld", "welding", "Cook", "x"]),
    framework=st.sampled_from(["", "ESCO", "O*NET", "CASE"]),
    code=st.sampled_from(["", "S1", "S2"]),
    url=st.sampled_from(["", "https://a.example/1", "https://b.example/2"]))


def first_letter_alike(queries: Sequence[str], candidates: Sequence[str]
                       ) -> list[list[tuple[int, float]]]:
    """Alike when the first letters agree, more alike the closer the lengths."""
    return [[(j, 1.0 - abs(len(q) - len(c)) / 100) for j, c in enumerate(candidates)
             if q[:1] == c[:1]] for q in queries]


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.lists(_skill, max_size=3), max_size=6), seed=st.integers(0, 1000))
def test_merging_by_meaning_does_not_depend_on_record_order(data, seed):
    records = [_record(n, skills) for n, skills in enumerate(data)]
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    first = build(records, alike=first_letter_alike)
    second = build(shuffled, alike=first_letter_alike)
    assert first.comparable() == second.comparable()
    assert [e.same_meaning for e in first.entries] == [e.same_meaning for e in second.entries]
    for entry in first.entries:  # no merged entry holds two entries of one framework by meaning
        for link in entry.same_meaning:
            assert not (link.framework and link.framework == link.other_framework)


# -- the meaning, with the real model at the stated threshold ------------------------------

@pytest.fixture(scope="module")
def matcher() -> skills_profile.Alike:
    found = skills_profile.meaning_matcher()
    assert found is not None, "the MiniLM model ships in a dependency and must load"
    return found


def test_project_management_and_manage_projects_are_one_skill(matcher) -> None:
    made = build([_record(1, [PROJECTS_ONET]), _record(2, [PROJECTS_ESCO])], alike=matcher)
    [entry] = made.entries
    [link] = entry.same_meaning
    assert {link.name, link.other} == {"Project Management", "manage projects"}
    assert similarity.SEMANTIC_THRESHOLD <= link.score < 1.0


def test_active_listening_and_listen_actively_stay_two_below_the_threshold(matcher) -> None:
    assert similarity.similarity("Active Listening", "listen actively") < \
        similarity.SEMANTIC_THRESHOLD
    made = build([_record(1, [LISTENING_ONET]), _record(2, [LISTENING_ESCO])], alike=matcher)
    assert len(made.entries) == 2


def test_unrelated_skills_of_two_frameworks_stay_apart(matcher) -> None:
    welding = Skill(name="weld metal parts", framework="ESCO", url=ESCO + "weld")
    made = build([_record(1, [PROJECTS_ONET]), _record(2, [welding]),
                  _record(3, [LISTENING_ESCO])], alike=matcher)
    assert len(made.entries) == 3


# -- crosswalks: a published mapping joins two frameworks' entries ---------------------------

def test_a_crosswalk_joins_two_frameworks_and_the_entry_names_it() -> None:
    key_onet = skills_profile.identifiers(LISTENING_ONET)[0]
    key_esco = skills_profile.identifiers(LISTENING_ESCO)[0]
    same_as = {key_onet: [(key_esco, "ESCO-O*NET")], key_esco: [(key_onet, "ESCO-O*NET")]}
    made = build([_record(1, [LISTENING_ONET]), _record(2, [LISTENING_ESCO])], same_as=same_as)
    [entry] = made.entries
    assert entry.crosswalks == ("ESCO-O*NET",) and entry.same_meaning == ()
    assert _names(entry) == {"Record 1", "Record 2"}
    # a crosswalk to an address no record holds joins nothing and is not named
    alone = build([_record(1, [LISTENING_ONET]), _record(2, [PROJECTS_ESCO])], same_as=same_as)
    assert len(alone.entries) == 2 and all(e.crosswalks == () for e in alone.entries)


def test_the_profile_reads_stored_crosswalks(session, wallet_config, learner_id, clock,
                                             issuer_config, org_id) -> None:
    from test_skills_profile import issue

    from openler.skills_service import crosswalks

    crosswalks.import_crosswalk(session, name="Listening map", now=clock(), links=[
        crosswalks.Link(LISTENING_ONET.url, LISTENING_ESCO.url, "closeMatch"),
        crosswalks.Link(PROJECTS_ONET.url, PROJECTS_ESCO.url, "broadMatch")])
    session.commit()
    for n, skill in enumerate((LISTENING_ONET, LISTENING_ESCO)):
        issue(session, issuer_config, wallet_config, org_id, learner_id, clock, f"Course {n}",
              [{"target_name": skill.name, "target_url": skill.url,
                "target_framework": skill.framework, "target_code": skill.code}])
    made = skills_profile.profile(session, config=wallet_config, user_id=learner_id)
    [entry] = made.entries
    assert entry.crosswalks == ("Listening map",)
    assert {e.record_name for e in entry.evidence} == {"Course 0", "Course 1"}
