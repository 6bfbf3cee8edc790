"""VC-API issuer endpoints: POST /credentials/issue and POST /credentials/status.

Spec: W3C CCG VC-API, "Issue Credential" (IssueCredentialRequest {credential,
options} -> 201 {verifiableCredential}; 400 when the issuer does not match the
configuration) and "Update Status" (UpdateCredentialStatusRequest). Both are
authenticated with an organization API token (``Authorization: Bearer``) and
leave an audit entry naming that token (`trail`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from openler.issuer import service
from openler.issuer.errors import IssuerInputError
from openler.web.api import examples, trail
from openler.web.api.deps import Caller, Config, JsonBody, options_of
from openler.web.deps import DbSession, Now

router = APIRouter(tags=["VC-API: issuer"])


@router.post(
    "/credentials/issue",
    status_code=201,
    openapi_extra=examples.ISSUE_BODY,
    responses={
        201: {
            "description": "The signed credential.",
            "content": {
                "application/json": {
                    "example": {"verifiableCredential": examples.SIGNED_PLACEHOLDER}
                }
            },
        },
        401: {"description": "No valid organization API token."},
        **examples.ERROR_RESPONSES,
    },
    summary="Issue a credential signed by the calling organization",
)
async def issue_credential(
    caller: Caller, body: JsonBody, db: DbSession, config: Config, now: Now
) -> JSONResponse:
    """Sign the credential with the organization's key, adding revocation and suspension
    status entries; the issuer is set to (or must be) the organization's did:web."""
    if "credential" not in body:
        raise IssuerInputError("The request needs a 'credential' object.")
    options_of(body)

    def issue() -> dict[str, Any]:
        signed, _record = service.issue_credential(
            db, config=config, org_id=caller.organization_id, credential=body["credential"], now=now
        )
        trail.record_api_action(db, caller=caller, action="award_issued",
                                target_type="credential", target_id=str(signed["id"]),
                                target_label=trail.credential_label(signed), now=now)
        return signed

    signed = await run_in_threadpool(issue)
    return JSONResponse({"verifiableCredential": signed}, status_code=201)


def _status_request(body: dict[str, Any]) -> tuple[str, str, bool]:
    credential_id, status = body.get("credentialId"), body.get("status")
    entry = body.get("credentialStatus")
    if not isinstance(credential_id, str) or not credential_id:
        raise IssuerInputError("'credentialId' must be a non-empty string.")
    if not isinstance(entry, dict) or not isinstance(entry.get("statusPurpose"), str):
        raise IssuerInputError("'credentialStatus' must be an object with a statusPurpose.")
    if not isinstance(status, bool):
        raise IssuerInputError("'status' must be true or false.")
    return credential_id, entry["statusPurpose"], status


@router.post(
    "/credentials/status",
    openapi_extra=examples.STATUS_BODY,
    responses={
        200: {"description": "The status was changed."},
        401: {"description": "No valid organization API token."},
        404: {"description": "No such credential for this organization."},
        **examples.ERROR_RESPONSES,
    },
    summary="Revoke, suspend or lift a suspension",
)
def update_status(caller: Caller, body: JsonBody, db: DbSession, now: Now) -> JSONResponse:
    """Set or clear the credential's revocation or suspension bit in its status list."""
    credential_id, purpose, value = _status_request(body)
    record = service.set_status(
        db,
        org_id=caller.organization_id,
        credential_id=credential_id,
        purpose=purpose,
        value=value,
        now=now,
    )
    trail.status_changed(db, caller=caller, credential_id=record.credential_id, purpose=purpose,
                         value=value, now=now)
    return JSONResponse(
        {"credentialId": record.credential_id, "statusPurpose": purpose, "status": value}
    )
