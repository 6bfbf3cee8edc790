"""Open Badges 3.0 credentials: AchievementCredential and EndorsementCredential.

Spec: 1EdTech Open Badges 3.0, section 8 (data model): AchievementCredential
(also typed OpenBadgeCredential), AchievementSubject, IdentityObject (with the
IdentityHash form ``sha256$<hex>`` of the identifier followed by its salt),
Result (ResultStatusType), EndorsementCredential and EndorsementSubject.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from openler.core.errors import CredentialParseError
from openler.core.models.base import (
    DateTimeZ,
    Listify,
    Model,
    enum_or_extension,
    is_lenient,
    one_of,
    require_when_building,
    types_including,
)
from openler.core.models.ob3_achievement import Achievement, Alignment
from openler.core.models.ob3_common import (
    IDENTIFIER_TYPES,
    Evidence,
    ImageRef,
    Profile,
    SignedDocuments,
)
from openler.core.models.vc import (
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    Context,
    VerifiableCredential,
)

RESULT_STATUSES: tuple[str, ...] = (
    "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew",
)  # fmt: skip


class IdentityObject(Model):
    """A recipient identifier, plain or salted-and-hashed so the credential does not leak it."""

    type: Literal["IdentityObject"] = "IdentityObject"
    hashed: bool
    identity_hash: str
    identity_type: Annotated[str, enum_or_extension(IDENTIFIER_TYPES)]
    salt: str | None = None

    @classmethod
    def hashed_email(cls, email: str, *, salt: str) -> IdentityObject:
        """Identify a learner by email without writing the address into the credential."""
        return cls(
            hashed=True,
            identity_hash=identity_hash(email, salt),
            identity_type="emailAddress",
            salt=salt,
        )

    def matches(self, value: str) -> bool:
        """Whether a known value (e.g. an email) is the one this object identifies."""
        if not self.hashed:
            return hmac.compare_digest(self.identity_hash, value)
        algorithm, _, digest = self.identity_hash.partition("$")
        data = (value + (self.salt or "")).encode("utf-8")
        if algorithm == "sha256":
            expected = hashlib.sha256(data).hexdigest()
        elif algorithm == "md5":
            expected = hashlib.md5(data, usedforsecurity=False).hexdigest()
        else:
            return False
        return hmac.compare_digest(expected, digest.lower())


def identity_hash(identifier: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex SHA-256 of the UTF-8 identifier then the salt."""
    return "sha256$" + hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()


class Result(Model):
    """The learner's result against one of the achievement's result descriptions."""

    type: Annotated[tuple[str, ...], types_including("Result")] = ("Result",)
    result_description: str | None = None
    achieved_level: str | None = None
    value: str | None = None
    status: Annotated[str, one_of(RESULT_STATUSES)] | None = None
    alignment: Annotated[tuple[Alignment, ...], Listify] | None = None


class AchievementSubject(Model):
    """The learner and what they achieved; needs an id or at least one identifier."""

    id: str | None = None
    type: Annotated[tuple[str, ...], types_including("AchievementSubject")] = (
        "AchievementSubject",
    )
    achievement: Achievement
    identifier: Annotated[tuple[IdentityObject, ...], Listify] | None = None
    result: Annotated[tuple[Result, ...], Listify] | None = None
    credits_earned: int | float | None = None
    # DateTime in the spec; plain dates are common in the wild, so reading keeps them.
    activity_start_date: DateTimeZ | date | None = None
    activity_end_date: DateTimeZ | date | None = None
    license_number: str | None = None
    term: str | None = None
    role: str | None = None
    narrative: str | None = None
    image: ImageRef | None = None
    source: Profile | None = None

    @model_validator(mode="after")
    def _identified(self, info: ValidationInfo) -> AchievementSubject:
        if self.id is None and not self.identifier and not is_lenient(info):
            raise ValueError("an AchievementSubject needs an id or at least one identifier")
        return self


class AchievementCredential(VerifiableCredential):
    """An awarded achievement (OpenBadgeCredential), ready to sign."""

    context: Context = Field(default=(VC_V2_CONTEXT, OB_V3_CONTEXT), alias="@context")
    type: Annotated[
        tuple[str, ...],
        types_including(
            "VerifiableCredential", one_of=("OpenBadgeCredential", "AchievementCredential")
        ),
    ] = ("VerifiableCredential", "OpenBadgeCredential")
    credential_subject: AchievementSubject  # type: ignore[assignment]
    evidence: Annotated[tuple[Evidence, ...], Listify] | None = None  # type: ignore[assignment]
    awarded_date: DateTimeZ | None = None
    image: ImageRef | None = None
    endorsement: SignedDocuments | None = None

    @model_validator(mode="after")
    def _required(self, info: ValidationInfo) -> AchievementCredential:
        require_when_building(self, info, "id", "valid_from")
        return self


OpenBadgeCredential = AchievementCredential


class EndorsementSubject(Model):
    """What is endorsed (a profile, achievement or credential) and the endorser's comment."""

    id: str
    type: Annotated[tuple[str, ...], types_including("EndorsementSubject")] = (
        "EndorsementSubject",
    )
    endorsement_comment: str | None = None


class EndorsementCredential(VerifiableCredential):
    """A third party's signed statement of support for an issuer, achievement or credential."""

    context: Context = Field(default=(VC_V2_CONTEXT, OB_V3_CONTEXT), alias="@context")
    type: Annotated[
        tuple[str, ...], types_including("VerifiableCredential", "EndorsementCredential")
    ] = ("VerifiableCredential", "EndorsementCredential")
    credential_subject: EndorsementSubject  # type: ignore[assignment]
    awarded_date: DateTimeZ | None = None

    @model_validator(mode="after")
    def _required(self, info: ValidationInfo) -> EndorsementCredential:
        require_when_building(self, info, "id", "name", "valid_from")
        return self


M = TypeVar("M", bound=Model)


def parse_model(model: type[M], document: Any) -> M:
    """Read a JSON document into a model, or CredentialParseError listing what is wrong."""
    if not isinstance(document, dict):
        raise CredentialParseError(model.__name__, [("$", "must be a JSON object")])
    try:
        return model.model_validate(document, context={"lenient": True})
    except ValidationError as exc:
        problems = [(_json_path(err["loc"]), err["msg"]) for err in exc.errors()]
        raise CredentialParseError(model.__name__, problems) from None


def _json_path(loc: tuple[Any, ...]) -> str:
    path = "$"
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not isinstance(part, str) or _is_union_tag(part):
            continue
        elif part.isidentifier():
            path += f".{part}"
        else:
            path += f"[{part!r}]"
    return path


def _is_union_tag(part: str) -> bool:
    # Pydantic names union members in error locations ("str", "Profile", "tuple[...]");
    # spec property names are camelCase or "@context", so these are told apart by shape.
    return part[:1].isupper() or "[" in part or part in {"str", "int", "float", "bool", "dict"}


def parse_achievement_credential(document: dict[str, Any]) -> AchievementCredential:
    """Read a received OB 3.0 credential, accepting single values where arrays are allowed."""
    return parse_model(AchievementCredential, document)


def parse_endorsement_credential(document: dict[str, Any]) -> EndorsementCredential:
    """Read a received OB 3.0 EndorsementCredential."""
    return parse_model(EndorsementCredential, document)
