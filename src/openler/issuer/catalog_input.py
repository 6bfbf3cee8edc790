"""What staff (or an importer) send to describe an achievement, and how it is checked.

Spec: 1EdTech Open Badges 3.0, section 8 (Achievement fields, the
AchievementType, ResultType and AlignmentTargetType vocabularies; Image as a
URI or data URI). Problems are reported per field (``name``,
``alignment_2_url``, ``result_1_max``...) as error codes, so a form can name
each field; blank alignment or result rows are ignored but keep their numbers.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from openler.core.models import ACHIEVEMENT_TYPES, ALIGNMENT_TARGET_TYPES, RESULT_TYPES
from openler.issuer.errors import IssuerInputError

FRAMEWORKS = ("O*NET-SOC", "ESCO", "CASE")
"""Frameworks offered by the form; any other framework name is accepted too."""
MAX_IMAGE_BYTES = 256 * 1024
IMAGE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
LIMITS = {"name": 200, "description": 5000, "criteria": 5000, "field_of_study": 200,
          "specialization": 200, "human_code": 100, "tag": 100, "url": 500,
          "framework": 200, "code": 100, "value": 200}
MAX_TAGS = 20
MAX_CREDITS = 10_000


class CatalogInputError(IssuerInputError):
    """Fields that failed validation, as field name -> error code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()), code="invalid_fields")
        self.errors = errors


@dataclass(frozen=True)
class ImageUpload:
    """An uploaded image file, stored in the achievement as a data: URI."""

    content: bytes
    media_type: str


@dataclass(frozen=True)
class AlignmentInput:
    target_name: str = ""
    target_url: str = ""
    target_framework: str = ""
    target_code: str = ""
    target_type: str = ""


@dataclass(frozen=True)
class ResultDescriptionInput:
    name: str = ""
    result_type: str = ""
    allowed_values: str | Sequence[str] = ""
    value_min: str = ""
    value_max: str = ""
    levels: str | Sequence[str] = ""


@dataclass(frozen=True)
class AchievementInput:
    name: str = ""
    description: str = ""
    criteria: str = ""
    achievement_type: str = "Achievement"
    image: str = ""
    image_upload: ImageUpload | None = None
    credits_available: str | float | None = None
    field_of_study: str = ""
    specialization: str = ""
    human_code: str = ""
    tags: str | Sequence[str] = ""
    alignments: Sequence[AlignmentInput] = ()
    result_descriptions: Sequence[ResultDescriptionInput] = ()
    parent_id: str = ""


@dataclass(frozen=True)
class Checked:
    name: str
    description: str
    criteria: str
    achievement_type: str
    image: str | None
    credits_available: float | None
    field_of_study: str | None
    specialization: str | None
    human_code: str | None
    tags: tuple[str, ...]
    alignments: tuple[dict[str, Any], ...]
    result_descriptions: tuple[dict[str, Any], ...]
    parent_id: str | None


