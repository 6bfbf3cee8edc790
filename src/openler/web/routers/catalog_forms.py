"""Form reading and field messages for the issuer's catalog and award pages.

Turns posted fields into the issuer services' inputs, and field -> error code
into translated sentences that name the field (the error-summary pattern).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.datastructures import UploadFile

from openler.issuer.catalog_input import (
    AchievementInput,
    AlignmentInput,
    ImageUpload,
    ResultDescriptionInput,
)
from openler.web.forms import PROBLEMS
from openler.web.i18n import N_, gettext

ALIGNMENT_ROWS_EXTRA = 2
RESULT_ROWS_EXTRA = 1
MAX_ROWS = 20

LABELS = {
    "name": N_("Name"),
    "description": N_("Description"),
    "criteria": N_("What the learner must do"),
    "achievement_type": N_("Type of achievement"),
    "image": N_("Image address (URL)"),
    "image_file": N_("Image file"),
    "credits_available": N_("Credits available"),
    "field_of_study": N_("Field of study"),
    "specialization": N_("Specialization"),
    "human_code": N_("Code"),
    "tags": N_("Tags"),
    "parent_id": N_("Part of"),
    "recipient_email": N_("Learner's email address"),
    "recipient_did": N_("Learner's wallet DID"),
    "valid_from": N_("Valid from"),
    "valid_until": N_("Valid until"),
    "achievement": N_("Achievement"),
    "action": N_("Action"),
    "evidence_1_url": N_("Evidence link"),
    "evidence_1": N_("Evidence link"),
    "evidence_2": N_("Evidence file"),
    "learner": N_("Learner"),
}
ROW_LABELS = {
    ("alignment", "name"): N_("Skill or occupation %(n)s: name"),
    ("alignment", "url"): N_("Skill or occupation %(n)s: web address"),
    ("alignment", "framework"): N_("Skill or occupation %(n)s: framework"),
    ("alignment", "code"): N_("Skill or occupation %(n)s: code"),
    ("alignment", "type"): N_("Skill or occupation %(n)s: kind of target"),
    ("result", "name"): N_("Result %(n)s: name"),
    ("result", "type"): N_("Result %(n)s: kind of result"),
    ("result", "allowed"): N_("Result %(n)s: allowed values"),
    ("result", "min"): N_("Result %(n)s: lowest value"),
    ("result", "max"): N_("Result %(n)s: highest value"),
    ("result", "levels"): N_("Result %(n)s: rubric levels"),
    ("result", ""): N_("Result %(n)s"),
}
OUR_PROBLEMS = {
    "invalid_url": N_("enter a full web address starting with https://."),
    "invalid_number": N_("enter a number, like 3 or 4.5."),
    "image_too_large": N_("the image is larger than 256 KB. Choose a smaller one."),
    "image_type": N_("use a PNG, JPEG, GIF or WebP image."),
    "min_above_max": N_("the highest value is below the lowest value."),
    "duplicate_value": N_("a value appears more than once. List each value once."),
    "out_of_range": N_("this value is outside the allowed range."),
    "retired": N_("this achievement is retired and cannot be awarded."),
    "not_after_start": N_("this date must be after the start date."),
    "one_recipient": N_("give an email address or a DID, not both."),
    "invalid_did": N_("enter a DID like did:key:z6Mk…"),
    "file_too_large": N_("the file is larger than 10 MB. Choose a smaller one."),
    "no_awards": N_("this learner has no current awards from this organization."),
    "already_revoked": N_("this award is already revoked."),
    "no_suspension": N_("this credential cannot be suspended."),
    "invalid_date": N_("enter a date like 2027-06-30."),
}
ACHIEVEMENT_TYPE_LABELS = {
    "Achievement": N_("Achievement"),
    "ApprenticeshipCertificate": N_("Apprenticeship certificate"),
    "Assessment": N_("Assessment"),
    "Assignment": N_("Assignment"),
    "AssociateDegree": N_("Associate degree"),
    "Award": N_("Award"),
    "Badge": N_("Badge"),
    "BachelorDegree": N_("Bachelor's degree"),
    "Certificate": N_("Certificate"),
    "CertificateOfCompletion": N_("Certificate of completion"),
    "Certification": N_("Certification"),
    "CommunityService": N_("Community service"),
    "Competency": N_("Competency"),
    "Course": N_("Course"),
    "CoCurricular": N_("Co-curricular activity"),
    "Degree": N_("Degree"),
    "Diploma": N_("Diploma"),
    "DoctoralDegree": N_("Doctoral degree"),
    "Fieldwork": N_("Fieldwork"),
    "GeneralEducationDevelopment": N_("General Education Development (GED)"),
    "JourneymanCertificate": N_("Journeyman certificate"),
    "LearningProgram": N_("Learning programme"),
    "License": N_("License"),
    "Membership": N_("Membership"),
    "ProfessionalDoctorate": N_("Professional doctorate"),
    "QualityAssuranceCredential": N_("Quality assurance credential"),
    "MasterCertificate": N_("Master certificate"),
    "MasterDegree": N_("Master's degree"),
    "MicroCredential": N_("Micro-credential"),
    "ResearchDoctorate": N_("Research doctorate"),
    "SecondarySchoolDiploma": N_("Secondary school diploma"),
}
RESULT_TYPE_LABELS = {
    "GradePointAverage": N_("Grade point average"),
    "LetterGrade": N_("Letter grade"),
    "Percent": N_("Percent"),
    "PerformanceLevel": N_("Performance level"),
    "PredictedScore": N_("Predicted score"),
    "RawScore": N_("Raw score"),
    "Result": N_("Result"),
    "RubricCriterion": N_("Rubric criterion"),
    "RubricCriterionLevel": N_("Rubric criterion level"),
    "RubricScore": N_("Rubric score"),
    "ScaledScore": N_("Scaled score"),
    "Status": N_("Status"),
}


def type_label(value: str | None) -> str:
    """The translated name of an OB 3.0 achievement or result type (the code if unknown)."""
    label = ACHIEVEMENT_TYPE_LABELS.get(value or "") or RESULT_TYPE_LABELS.get(value or "")
    return gettext(label) if label else (value or "")


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, translated label) pairs for a select, sorted by label."""
    return sorted(((v, type_label(v)) for v in values), key=lambda pair: pair[1].lower())


