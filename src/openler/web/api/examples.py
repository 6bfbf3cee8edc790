"""Example request bodies and JSON Schemas shown in the OpenAPI document at /docs."""

from __future__ import annotations

from typing import Any

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

UNSIGNED_CREDENTIAL: dict[str, Any] = {
    "@context": [VC_V2, OB_V3],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Data Analysis with Python",
    "credentialSubject": {
        "id": "did:example:learner-7f3a",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://school.example/achievements/data-analysis",
            "type": ["Achievement"],
            "name": "Data Analysis with Python",
            "criteria": {"narrative": "Pass the three graded projects."},
        },
    },
}

SIGNED_PLACEHOLDER: dict[str, Any] = {
    **UNSIGNED_CREDENTIAL,
    "id": "urn:uuid:7d1b6f7e-0c67-4d61-9f0e-3a6c0cf0c1a2",
    "issuer": "did:web:badges.example.org:orgs:0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "validFrom": "2026-11-23T09:00:00Z",
    "credentialStatus": [
        {
            "id": "https://badges.example.org/credentials/status/9a8b#4711",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "4711",
            "statusListCredential": "https://badges.example.org/credentials/status/9a8b",
        }
    ],
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-11-23T09:00:00Z",
        "verificationMethod": "did:web:badges.example.org:orgs:0f1e2d3c4b5a69788796a5b4c3d2e1f0"
        "#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z5C3...",
    },
}

_OBJECT = {"type": "object", "additionalProperties": True}


def request_body(schema: dict[str, Any], examples: dict[str, Any]) -> dict[str, Any]:
    """An ``openapi_extra`` fragment documenting a JSON request body."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": schema,
                    "examples": {name: {"value": value} for name, value in examples.items()},
                }
            },
        }
    }


ISSUE_BODY = request_body(
    {
        "type": "object",
        "title": "IssueCredentialRequest",
        "required": ["credential"],
        "properties": {"credential": _OBJECT, "options": _OBJECT},
    },
    {"open_badge": {"credential": UNSIGNED_CREDENTIAL, "options": {}}},
)

STATUS_BODY = request_body(
    {
        "type": "object",
        "title": "UpdateCredentialStatusRequest",
        "required": ["credentialId", "credentialStatus", "status"],
        "properties": {
            "credentialId": {"type": "string"},
            "credentialStatus": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "statusPurpose": {"type": "string", "enum": ["revocation", "suspension"]},
                },
            },
            "status": {"type": "boolean"},
        },
    },
    {
        "revoke": {
            "credentialId": "urn:uuid:7d1b6f7e-0c67-4d61-9f0e-3a6c0cf0c1a2",
            "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"},
            "status": True,
        }
    },
)

VERIFY_CREDENTIAL_BODY = request_body(
    {
        "type": "object",
        "title": "VerifyCredentialRequest",
        "required": ["verifiableCredential"],
        "properties": {
            "verifiableCredential": {"oneOf": [_OBJECT, {"type": "string"}]},
            "options": _OBJECT,
        },
    },
    {"credential": {"verifiableCredential": SIGNED_PLACEHOLDER, "options": {}}},
)

VERIFY_PRESENTATION_BODY = request_body(
    {
        "type": "object",
        "title": "VerifyPresentationRequest",
        "required": ["verifiablePresentation"],
        "properties": {
            "verifiablePresentation": {"oneOf": [_OBJECT, {"type": "string"}]},
            "options": {
                "type": "object",
                "properties": {"challenge": {"type": "string"}, "domain": {"type": "string"}},
            },
        },
    },
    {
        "presentation": {
            "verifiablePresentation": {
                "@context": [VC_V2],
                "type": ["VerifiablePresentation"],
                "holder": "did:example:learner-7f3a",
                "verifiableCredential": [SIGNED_PLACEHOLDER],
            },
            "options": {"challenge": "3b1f0c...", "domain": "employer.example"},
        }
    },
)

VERIFY_RESPONSE_EXAMPLE = {
    "verified": False,
    "checks": ["well_formed", "schema", "issuer_key", "validity_period"],
    "warnings": [],
    "errors": [
        {
            "check": "proof",
            "code": "proof.changed",
            "message": "Changed after it was issued",
            "detail": "The signature does not match: the document was changed after signing.",
        }
    ],
    "outcome": "not_verified",
    "results": [
        {
            "name": "proof",
            "status": "failed",
            "code": "proof.changed",
            "message": "Changed after it was issued",
            "detail": "...",
            "could_not_check": False,
        }
    ],
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "The request is not usable; `message` says why.",
        "content": {
            "application/json": {
                "example": {
                    "error": "invalid_request",
                    "message": "'credential' must be a JSON object.",
                }
            }
        },
    },
    413: {"description": "The request body is too large."},
}
