"""Shared building blocks for the credential data models.

Spec: W3C Verifiable Credentials Data Model 2.0, section 4 (basic concepts:
property names, ``type``, date-time values as XSD dateTimeStamp) and 1EdTech
Open Badges 3.0, section 8 (data model conventions: JSON names in camelCase,
single values or arrays where the JSON-LD form allows both).

Every model is a frozen Pydantic v2 model. Python names are snake_case, JSON
names come from camelCase aliases; ``to_json()`` returns a new JSON-ready dict
with unset optionals left out. Unknown properties (extensions, ``proof``) are
kept so a parsed document keeps what it carried.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
)
from pydantic.alias_generators import to_camel

JsonObject = dict[str, Any]


def as_tuple(value: Any) -> Any:
    """Accept one value where the spec allows one-or-many, so parsing is tolerant."""
    if value is None or isinstance(value, (list, tuple)):
        return value
    return (value,)


def format_datetime(value: datetime) -> str:
    """XSD dateTimeStamp in UTC with a ``Z``: the one form every verifier accepts."""
    if value.tzinfo is None:
        raise ValueError("date-times must carry a time zone")
    text = value.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def _require_tz(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("date-times must carry a time zone (use UTC)")
    if isinstance(value, str) and not _has_zone(value):
        raise ValueError("date-times must end with Z or a +hh:mm offset")
    return value


def _has_zone(text: str) -> bool:
    return text.endswith(("Z", "z")) or (len(text) > 6 and text[-6] in "+-" and text[-3] == ":")


DateTimeZ = Annotated[
    datetime,
    BeforeValidator(_require_tz),
    PlainSerializer(format_datetime, return_type=str, when_used="json-unless-none"),
]
"""A timezone-aware datetime written as ``2024-01-31T09:00:00Z``."""

Listify = BeforeValidator(as_tuple)


def types_including(*required: str, one_of: tuple[str, ...] = ()) -> BeforeValidator:
    """Validator for ``type``: a string or list, holding every required name and one of one_of."""

    def check(value: Any) -> Any:
        items = as_tuple(value)
        if items is None:
            raise ValueError("type is required")
        for name in required:
            if name not in items:
                raise ValueError(f"type must include {name!r}")
        if one_of and not any(name in items for name in one_of):
            raise ValueError(f"type must include one of {', '.join(one_of)}")
        return items

    return BeforeValidator(check)


def is_lenient(info: ValidationInfo) -> bool:
    """Whether we are reading a received document (lenient) rather than building one."""
    return bool(info.context and info.context.get("lenient"))


def require_when_building(model: Any, info: ValidationInfo, *names: str) -> None:
    """Insist on spec-required fields when building; received documents may lack them."""
    if is_lenient(info):
        return
    missing = [to_camel(name) for name in names if getattr(model, name) is None]
    if missing:
        raise ValueError(f"{', '.join(missing)} is required")


def one_of(allowed: tuple[str, ...]) -> AfterValidator:
    """Validator for a closed vocabulary, enforced when building (not when reading)."""

    def check(value: str, info: ValidationInfo) -> str:
        if value in allowed or is_lenient(info):
            return value
        raise ValueError(f"must be one of {', '.join(allowed)}")

    return AfterValidator(check)


def enum_or_extension(allowed: tuple[str, ...]) -> AfterValidator:
    """Validator for 1EdTech extensible vocabularies: a listed term or an ``ext:`` term."""

    def check(value: str, info: ValidationInfo) -> str:
        if value in allowed or EXTENSION_TERM.fullmatch(value) or is_lenient(info):
            return value
        raise ValueError(
            f"must be one of {', '.join(allowed)} or an extension term like 'ext:Name'"
        )

    return AfterValidator(check)


# The spec's pattern is ``(ext:)[a-z|A-Z|0-9|.|-|_]+``; this is the same character set.
EXTENSION_TERM = re.compile(r"ext:[A-Za-z0-9|.\-_]+")


class Model(BaseModel):
    """Base of every model: frozen, camelCase JSON names, extra properties kept."""

    model_config = ConfigDict(
        frozen=True,
        populate_by_name=True,
        alias_generator=to_camel,
        extra="allow",
        ser_json_inf_nan="null",
    )

    def to_json(self) -> JsonObject:
        """A new JSON-ready dict, so callers can sign or store it without touching the model."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def json_documents(value: Any) -> Any:
    """Turn models into their JSON form; signed documents are then kept verbatim."""
    items = as_tuple(value)
    if items is None:
        return None
    return tuple(item.to_json() if isinstance(item, Model) else item for item in items)
