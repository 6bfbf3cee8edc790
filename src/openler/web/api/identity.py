"""The issuer's public documents: organization did:web documents and status lists.

Spec: did:web Method Specification, section 3.2.1 (the document at
``/orgs/<id>/did.json`` for ``did:web:<host>:orgs:<id>``); Bitstring Status
List v1.0, section 2.2 (the signed BitstringStatusListCredential; its ``ttl``
matches the HTTP ``Cache-Control: max-age``).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from openler.issuer import service
from openler.web.api.deps import Config
from openler.web.deps import DbSession, Now

router = APIRouter(tags=["Issuer identity"])


@router.get(
    "/orgs/{org_id}/did.json",
    summary="An organization's did:web document",
    responses={404: {"description": "No such organization, or it has no key yet."}},
)
def org_did_document(org_id: str, db: DbSession, config: Config) -> JSONResponse:
    """Every key the organization has signed with, listed for assertionMethod."""
    document = service.did_document(db, config=config, org_id=org_id)
    return JSONResponse(
        document,
        media_type="application/did+json",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get(
    "/credentials/status/{list_id}",
    summary="A signed Bitstring Status List",
    responses={404: {"description": "No such status list."}},
)
async def status_list(list_id: str, db: DbSession, config: Config, now: Now) -> JSONResponse:
    """The BitstringStatusListCredential, signed by the organization's key."""
    document = await run_in_threadpool(
        lambda: service.status_list_document(db, config=config, list_id=list_id, now=now)
    )
    # Signed per request: every change shows at once, so shared caches must revalidate.
    return JSONResponse(document, headers={"Cache-Control": "no-cache"})
