"""Open Badges 3.0 classes shared by issuers, achievements and subjects.

Spec: 1EdTech Open Badges 3.0, section 8 (data model): Image (8.1.x Image),
Profile (8.x Profile), IdentifierEntry, Evidence, and the IdentifierTypeEnum
vocabulary used by IdentifierEntry and IdentityObject.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from openler.core.models.base import (
    JsonObject,
    Listify,
    Model,
    enum_or_extension,
    json_documents,
    types_including,
)

IDENTIFIER_TYPES: tuple[str, ...] = (
    "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
    "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
    "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
    "ltiUserId", "identifier",
)  # fmt: skip


def _image_from_uri(value: Any) -> Any:
    # Older documents give an image as its URI alone; the OB 3.0 class is an object.
    if isinstance(value, str):
        return {"id": value, "type": "Image"}
    return value


class Image(Model):
    """An image by URI or data URI, with an optional caption for screen readers."""

    id: str
    type: Literal["Image"] = "Image"
    caption: str | None = None


ImageRef = Annotated[Image, BeforeValidator(_image_from_uri)]
SignedDocuments = Annotated[tuple[JsonObject, ...], BeforeValidator(json_documents)]


class IdentifierEntry(Model):
    """Another identifier for a profile or achievement (e.g. a national or SIS id)."""

    type: Literal["IdentifierEntry"] = "IdentifierEntry"
    identifier: str
    identifier_type: Annotated[str, enum_or_extension(IDENTIFIER_TYPES)]


class Profile(Model):
    """An issuer, creator or other party, identified by a URI."""

    id: str
    type: Annotated[tuple[str, ...], types_including("Profile")] = ("Profile",)
    name: str | None = None
    url: str | None = None
    phone: str | None = None
    description: str | None = None
    email: str | None = None
    image: ImageRef | None = None
    official: str | None = None
    parent_org: Profile | None = None
    family_name: str | None = None
    given_name: str | None = None
    additional_name: str | None = None
    address: JsonObject | None = None
    other_identifier: Annotated[tuple[IdentifierEntry, ...], Listify] | None = None
    endorsement: SignedDocuments | None = None


class Evidence(Model):
    """Something that shows the achievement was earned: a URL, data URI or narrative."""

    id: str | None = None
    type: Annotated[tuple[str, ...], types_including("Evidence")] = ("Evidence",)
    name: str | None = None
    description: str | None = None
    narrative: str | None = None
    genre: str | None = None
    audience: str | None = None
