"""A record's skills beyond its achievement's own alignments: of a CLR 2.0 credential, the
alignments of every achievement its subject lists and of every credential it carries
(1EdTech CLR 2.0, ClrSubject), so a transcript's courses reach the skills profile (built
on the 1EdTech CLR 2.0 example, shared/vectors/ob3/clrv2p0, with alignments added); and
the alignments of the results a learner holds and of the result descriptions they answer
(OB 3.0 Result and ResultDescription). Each skill once."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

from openler.wallet.models import CheckReport, Record, Skill
from openler.wallet.skills_profile import build
from openler.wallet.summary import summarize

VECTOR = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "ob3" / "clrv2p0" \
    / "credential.json"
WELD = {"type": ["Alignment"], "targetName": "weld metal parts", "targetFramework": "ESCO",
        "targetUrl": "http://data.europa.eu/esco/skill/weld"}
READ = {"type": ["Alignment"], "targetName": "read blueprints",
        "targetUrl": "http://data.europa.eu/esco/skill/blueprints"}
SAFE = {"type": ["Alignment"], "targetName": "follow safety rules"}


def transcript() -> dict:
    clr = copy.deepcopy(json.loads(VECTOR.read_text(encoding="utf-8")))
    subject = clr["credentialSubject"]
    subject["achievement"][0]["alignment"] = [WELD, READ]
    subject["achievement"][1]["alignment"] = [READ]  # the same skill twice: kept once
    subject["verifiableCredential"][0]["credentialSubject"]["achievement"]["alignment"] = [SAFE]
    subject["verifiableCredential"].append("eyJhbGciOiJFUzI1NiJ9.e30.c2ln")  # enveloped
    return clr


def test_every_achievement_and_carried_credential_gives_its_skills_once():
    skills = summarize(transcript()).skills
    assert [s.name for s in skills] == ["weld metal parts", "read blueprints",
                                        "follow safety rules"]
    assert skills[0] == Skill(name="weld metal parts", framework="ESCO",
                              url="http://data.europa.eu/esco/skill/weld")


def test_the_original_example_without_alignments_has_no_skills():
    assert summarize(json.loads(VECTOR.read_text(encoding="utf-8"))).skills == ()


def test_a_transcript_fills_the_skills_profile():
    clr = transcript()
    record = Record(id="a" * 32, state="kept", received_at=datetime(2026, 1, 1),
                    credential=clr, summary=summarize(clr),
                    arrival=CheckReport("verified", (), ""))  # type: ignore[arg-type]
    made = build([record])
    assert sorted(e.name for e in made.entries) == ["follow safety rules", "read blueprints",
                                                    "weld metal parts"]
    assert all(e.verified_count == 1 for e in made.entries)


def test_alignments_of_results_and_result_descriptions_count_as_assessed():
    """OB 3.0: a Result and the ResultDescription it answers may carry their own
    alignments (the skill the assessment measured); they are skills of the record, and a
    record with a result is an assessed one."""
    credential = {
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://college.example", "name": "College"},
        "validFrom": "2026-05-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://college.example/a/1", "type": ["Achievement"],
                "name": "Welding Practical", "alignment": [WELD],
                "resultDescription": [
                    {"id": "urn:uuid:rd-1", "type": ["ResultDescription"],
                     "name": "Blueprint reading score", "resultType": "ScaledScore",
                     "alignment": [READ]},
                    {"id": "urn:uuid:rd-2", "type": ["ResultDescription"],
                     "name": "Not held by this learner", "resultType": "ScaledScore",
                     "alignment": [{"type": ["Alignment"], "targetName": "never shown"}]}]},
            "result": [{"type": ["Result"], "resultDescription": "urn:uuid:rd-1",
                        "value": "92", "alignment": [SAFE]}]}}
    summary = summarize(credential)
    assert [s.name for s in summary.skills] == ["weld metal parts", "follow safety rules",
                                                "read blueprints"]
    record = Record(id="b" * 32, state="kept", received_at=datetime(2026, 1, 1),
                    credential=credential, summary=summary,
                    arrival=CheckReport("verified", (), ""))  # type: ignore[arg-type]
    assert {e.strength for e in build([record]).entries} == {"assessed"}
