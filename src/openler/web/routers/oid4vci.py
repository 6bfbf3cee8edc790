"""OpenID4VCI 1.0 endpoints: metadata, offers by reference, token, nonce, credential.

Spec: OpenID4VCI 1.0 sections 4.1.3 (credential_offer_uri), 6 (Token Endpoint),
7 (Nonce Endpoint), 8 (Credential Endpoint), 12.2.2 (metadata at
``/.well-known/openid-credential-issuer``); RFC 8414 section 3
(``/.well-known/oauth-authorization-server``). Every error is the spec's JSON
error object, never a page; responses carrying secrets are ``no-store``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from openler.issuer.delivery import oid4vci
from openler.issuer.delivery.errors import OfferUnavailable, Oid4vciError
from openler.web.api.deps import Config
from openler.web.deps import DbSession, Now

router = APIRouter()
NO_STORE = {"Cache-Control": "no-store"}
MAX_BODY = 64_000


def _error(exc: Oid4vciError) -> Response:
    body: dict[str, Any] = {"error": exc.code, "error_description": exc.description}
    headers = dict(NO_STORE)
    if exc.c_nonce:
        body["c_nonce"] = exc.c_nonce
    if exc.status == 401:
        headers["WWW-Authenticate"] = (f'Bearer error="{exc.code}", '
                                       f'error_description="{exc.description}"')
    return JSONResponse(body, status_code=exc.status, headers=headers)


@router.get("/.well-known/openid-credential-issuer")
def issuer_metadata(config: Config) -> Response:
    """Credential Issuer Metadata."""
    return JSONResponse(oid4vci.issuer_metadata(config.base.url))


@router.get("/.well-known/oauth-authorization-server")
def authorization_server_metadata(config: Config) -> Response:
    """OAuth 2.0 Authorization Server Metadata for the token endpoint."""
    return JSONResponse(oid4vci.authorization_server_metadata(config.base.url))


@router.get("/oid4vci/offers/{ref}")
def offer_by_reference(ref: str, db: DbSession, config: Config, now: Now) -> Response:
    """The Credential Offer behind a credential_offer_uri."""
    try:
        doc = oid4vci.offer_by_reference(db, ref=ref, issuer=config.base.url, now=now)
    except OfferUnavailable:
        return JSONResponse({"error": "not_found",
                             "error_description": "This offer is unknown, used or expired."},
                            status_code=404, headers=NO_STORE)
    return JSONResponse(doc, headers=NO_STORE)


@router.post("/oid4vci/token")
async def token(request: Request, db: DbSession, now: Now) -> Response:
    """Token Endpoint (form-encoded, pre-authorized code grant)."""
    if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        return _error(Oid4vciError("invalid_request",
                                   "Send the request as application/x-www-form-urlencoded."))
    try:
        form = await request.form()
    except Exception:  # malformed body
        return _error(Oid4vciError("invalid_request", "The form could not be read."))
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        return JSONResponse(oid4vci.redeem(db, form=fields, now=now), headers=NO_STORE)
    except Oid4vciError as exc:
        return _error(exc)


@router.post("/oid4vci/nonce")
def nonce(db: DbSession, now: Now) -> Response:
    """Nonce Endpoint: a fresh c_nonce."""
    return JSONResponse({"c_nonce": oid4vci.new_nonce(db, now=now)}, headers=NO_STORE)


@router.post("/oid4vci/credential")
async def credential(request: Request, db: DbSession, config: Config, now: Now) -> Response:
    """Credential Endpoint: one holder-bound credential for a valid token and key proof."""
    raw = await request.body()
    try:
        if len(raw) > MAX_BODY:
            raise Oid4vciError("invalid_credential_request", "The request is too large.")
        try:
            body = json.loads(raw or b"null")
        except (ValueError, RecursionError):
            body = None
        return JSONResponse(oid4vci.issue(db, config=config, issuer=config.base.url,
                                          authorization=request.headers.get("authorization"),
                                          body=body, now=now), headers=NO_STORE)
    except Oid4vciError as exc:
        return _error(exc)