_ROW = re.compile(r"^(alignment|result)_(\d+)(?:_(\w+))?$")


def label(field: str) -> str:
    """The translated label of a field, also for numbered rows."""
    match = _ROW.match(field)
    if match and (match[1], match[3] or "") in ROW_LABELS:
        return gettext(ROW_LABELS[(match[1], match[3] or "")]) % {"n": match[2]}
    return gettext(LABELS.get(field, field))


def messages(errors: Mapping[str, str]) -> dict[str, str]:
    """Field -> code into field -> a sentence naming the field."""
    out = {}
    for field, code in errors.items():
        text = OUR_PROBLEMS.get(code) or PROBLEMS.get(code) or PROBLEMS["unknown_choice"]
        out[field] = gettext("%(field)s: %(problem)s") % {"field": label(field),
                                                           "problem": gettext(text)}
    return out


@dataclass(frozen=True)
class Upload:
    filename: str
    media_type: str
    content: bytes


async def uploads(form: Mapping[str, object]) -> dict[str, Upload]:
    """The uploaded files of a multipart form (empty file inputs left out)."""
    out = {}
    for key, value in form.items():
        if isinstance(value, UploadFile) and value.filename:
            content = await value.read()
            if content:
                out[key] = Upload(value.filename[:255], value.content_type or "", content)
    return out


def _rows(values: Mapping[str, str], prefix: str) -> int:
    numbers = [int(m[2]) for k in values if (m := _ROW.match(k)) and m[1] == prefix]
    return min(max(numbers, default=0), MAX_ROWS)


def filled_rows(values: Mapping[str, str], prefix: str) -> int:
    """How many numbered rows to show again: up to the last one with any content."""
    numbers = [int(m[2]) for k, v in values.items()
               if (m := _ROW.match(k)) and m[1] == prefix and str(v).strip()]
    return min(max(numbers, default=0), MAX_ROWS)


def achievement_input(values: Mapping[str, str], files: Mapping[str, Upload],
                      *, current_image: str | None = None) -> AchievementInput:
    """The posted achievement form as the catalog service's input."""
    image = values.get("image", "")
    if not image and current_image and current_image.startswith("data:") \
            and not values.get("remove_image"):
        image = current_image
    upload = files.get("image_file")
    return AchievementInput(
        name=values.get("name", ""), description=values.get("description", ""),
        criteria=values.get("criteria", ""),
        achievement_type=values.get("achievement_type", ""),
        image=image,
        image_upload=ImageUpload(upload.content, upload.media_type) if upload else None,
        credits_available=values.get("credits_available", ""),
        field_of_study=values.get("field_of_study", ""),
        specialization=values.get("specialization", ""),
        human_code=values.get("human_code", ""), tags=values.get("tags", ""),
        parent_id=values.get("parent_id", ""),
        alignments=[AlignmentInput(*(values.get(f"alignment_{n}_{k}", "") for k in
                                     ("name", "url", "framework", "code", "type")))
                    for n in range(1, _rows(values, "alignment") + 1)],
        result_descriptions=[ResultDescriptionInput(*(values.get(f"result_{n}_{k}", "") for k in
                                                      ("name", "type", "allowed", "min", "max",
                                                       "levels")))
                             for n in range(1, _rows(values, "result") + 1)])


def parse_date(errors: dict[str, str], field: str, value: str) -> datetime | None:
    """A YYYY-MM-DD date as midnight UTC, or an error code on the field."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        errors[field] = "invalid_date"
        return None
