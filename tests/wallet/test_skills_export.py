"""The skills download: every alignment valid against the official OB 3.0 Alignment JSON
Schema (from /work/shared), targetType only from the AlignmentTargetType enumeration (or an
``ext:`` term), skills with no web address left out and named, hidden skills never in it,
and only the chosen ones when the learner picks."""

from __future__ import annotations

import json
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft201909Validator

from helpers import shared_dir
from openler.wallet.skills_export import (
    OCCUPATION_TYPE,
    SKILL_TYPE,
    TARGET_TYPES,
    alignment,
    choose,
    exportable,
    to_json,
)
from openler.wallet.skills_profile import SkillEntry


@cache
def _validator() -> Draft201909Validator:
    path = shared_dir() / "vectors" / "schemas" / "ob_v3p0_achievementcredential_schema.json"
    whole = json.loads(path.read_text("utf-8"))
    schema = {"$schema": whole["$schema"], "$ref": "#/$defs/Alignment", "$defs": whole["$defs"]}
    return Draft201909Validator(schema)


def _entry(name: str, url: str = "", *, kind: str = "skill", framework: str = "",
           code: str = "", description: str = "", target_type: str = "",
           hidden: bool = False) -> SkillEntry:
    return SkillEntry(key=f"name:{name.lower()}", name=name, kind=kind,  # type: ignore[arg-type]
                      framework=framework, code=code, url=url, evidence=(), hidden=hidden,
                      description=description, target_type=target_type)


def test_the_schema_is_the_official_one_and_catches_bad_alignments():
    check = _validator()
    assert not check.is_valid({"type": ["Alignment"], "targetName": "Welding"})  # no targetUrl
    assert not check.is_valid({"type": ["Alignment"], "targetName": "W", "targetUrl": "x",
                               "targetType": "Occupation"})
    assert check.is_valid({"type": ["Alignment"], "targetName": "W", "targetUrl": "x",
                           "targetType": "ext:Occupation"})


def test_alignment_fields_and_target_types():
    esco = _entry("Welding", "http://data.europa.eu/esco/skill/abc", framework="ESCO",
                  code="S6.1", description="Join metal parts.")
    made = alignment(esco)
    assert made == {"type": ["Alignment"], "targetName": "Welding",
                    "targetUrl": "http://data.europa.eu/esco/skill/abc",
                    "targetDescription": "Join metal parts.", "targetFramework": "ESCO",
                    "targetCode": "S6.1", "targetType": SKILL_TYPE}
    welder = alignment(_entry("Welders", "https://www.onetonline.org/link/summary/51-4121.00",
                              kind="occupation", target_type="ceterms:Occupation"))
    assert welder["targetType"] == OCCUPATION_TYPE  # not in the enumeration: by kind
    case = alignment(_entry("Item", "https://case.example/uri/1", target_type="CFItem"))
    assert case["targetType"] == "CFItem"  # kept: the enumeration allows it
    by_address = [alignment(_entry("A", "https://case.example/ims/case/v1p0/CFItems/9")),
                  alignment(_entry("B", "https://credentialengineregistry.org/resources/ce-1")),
                  alignment(_entry("C", "https://credentialengineregistry.org/x",
                                   kind="occupation"))]
    assert [a["targetType"] for a in by_address] == ["CFItem", "ceasn:Competency",
                                                     "ext:Occupation"]
    assert "targetFramework" not in case and "targetDescription" not in case
    for made in (alignment(esco), welder, case):
        assert _validator().is_valid(made), made


def test_no_web_address_no_alignment_and_hidden_never():
    entries = [_entry("Welding", "https://skills.example/welding"),
               _entry("Teamwork"), _entry("Scripted", "javascript:alert(1)"),
               _entry("Secret", "https://skills.example/secret", hidden=True)]
    assert [exportable(e) for e in entries] == [True, False, False, False]
    everything = choose(entries)
    assert [a["targetName"] for a in everything.alignments] == ["Welding"]
    assert [e.name for e in everything.left_out] == ["Teamwork", "Scripted"]
    asked = choose(entries, ["name:secret", "name:teamwork", "name:nope"])
    assert asked.alignments == () and [e.name for e in asked.left_out] == ["Teamwork"]
    assert choose(entries, []).alignments == ()
    data = json.loads(to_json(everything))
    assert isinstance(data, list) and data == list(everything.alignments)


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=80, deadline=None)
@given(name=_text.filter(str.strip), url=st.sampled_from(
           ["", "https://a.example/x", "http://data.europa.eu/esco/skill/1", "ftp://a/b",
            "urn:uuid:1", "https://"]),
       framework=_text, code=_text, description=_text, kind=st.sampled_from(
           ["skill", "occupation"]),
       target_type=st.sampled_from(["", "CFItem", "ext:Custom_1", "ext:", "Occupation",
                                    "ceasn:Competency", "CTDL", "ext:bad space"]))
def test_every_exported_alignment_is_schema_valid(name, url, framework, code, description,
                                                  kind, target_type):
    entry = _entry(name, url, kind=kind, framework=framework, code=code,
                   description=description, target_type=target_type)
    chosen = choose([entry])
    for made in json.loads(to_json(chosen)):
        assert not list(_validator().iter_errors(made))
        assert made["targetType"] in TARGET_TYPES or made["targetType"].startswith("ext:")
        assert made["targetUrl"].startswith(("http://", "https://"))
    assert len(chosen.alignments) + len(chosen.left_out) == 1