def _text(errors: dict[str, str], name: str, value: str, limit: int, *,
          required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        errors[name] = "required"
    elif len(value) > limit:
        errors[name] = "too_long"
    elif any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        errors[name] = "invalid_characters"
    return value or None


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def _split(value: str | Sequence[str], sep: str) -> list[str]:
    items = value.split(sep) if isinstance(value, str) else list(value)
    return [i.strip() for i in items if i and i.strip()]


def image_data_uri(upload: ImageUpload) -> str:
    """Check an uploaded image's type and size and turn it into a data: URI."""
    if len(upload.content) > MAX_IMAGE_BYTES:
        raise CatalogInputError({"image_file": "image_too_large"})
    magics = IMAGE_TYPES.get(upload.media_type)
    if not magics or not upload.content.startswith(magics):
        raise CatalogInputError({"image_file": "image_type"})
    encoded = base64.b64encode(upload.content).decode("ascii")
    return f"data:{upload.media_type};base64,{encoded}"


def _image(errors: dict[str, str], data: AchievementInput) -> str | None:
    if data.image_upload is not None and data.image_upload.content:
        try:
            return image_data_uri(data.image_upload)
        except CatalogInputError as exc:
            errors.update(exc.errors)
            return None
    image = (data.image or "").strip()
    if not image:
        return None
    if image.startswith("data:"):
        kind = image[5:].split(";", 1)[0]
        if kind in IMAGE_TYPES and len(image) <= MAX_IMAGE_BYTES * 4 // 3 + 100:
            return image
        errors["image"] = "image_type"
    elif not is_web_url(image) or len(image) > LIMITS["url"]:
        errors["image"] = "invalid_url"
    return image


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _credits(errors: dict[str, str], value: str | float | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(str(value).strip().replace(",", "."))
    if number is None or number < 0 or number > MAX_CREDITS:
        errors["credits_available"] = "invalid_number"
        return None
    return number


def _alignment(errors: dict[str, str], n: int, a: AlignmentInput) -> dict[str, Any] | None:
    if not any(v.strip() for v in (a.target_name, a.target_url, a.target_framework,
                                     a.target_code, a.target_type)):
        return None
    p = f"alignment_{n}_"
    name = _text(errors, p + "name", a.target_name, LIMITS["name"], required=True)
    url = _text(errors, p + "url", a.target_url, LIMITS["url"], required=True)
    if url and p + "url" not in errors and not is_web_url(url):
        errors[p + "url"] = "invalid_url"
    framework = _text(errors, p + "framework", a.target_framework, LIMITS["framework"]) or ""
    code = _text(errors, p + "code", a.target_code, LIMITS["code"]) or ""
    kind = a.target_type.strip()
    if kind and kind not in ALIGNMENT_TARGET_TYPES:
        errors[p + "type"] = "unknown_choice"
    if not kind and framework == "CASE":
        kind = "CFItem"
    return {"target_name": name, "target_url": url, "target_framework": framework,
            "target_code": code, "target_type": kind or None}


def _result(errors: dict[str, str], n: int, r: ResultDescriptionInput) -> dict[str, Any] | None:
    allowed, levels = _split(r.allowed_values, ","), _split(r.levels, "\n")
    if not any((r.name.strip(), r.result_type.strip(), allowed, r.value_min.strip(),
                r.value_max.strip(), levels)):
        return None
    p = f"result_{n}_"
    name = _text(errors, p + "name", r.name, LIMITS["name"], required=True)
    kind = r.result_type.strip()
    if not kind:
        errors[p + "type"] = "required"
    elif kind not in RESULT_TYPES:
        errors[p + "type"] = "unknown_choice"
    low = _text(errors, p + "min", r.value_min, LIMITS["value"])
    high = _text(errors, p + "max", r.value_max, LIMITS["value"])
    if low and high:
        lo, hi = _number(low), _number(high)
        if lo is not None and hi is not None and lo > hi:
            errors[p + "max"] = "min_above_max"
    for key, values in (("allowed", allowed), ("levels", levels)):
        if any(len(v) > LIMITS["value"] for v in values):
            errors[p + key] = "too_long"
        elif len({v.casefold() for v in values}) != len(values):
            # A repeated value is a slip, and the award form could not tell the two apart.
            errors[p + key] = "duplicate_value"
    return {"name": name, "result_type": kind, "allowed_values": allowed,
            "value_min": low, "value_max": high, "levels": levels}


def checked(data: AchievementInput) -> Checked:
    """Validate every field at once; CatalogInputError lists all the problems."""
    errors: dict[str, str] = {}
    name = _text(errors, "name", data.name, LIMITS["name"], required=True) or ""
    description = _text(errors, "description", data.description, LIMITS["description"],
                        required=True) or ""
    criteria = _text(errors, "criteria", data.criteria, LIMITS["criteria"], required=True) or ""
    kind = (data.achievement_type or "").strip()
    if not kind:
        errors["achievement_type"] = "required"
    elif kind not in ACHIEVEMENT_TYPES:
        errors["achievement_type"] = "unknown_choice"
    tags = _split(data.tags, ",")
    if len(tags) > MAX_TAGS or any(len(t) > LIMITS["tag"] for t in tags):
        errors["tags"] = "too_long"
    alignments = [_alignment(errors, n, a) for n, a in enumerate(data.alignments, 1)]
    results = [_result(errors, n, r) for n, r in enumerate(data.result_descriptions, 1)]
    result = Checked(
        name=name, description=description, criteria=criteria, achievement_type=kind,
        image=_image(errors, data), credits_available=_credits(errors, data.credits_available),
        field_of_study=_text(errors, "field_of_study", data.field_of_study,
                             LIMITS["field_of_study"]),
        specialization=_text(errors, "specialization", data.specialization,
                             LIMITS["specialization"]),
        human_code=_text(errors, "human_code", data.human_code, LIMITS["human_code"]),
        tags=tuple(tags),
        alignments=tuple(a for a in alignments if a is not None),
        result_descriptions=tuple(r for r in results if r is not None),
        parent_id=(data.parent_id or "").strip() or None)
    if errors:
        raise CatalogInputError(errors)
    return result
