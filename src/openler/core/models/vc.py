"""The W3C Verifiable Credential and Verifiable Presentation envelopes.

Spec: W3C Verifiable Credentials Data Model 2.0, sections 4.1 (@context), 4.3
(types), 4.4 (names and descriptions), 4.5 (issuer), 4.6 (credential subject),
4.9 (validity period), 4.10 (status), 4.11 (data schemas), 5.6 (evidence) and
4.13 (verifiable presentations).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_serializer

from openler.core.models.base import (
    DateTimeZ,
    JsonObject,
    Listify,
    Model,
    json_documents,
    types_including,
)
from openler.core.models.ob3_common import Profile

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

OB_ACHIEVEMENT_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CLR_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)

Context = Annotated[tuple[str | JsonObject, ...], Listify]


class CredentialStatus(Model):
    """A credentialStatus entry; the Bitstring Status List fields are typed, others kept as extras."""

    id: str | None = None
    type: str = "BitstringStatusListEntry"
    status_purpose: str | None = None
    status_list_index: str | None = None
    status_list_credential: str | None = None


class CredentialSchema(Model):
    """A credentialSchema entry naming the JSON Schema a verifier should apply."""

    id: str
    type: str = "1EdTechJsonSchemaValidator2019"


class VerifiableCredential(Model):
    """A VC 2.0 credential envelope whose subject is free-form JSON."""

    context: Context = Field(default=(VC_V2_CONTEXT,), alias="@context")
    id: str | None = None
    type: Annotated[tuple[str, ...], types_including("VerifiableCredential")] = (
        "VerifiableCredential",
    )
    name: str | None = None
    description: str | None = None
    issuer: str | Profile
    valid_from: DateTimeZ | None = None
    valid_until: DateTimeZ | None = None
    credential_subject: JsonObject | tuple[JsonObject, ...]
    credential_status: Annotated[tuple[CredentialStatus, ...], Listify] | None = None
    credential_schema: Annotated[tuple[CredentialSchema, ...], Listify] | None = None
    evidence: Annotated[tuple[JsonObject, ...], Listify] | None = None

    @field_serializer("credential_status")
    def _one_status_as_object(self, value: tuple[CredentialStatus, ...] | None) -> Any:
        # The OB 3.0 and CLR schemas take one status object; VC 2.0 allows either form.
        if value is None:
            return None
        dumped = [entry.to_json() for entry in value]
        return dumped[0] if len(dumped) == 1 else dumped


class VerifiablePresentation(Model):
    """A VC 2.0 presentation; embedded credentials are kept verbatim so their proofs still verify."""

    context: Context = Field(default=(VC_V2_CONTEXT,), alias="@context")
    id: str | None = None
    type: Annotated[tuple[str, ...], types_including("VerifiablePresentation")] = (
        "VerifiablePresentation",
    )
    holder: str | JsonObject | None = None
    verifiable_credential: (
        Annotated[tuple[JsonObject, ...], BeforeValidator(json_documents)] | None
    ) = None
