"""Catalog service: OB 3.0 documents from the typed models, versioning after issue,
retire, part-of links, per-field validation and tenancy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openler.core.models import ACHIEVEMENT_TYPES, parse_model
from openler.core.models import Achievement as AchievementModel
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import (
    AchievementInput,
    AlignmentInput,
    CatalogInputError,
    ImageUpload,
    ResultDescriptionInput,
    checked,
)
from openler.issuer.errors import IssuerNotFound

BASIC = AchievementInput(
    name="Wound Care", description="Cleans and dresses wounds.", criteria="Pass the lab.",
    achievement_type="Course", credits_available="2.5", tags="nursing, care",
    field_of_study="Nursing", human_code="NUR-110",
    alignments=[AlignmentInput("Wound care", "https://example.org/onet/29-2061", "O*NET-SOC",
                               "29-2061.00"),
                AlignmentInput(), AlignmentInput("Item", "https://case.example/item/1", "CASE")],
    result_descriptions=[ResultDescriptionInput("Score", "Percent", value_min="0",
                                                value_max="100"),
                         ResultDescriptionInput("Level", "RubricCriterionLevel",
                                                levels="Novice\nExpert")])


@pytest.fixture
def other_org(accounts, org_id) -> str:
    return accounts.org_owner("owner@other.example", "Other College")[1]


def _create(session, config, org_id, clock, data=BASIC):
    return catalog.create_achievement(session, config=config, org_id=org_id, data=data,
                                      now=clock())


def test_first_version_is_a_valid_ob3_achievement(session, config, org_id, clock):
    row = _create(session, config, org_id, clock)
    (version,) = catalog.versions(session, org_id=org_id, achievement_id=row.id)
    doc = version.document
    assert doc["id"] == f"https://badges.example.org/orgs/{org_id}/achievements/{row.id}/v/1"
    model = parse_model(AchievementModel, doc)
    assert model.achievement_type == "Course" and model.credits_available == 2.5
    assert [a.target_framework for a in model.alignment] == ["O*NET-SOC", "CASE"]
    assert model.alignment[1].target_type == "CFItem"
    assert model.result_description[0].value_max == "100"
    assert [lv.name for lv in model.result_description[1].rubric_criterion_level] == [
        "Novice", "Expert"]
    assert model.creator.id == config.base.org_did(org_id)
    assert model.tag == ("nursing", "care") and model.human_code == "NUR-110"


def test_edit_before_issue_rewrites_the_version(session, config, org_id, clock):
    row = _create(session, config, org_id, clock)
    catalog.update_achievement(session, config=config, org_id=org_id, achievement_id=row.id,
                               data=AchievementInput(**{**BASIC.__dict__, "name": "Wound Care I"}),
                               now=clock())
    versions = catalog.versions(session, org_id=org_id, achievement_id=row.id)
    assert [v.number for v in versions] == [1]
    assert versions[0].document["name"] == "Wound Care I"


def test_edit_after_issue_makes_a_new_version_and_the_award_keeps_its_own(
        session, config, org_id, clock):
    row = _create(session, config, org_id, clock)
    first = awards.award(session, config=config, org_id=org_id, achievement_id=row.id,
                         recipient_email="sam@learner.example", now=clock())
    clock.advance(days=1)
    catalog.update_achievement(session, config=config, org_id=org_id, achievement_id=row.id,
                               data=AchievementInput(**{**BASIC.__dict__, "name": "Wound Care II"}),
                               now=clock())
    versions = catalog.versions(session, org_id=org_id, achievement_id=row.id)
    assert [v.number for v in versions] == [2, 1]
    assert versions[1].document["name"] == "Wound Care"
    assert first.credential["credentialSubject"]["achievement"]["id"].endswith("/v/1")
    assert catalog.version_document(session, org_id=org_id, achievement_id=row.id,
                                    number=1)["name"] == "Wound Care"
    second = awards.award(session, config=config, org_id=org_id, achievement_id=row.id,
                          recipient_email="ana@learner.example", now=clock())
    assert second.credential["credentialSubject"]["achievement"]["name"] == "Wound Care II"
    assert second.version.number == 2


def test_retire_stops_awarding_but_versions_stay(session, config, org_id, clock):
    row = _create(session, config, org_id, clock)
    catalog.retire_achievement(session, org_id=org_id, achievement_id=row.id, now=clock())
    assert catalog.list_achievements(session, org_id=org_id, include_retired=False) == []
    with pytest.raises(CatalogInputError) as caught:
        awards.award(session, config=config, org_id=org_id, achievement_id=row.id,
                     recipient_email="sam@learner.example", now=clock())
    assert caught.value.errors == {"achievement": "retired"}
    assert catalog.version_document(session, org_id=org_id, achievement_id=row.id,
                                    number=1)["name"] == "Wound Care"
    catalog.retire_achievement(session, org_id=org_id, achievement_id=row.id, now=clock(),
                               retire=False)
    assert catalog.list_achievements(session, org_id=org_id, include_retired=False) == [row]


def test_other_organizations_cannot_see_or_change_it(session, config, org_id, clock, other_org):
    row = _create(session, config, org_id, clock)
    other = other_org
    with pytest.raises(IssuerNotFound):
        catalog.get_achievement(session, org_id=other, achievement_id=row.id)
    with pytest.raises(IssuerNotFound):
        catalog.update_achievement(session, config=config, org_id=other,
                                   achievement_id=row.id, data=BASIC, now=clock())
    with pytest.raises(IssuerNotFound):
        catalog.version_document(session, org_id=other, achievement_id=row.id, number=1)
    with pytest.raises(IssuerNotFound):
        awards.award(session, config=config, org_id=other, achievement_id=row.id,
                     recipient_email="sam@learner.example", now=clock())
    assert catalog.list_achievements(session, org_id=other) == []


def test_part_of_must_be_in_the_same_organization_and_not_a_cycle(
        session, config, org_id, clock, other_org):
    program = _create(session, config, org_id, clock,
                      AchievementInput(name="Programme", description="d", criteria="c",
                                       achievement_type="LearningProgram"))
    course = _create(session, config, org_id, clock,
                     AchievementInput(**{**BASIC.__dict__, "parent_id": program.id}))
    assert course.parent_id == program.id
    with pytest.raises(CatalogInputError) as caught:
        catalog.update_achievement(
            session, config=config, org_id=org_id, achievement_id=program.id, now=clock(),
            data=AchievementInput(name="Programme", description="d", criteria="c",
                                  parent_id=course.id))
    assert caught.value.errors == {"parent_id": "unknown_choice"}
    foreign = _create(session, config, other_org, clock)
    with pytest.raises(CatalogInputError):
        _create(session, config, org_id, clock,
                AchievementInput(**{**BASIC.__dict__, "parent_id": foreign.id}))


@pytest.mark.parametrize(("change", "errors"), [
    ({"name": ""}, {"name": "required"}),
    ({"name": "x" * 201}, {"name": "too_long"}),
    ({"achievement_type": "Trophy"}, {"achievement_type": "unknown_choice"}),
    ({"credits_available": "-1"}, {"credits_available": "invalid_number"}),
    ({"image": "javascript:alert(1)"}, {"image": "invalid_url"}),
    ({"alignments": [AlignmentInput(), AlignmentInput("Skill", "")]},
     {"alignment_2_url": "required"}),
    ({"alignments": [AlignmentInput("Skill", "https://x.example", target_type="Planet")]},
     {"alignment_1_type": "unknown_choice"}),
    ({"result_descriptions": [ResultDescriptionInput("Score", "Percent", value_min="9",
                                                     value_max="1")]},
     {"result_1_max": "min_above_max"}),
    ({"result_descriptions": [ResultDescriptionInput(name="Score")]},
     {"result_1_type": "required"}),
])
def test_each_problem_is_reported_on_its_field(change, errors):
    with pytest.raises(CatalogInputError) as caught:
        checked(AchievementInput(**{**BASIC.__dict__, **change}))
    assert caught.value.errors == errors


def test_uploaded_images_become_data_uris_with_limits():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    clean = checked(AchievementInput(**{**BASIC.__dict__,
                                        "image_upload": ImageUpload(png, "image/png")}))
    assert clean.image.startswith("data:image/png;base64,")
    for upload, code in ((ImageUpload(png, "image/svg+xml"), "image_type"),
                         (ImageUpload(b"GIF89a" + b"\x00" * 300_000, "image/gif"),
                          "image_too_large"),
                         (ImageUpload(b"not a png", "image/png"), "image_type")):
        with pytest.raises(CatalogInputError) as caught:
            checked(AchievementInput(**{**BASIC.__dict__, "image_upload": upload}))
        assert caught.value.errors == {"image_file": code}


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
       kind=st.sampled_from(ACHIEVEMENT_TYPES),
       tags=st.lists(st.text(alphabet="abcdefgh xyz", min_size=1, max_size=20), max_size=5))
def test_any_valid_name_type_and_tags_are_kept(name, kind, tags):
    data = AchievementInput(name=name, description="d", criteria="c", achievement_type=kind,
                            tags=tags)
    try:
        clean = checked(data)
    except CatalogInputError as exc:  # control characters are the only refusal
        assert exc.errors == {"name": "invalid_characters"}
        assert any(ord(c) < 32 for c in name)
        return
    assert clean.name == name.strip() and clean.achievement_type == kind
    assert clean.tags == tuple(t.strip() for t in tags if t.strip())


@pytest.mark.parametrize(("field", "result"), [
    ("allowed", ResultDescriptionInput("Grade", "LetterGrade", allowed_values="A, B, a")),
    ("levels", ResultDescriptionInput("Level", "RubricCriterionLevel",
                                      levels="Novice\nExpert\nNovice")),
])
def test_a_value_listed_twice_is_refused_by_name(field, result):
    data = AchievementInput(name="Welding", description="Welds.", criteria="Weld.",
                            achievement_type="Course", result_descriptions=[result])
    with pytest.raises(CatalogInputError) as caught:
        checked(data)
    assert caught.value.errors == {f"result_1_{field}": "duplicate_value"}


def test_distinct_values_that_only_look_alike_are_kept():
    data = AchievementInput(name="Welding", description="Welds.", criteria="Weld.",
                            achievement_type="Course", result_descriptions=[
                                ResultDescriptionInput("Grade", "LetterGrade",
                                                       allowed_values="A, A+, A-")])
    assert checked(data).result_descriptions[0]["allowed_values"] == ["A", "A+", "A-"]
