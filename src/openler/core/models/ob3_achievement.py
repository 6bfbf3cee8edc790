"""The Open Badges 3.0 Achievement and the classes that describe it.

Spec: 1EdTech Open Badges 3.0, section 8 (data model): Achievement, Criteria,
Alignment, ResultDescription, RubricCriterionLevel, Related, and the
extensible vocabularies AchievementType, AlignmentTargetType and ResultType
(section 8.x enumerations; extension terms start with ``ext:``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ValidationInfo, model_validator

from openler.core.models.base import (
    Listify,
    Model,
    enum_or_extension,
    require_when_building,
    types_including,
)
from openler.core.models.ob3_common import IdentifierEntry, ImageRef, Profile, SignedDocuments

ACHIEVEMENT_TYPES: tuple[str, ...] = (
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
    "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree",
    "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
    "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
)  # fmt: skip

ALIGNMENT_TARGET_TYPES: tuple[str, ...] = (
    "ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
    "CFRubricCriterionLevel", "CTDL",
)  # fmt: skip

RESULT_TYPES: tuple[str, ...] = (
    "GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore",
    "RawScore", "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore",
    "ScaledScore", "Status",
)  # fmt: skip

Strings = Annotated[tuple[str, ...], Listify]


class Criteria(Model):
    """What a learner must do to earn the achievement: a page URI, a narrative, or both."""

    id: str | None = None
    narrative: str | None = None


class Alignment(Model):
    """A link from an achievement or result to a node in a skills or competency framework."""

    type: Annotated[tuple[str, ...], types_including("Alignment")] = ("Alignment",)
    target_name: str
    target_url: str
    target_description: str | None = None
    target_code: str | None = None
    target_framework: str | None = None
    target_type: Annotated[str, enum_or_extension(ALIGNMENT_TARGET_TYPES)] | None = None


Alignments = Annotated[tuple[Alignment, ...], Listify]


class RubricCriterionLevel(Model):
    """One performance level of a rubric criterion."""

    id: str
    type: Annotated[tuple[str, ...], types_including("RubricCriterionLevel")] = (
        "RubricCriterionLevel",
    )
    name: str
    description: str | None = None
    level: str | None = None
    points: str | None = None
    alignment: Alignments | None = None


class ResultDescription(Model):
    """A kind of result the achievement can carry (grade, score, rubric level...)."""

    id: str
    type: Annotated[tuple[str, ...], types_including("ResultDescription")] = ("ResultDescription",)
    name: str
    result_type: Annotated[str, enum_or_extension(RESULT_TYPES)]
    allowed_value: Strings | None = None
    required_level: str | None = None
    required_value: str | None = None
    value_min: str | None = None
    value_max: str | None = None
    rubric_criterion_level: Annotated[tuple[RubricCriterionLevel, ...], Listify] | None = None
    alignment: Alignments | None = None


class Related(Model):
    """Another version of this achievement, e.g. in another language."""

    id: str
    type: Annotated[tuple[str, ...], types_including("Related")] = ("Related",)
    in_language: str | None = None
    version: str | None = None


class Achievement(Model):
    """What was accomplished, defined once by its creator and awarded many times."""

    id: str
    type: Annotated[tuple[str, ...], types_including("Achievement")] = ("Achievement",)
    name: str
    description: str | None = None
    criteria: Criteria
    achievement_type: Annotated[str, enum_or_extension(ACHIEVEMENT_TYPES)] | None = None
    image: ImageRef | None = None
    creator: Profile | None = None
    credits_available: int | float | None = None
    field_of_study: str | None = None
    human_code: str | None = None
    specialization: str | None = None
    tag: Strings | None = None
    alignment: Alignments | None = None
    result_description: Annotated[tuple[ResultDescription, ...], Listify] | None = None
    related: Annotated[tuple[Related, ...], Listify] | None = None
    version: str | None = None
    in_language: str | None = None
    other_identifier: Annotated[tuple[IdentifierEntry, ...], Listify] | None = None
    endorsement: SignedDocuments | None = None

    @model_validator(mode="after")
    def _required(self, info: ValidationInfo) -> Achievement:
        require_when_building(self, info, "description")
        return self
