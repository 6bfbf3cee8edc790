"""Comprehensive Learner Record 2.0: ClrCredential, ClrSubject and Association.

Spec: 1EdTech CLR Standard 2.0, section 8 (data model): ClrCredential (a VC 2.0
credential whose @context adds the CLR 2.0.1 context), ClrSubject (the learner,
the AchievementCredentials it bundles, the achievements and their
associations) and Association with the AssociationType vocabulary.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from openler.core.models.base import (
    DateTimeZ,
    Listify,
    Model,
    one_of,
    require_when_building,
    types_including,
)
from openler.core.models.ob3_achievement import Achievement
from openler.core.models.ob3_common import ImageRef, SignedDocuments
from openler.core.models.ob3_credential import (
    AchievementCredential,
    IdentityObject,
    parse_achievement_credential,
    parse_model,
)
from openler.core.models.vc import (
    CLR_V2_CONTEXT,
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    Context,
    VerifiableCredential,
)

ASSOCIATION_TYPES: tuple[str, ...] = (
    "exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo",
    "precedes", "replacedBy",
)  # fmt: skip


class Association(Model):
    """How two achievements in the record relate, e.g. a course that is part of a programme."""

    type: Literal["Association"] = "Association"
    association_type: Annotated[str, one_of(ASSOCIATION_TYPES)]
    source_id: str
    target_id: str


class ClrSubject(Model):
    """The learner, with the signed AchievementCredentials the record bundles.

    ``verifiable_credential`` holds each credential as its JSON document, verbatim, so
    the embedded proofs still verify; pass models or dicts.
    """

    id: str | None = None
    type: Annotated[tuple[str, ...], types_including("ClrSubject")] = ("ClrSubject",)
    identifier: Annotated[tuple[IdentityObject, ...], Listify] | None = None
    verifiable_credential: SignedDocuments
    achievement: Annotated[tuple[Achievement, ...], Listify] | None = None
    association: Annotated[tuple[Association, ...], Listify] | None = None

    @field_validator("verifiable_credential")
    @classmethod
    def _not_empty(cls, value: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        if not value:
            raise ValueError("a ClrSubject needs at least one verifiable credential")
        return value

    def achievement_credentials(self) -> tuple[AchievementCredential, ...]:
        """The bundled credentials as models, for display; verify the dicts, not these."""
        return tuple(parse_achievement_credential(doc) for doc in self.verifiable_credential)


class ClrCredential(VerifiableCredential):
    """A learner record bundling many achievement credentials, signed by one issuer."""

    context: Context = Field(
        default=(VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT), alias="@context"
    )
    type: Annotated[tuple[str, ...], types_including("VerifiableCredential", "ClrCredential")] = (
        "VerifiableCredential",
        "ClrCredential",
    )
    credential_subject: ClrSubject  # type: ignore[assignment]
    partial: bool | None = None
    awarded_date: DateTimeZ | None = None
    image: ImageRef | None = None
    endorsement: SignedDocuments | None = None

    @model_validator(mode="after")
    def _required(self, info: ValidationInfo) -> ClrCredential:
        require_when_building(self, info, "id", "name", "valid_from")
        return self


def parse_clr_credential(document: dict[str, Any]) -> ClrCredential:
    """Read a received CLR 2.0 credential, accepting single values where arrays are allowed."""
    return parse_model(ClrCredential, document)
