"""A CLR 2.0 credential's skills: the alignments of every achievement its subject lists and
of every credential it carries (1EdTech CLR 2.0, ClrSubject), each skill once, so a
transcript's courses reach the learner's skills profile. Built on the 1EdTech CLR 2.0
example (shared/vectors/ob3/clrv2p0), with alignments added."""

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
