"""Pathways service: requirements ordered essential/important first, occupation search
(accent-insensitive, page language, occupations only, global frameworks only), and the
matching rules of ``assess`` (same identifier, else alike by meaning; where to learn)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openler.skills import similarity
from openler.skills.encoder import ModelUnavailableError
from openler.skills_service import frameworks_onet
from openler.skills_service.frameworks import FrameworkInput, ItemInput, RelationInput, write
from openler.wallet import pathways
from openler.wallet.models import Skill
from openler.wallet.skills_identity import identifiers
from openler.wallet.skills_profile import Evidence, SkillEntry

ESCO = FrameworkInput(key="ESCO-T", name="ESCO test", source="esco",
                      uri="https://esco.example.org/test")
OCC = "https://esco.example.org/occupation/nurse"


def entry(name: str, *, framework: str = "", code: str = "", url: str = "",
          kind: str = "skill", verified: bool = True) -> SkillEntry:
    skill = Skill(name=name, framework=framework, code=code, url=url)
    ev = Evidence(record_id=f"r-{name}", record_name=f"Course {name}", issuer_name="College",
                  verified=verified, self_reported=False, issued_on="2026-01-01",
                  credential_ref=f"urn:{name}")
    ids = frozenset(identifiers(skill))
    return SkillEntry(key=min(ids), name=name, kind=kind, framework=framework, code=code,
                      url=url, evidence=(ev,), identifiers=ids)  # type: ignore[arg-type]


def requirement(label: str, *, uri: str = "", framework: str = "O*NET", code: str = "",
                important: bool = True) -> pathways.Requirement:
    keys = set(identifiers(Skill(name=label, url=uri, framework=framework, code=code)))
    return pathways.Requirement(uri=uri or f"urn:{label}", code=code, label=label,
                                framework=framework, relation="importance", weight=4.0,
                                important=important, match_label=label, keys=frozenset(keys))


def offered(achievement: str, skill: Skill) -> pathways.CatalogAlignment:
    return pathways.CatalogAlignment(achievement_id=f"a-{achievement}",
                                     achievement_name=achievement, org_id="o", org_name="Org",
                                     public_url=f"/orgs/o/achievements/a-{achievement}/v/1",
                                     skill=skill)


def table(pairs: dict[tuple[str, str], float]) -> pathways.Similar:
    def similar(queries, candidates):
        return [sorted(((i, pairs[(q, c)]) for i, c in enumerate(candidates)
                        if (q, c) in pairs), key=lambda x: -x[1]) for q in queries]
    return similar


def unavailable(queries, candidates):
    raise ModelUnavailableError("no model here")


def test_exact_by_code_or_folded_name_then_by_meaning():
    reqs = [requirement("Speaking", code="2.A.1.d"), requirement("Active Listening"),
            requirement("Critical Thinking"), requirement("Écoute"), requirement("Writing")]
    entries = [entry("Oral presentations", framework="O*NET", code="2.A.1.D"),
               entry("listen actively"), entry("ecoute"), entry("writing", verified=False),
               entry("Nurses", framework="O*NET-SOC", code="29-1141.00", kind="occupation")]
    steps, semantic = pathways.assess(
        reqs, entries, [], similar=table({("Active Listening", "listen actively"): 0.9,
                                          ("Speaking", "listen actively"): 0.95,
                                          ("Critical Thinking", "Nurses"): 0.99}))
    assert semantic
    by = {s.requirement.label: s for s in steps}
    assert [(e.entry.name, e.how) for e in by["Speaking"].evidence] == \
        [("Oral presentations", "exact")]  # an exact match wins over a closer meaning
    assert [(e.entry.name, e.how, e.score) for e in by["Active Listening"].evidence] == \
        [("listen actively", "semantic", 0.9)]
    assert [e.how for e in by["Écoute"].evidence] == ["exact"]  # accents and case folded
    assert not by["Critical Thinking"].met  # occupations in the profile are no evidence
    assert not by["Writing"].met  # a record whose check failed does not count


def test_where_to_learn_exact_first_one_line_per_achievement_and_capped():
    thinking = requirement("Critical Thinking", code="2.A.2.a")
    catalog = [offered("Logic", Skill("think critically")),
               offered("Clinical Judgment", Skill("CT", framework="O*NET", code="2.a.2.a")),
               offered("Clinical Judgment", Skill("critical thinking")),
               offered("Speaking Up", Skill("Speaking", framework="O*NET", code="2.A.1.d")),
               *(offered(f"Extra {n}", Skill("critical thinking")) for n in range(6))]
    steps, _ = pathways.assess([thinking], [], catalog,
                               similar=table({("Critical Thinking", "think critically"): 0.87}))
    teaching = steps[0].teaching
    names = [t.alignment.achievement_name for t in teaching]
    assert names[0] == "Clinical Judgment" and names.count("Clinical Judgment") == 1
    assert "Speaking Up" not in names and len(teaching) == pathways.MAX_TEACHING
    assert all(t.how == "exact" for t in teaching)  # five exact ones leave no room
    steps, _ = pathways.assess([thinking], [], catalog[:1],
                               similar=table({("Critical Thinking", "think critically"): 0.87}))
    assert [(t.how, t.score) for t in steps[0].teaching] == [("semantic", 0.87)]


def test_met_skills_list_no_courses_and_without_the_model_only_exact_counts():
    reqs = [requirement("Active Listening"), requirement("Speaking", code="2.A.1.d")]
    entries = [entry("listen actively"), entry("Speaking")]
    catalog = [offered("Talk", Skill("Speaking")), offered("Listen", Skill("listen actively"))]
    steps, semantic = pathways.assess(reqs, entries, catalog, similar=unavailable)
    assert not semantic
    assert [s.met for s in steps] == [False, True]
    assert steps[1].teaching == ()  # met: nothing to learn
    assert steps[0].teaching == ()  # "listen actively" would count only by meaning


@given(st.lists(st.sampled_from(["Speaking", "Writing", "Active Listening", "Monitoring",
                                 "Programming", "Mathematics"]), unique=True),
       st.lists(st.sampled_from(["speaking", "WRITING", "Monitoring ", "Python", "Git"]),
                unique=True))
def test_without_meaning_a_skill_is_met_exactly_when_an_identifier_is_shared(labels, names):
    reqs = [requirement(label) for label in labels]
    entries = [entry(name) for name in names]
    steps, semantic = pathways.assess(reqs, entries, [], similar=table({}))
    assert semantic and len(steps) == len(reqs)
    for step in steps:
        shared = any(step.requirement.keys & e.identifiers for e in entries)
        assert step.met == shared
        assert all(e.how == "exact" for e in step.evidence)
    made = pathways.Pathway(occupation=None, steps=steps, semantic=True,  # type: ignore[arg-type]
                            threshold=0.85)
    assert len(made.shown) + len(made.missing) == len(reqs)
    assert made.percent == (len(made.shown) * 100 // len(reqs) if reqs else 0)


def test_real_model_counts_by_meaning_only_above_the_stated_threshold():
    reqs = [requirement("Programming", code="2.B.3.e")]
    entries = [entry("computer programming", framework="ESCO", code="21d2f96d")]
    steps, semantic = pathways.assess(reqs, entries, [])
    assert semantic == similarity.available()
    if semantic:
        score = similarity.similarity("Programming", "computer programming")
        assert steps[0].met == (score >= pathways.SEMANTIC_THRESHOLD - 1e-6)
        assert all(e.how == "semantic" for e in steps[0].evidence)
    else:
        assert not steps[0].met


def _esco_nurse(db, now) -> None:
    skills = [ItemInput(uri=f"https://esco.example.org/skill/{n}", kind="skill",
                        labels={"en": label, "es": es})
              for n, (label, es) in enumerate([("give care", "prestar cuidados"),
                                                ("apply first aid", "aplicar primeros auxilios"),
                                                ("speak Latin", "hablar latín")])]
    occupations = [ItemInput(uri=OCC, kind="occupation", code="2221",
                             labels={"en": "nurse", "es": "enfermero/enfermera"}),
                   ItemInput(uri="https://esco.example.org/occupation/educator",
                             kind="occupation", labels={"en": "nurse educator"}),
                   ItemInput(uri="https://esco.example.org/occupation/tech", kind="occupation",
                             labels={"en": "electronics technician",
                                     "es": "técnico en electrónica"})]
    write(db, meta=ESCO, items=[*skills, *occupations], now=now, relations=[
        RelationInput(OCC, skills[2].uri, "optional"),
        RelationInput(OCC, skills[1].uri, "essential"),
        RelationInput(OCC, skills[0].uri, "essential")])


def test_search_is_accent_insensitive_in_the_page_language_and_finds_occupations_only(db, clock):
    frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=clock())
    _esco_nurse(db, clock())
    db.flush()
    found = pathways.search_occupations(db, query="TECNICO electronica", language="es")
    assert [(o.label, o.language) for o in found] == [("técnico en electrónica", "es")]
    english = pathways.search_occupations(db, query="nurse", language="en")
    # those with skills to compare first (exact label before a word of it), then the rest
    assert [(o.label, o.skills) for o in english] == [
        ("nurse", 3), ("Registered Nurses", 8), ("nurse educator", 0)]
    assert pathways.search_occupations(db, query="programming", language="en") == []
    assert pathways.search_occupations(db, query="   ", language="en") == []


def test_requirements_essential_first_then_importance_and_technology(db, clock):
    frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=clock())
    _esco_nurse(db, clock())
    db.flush()
    nurse = pathways.search_occupations(db, query="nurse", language="es")[0]
    assert nurse.label == "enfermero/enfermera"
    reqs = pathways.requirements(db, occupation=nurse, language="es")
    assert [(r.label, r.relation, r.important) for r in reqs] == [
        ("aplicar primeros auxilios", "essential", True),
        ("prestar cuidados", "essential", True),
        ("hablar latín", "optional", False)]
    assert reqs[0].match_label == "apply first aid"  # compared in English by meaning
    rn = pathways.search_occupations(db, query="registered nurses", language="en")[0]
    onet = pathways.requirements(db, occupation=rn, language="en")
    assert [r.relation for r in onet][-2:] == ["technology", "technology"]
    weights = [r.weight for r in onet if r.relation == "importance"]
    assert weights == sorted(weights, reverse=True) and all(r.important for r in onet[:6])
    # technology skills share a commodity code, so the code is not one of their identities
    excel = next(r for r in onet if r.label == "Microsoft Excel")
    assert not any(k.startswith("code:") for k in excel.keys)
    assert "code:onet|2.a.1.b" in next(r for r in onet if r.label == "Active Listening").keys
