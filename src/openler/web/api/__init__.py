"""W3C CCG VC-API endpoints and the issuer's public identity documents.

Routers: ``issue`` (POST /credentials/issue, POST /credentials/status),
``verify`` (POST /credentials/verify, POST /presentations/verify) and
``identity`` (GET /orgs/{org_id}/did.json, GET /credentials/status/{list_id}).
"""

from fastapi import APIRouter

from openler.web.api import identity, issue, verify

router = APIRouter()
for _sub in (issue.router, verify.router, identity.router):
    router.include_router(_sub)

__all__ = ["router"]
