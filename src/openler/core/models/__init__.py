"""Typed credential models: VC 2.0 envelope, Open Badges 3.0 and CLR 2.0.

Build with keyword arguments (snake_case), get a new JSON-ready document with
``to_json()``; read received documents with the ``parse_*`` functions.
"""

from openler.core.models.base import Model, format_datetime
from openler.core.models.clr import (
    ASSOCIATION_TYPES,
    Association,
    ClrCredential,
    ClrSubject,
    parse_clr_credential,
)
from openler.core.models.ob3_achievement import (
    ACHIEVEMENT_TYPES,
    ALIGNMENT_TARGET_TYPES,
    RESULT_TYPES,
    Achievement,
    Alignment,
    Criteria,
    Related,
    ResultDescription,
    RubricCriterionLevel,
)
from openler.core.models.ob3_common import (
    IDENTIFIER_TYPES,
    Evidence,
    IdentifierEntry,
    Image,
    Profile,
)
from openler.core.models.ob3_credential import (
    RESULT_STATUSES,
    AchievementCredential,
    AchievementSubject,
    EndorsementCredential,
    EndorsementSubject,
    IdentityObject,
    OpenBadgeCredential,
    Result,
    identity_hash,
    parse_achievement_credential,
    parse_endorsement_credential,
    parse_model,
)
from openler.core.models.vc import (
    CLR_SCHEMA_URL,
    CLR_V2_CONTEXT,
    OB_ACHIEVEMENT_SCHEMA_URL,
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    CredentialSchema,
    CredentialStatus,
    VerifiableCredential,
    VerifiablePresentation,
)

__all__ = [
    "ACHIEVEMENT_TYPES",
    "ALIGNMENT_TARGET_TYPES",
    "ASSOCIATION_TYPES",
    "CLR_SCHEMA_URL",
    "CLR_V2_CONTEXT",
    "IDENTIFIER_TYPES",
    "OB_ACHIEVEMENT_SCHEMA_URL",
    "OB_V3_CONTEXT",
    "RESULT_STATUSES",
    "RESULT_TYPES",
    "VC_V2_CONTEXT",
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Alignment",
    "Association",
    "ClrCredential",
    "ClrSubject",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "IdentifierEntry",
    "IdentityObject",
    "Image",
    "Model",
    "OpenBadgeCredential",
    "Profile",
    "Related",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "VerifiableCredential",
    "VerifiablePresentation",
    "format_datetime",
    "identity_hash",
    "parse_achievement_credential",
    "parse_clr_credential",
    "parse_endorsement_credential",
    "parse_model",
]
