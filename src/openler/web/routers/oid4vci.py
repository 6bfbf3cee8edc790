"""OpenID4VCI 1.0 endpoints: metadata, offers by reference, token, nonce, credential.

Spec: OpenID4VCI 1.0 sections 4.1.3 (credential_offer_uri), 6 (Token Endpoint),
7 (Nonce Endpoint), 8 (Credential Endpoint), 12.2.2 (metadata at
``/.well-known/openid-credential-issuer``); RFC 8414 section 3
(``/.well-known/oauth-authorization-server``). Every error is the spec's JSON
error object, never a page; responses carrying secrets are ``no-store``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request, Security
from starlette.responses import JSONResponse, Response

from openler.issuer.delivery import oid4vci
from openler.issuer.delivery.errors import OfferUnavailable, Oid4vciError
from openler.web.api.deps import ACCESS_TOKEN, Bearer, Config
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


@router.get(
    "/.well-known/openid-credential-issuer", summary="Credential issuer metadata",
    description="What this credential issuer offers and where its endpoints are: the "
                "credential issuer identifier, the token, nonce and credential endpoints, and "
                "the credential configuration a wallet can ask for (OpenID4VCI 1.0 section "
                "12.2). A wallet reads it before redeeming an offer.")
def issuer_metadata(config: Config) -> Response:
    """Credential Issuer Metadata."""
    return JSONResponse(oid4vci.issuer_metadata(config.base.url))


@router.get(
    "/.well-known/oauth-authorization-server", summary="Authorization server metadata",
    description="The OAuth 2.0 authorization server metadata (RFC 8414) for the token "
                "endpoint: its address and the pre-authorized code grant it supports. This "
                "instance is its own authorization server.")
def authorization_server_metadata(config: Config) -> Response:
    """OAuth 2.0 Authorization Server Metadata for the token endpoint."""
    return JSONResponse(oid4vci.authorization_server_metadata(config.base.url))


@router.get(
    "/oid4vci/offers/{ref}", summary="Get a credential offer by reference",
    description="The credential offer behind a `credential_offer_uri` given to a wallet as a "
                "link or QR code (OpenID4VCI 1.0 section 4.1.3): the issuer, the credential "
                "configuration and the pre-authorized code grant. Answers 404 when the offer "
                "is unknown, already used or expired. Never cached.")
def offer_by_reference(ref: str, db: DbSession, config: Config, now: Now) -> Response:
    """The Credential Offer behind a credential_offer_uri."""
    try:
        doc = oid4vci.offer_by_reference(db, ref=ref, issuer=config.base.url, now=now)
    except OfferUnavailable:
        return JSONResponse({"error": "not_found",
                             "error_description": "This offer is unknown, used or expired."},
                            status_code=404, headers=NO_STORE)
    return JSONResponse(doc, headers=NO_STORE)


@router.post(
    "/oid4vci/token", summary="Redeem a pre-authorized code for an access token",
    description="The wallet sends the pre-authorized code from the offer and the transaction "
                "code the learner was given, form-encoded (OpenID4VCI 1.0 section 6). The "
                "answer is a short-lived bearer access token for the credential endpoint. A "
                "code can be redeemed once; errors are OAuth 2.0 JSON error objects.")
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


@router.post(
    "/oid4vci/nonce", summary="Get a fresh nonce for a key proof",
    description="A new `c_nonce` (OpenID4VCI 1.0 section 7). The wallet signs it into the "
                "proof of possession of its key that it sends to the credential endpoint; each "
                "nonce is accepted once and only for a short time.")
def nonce(db: DbSession, now: Now) -> Response:
    """Nonce Endpoint: a fresh c_nonce."""
    return JSONResponse({"c_nonce": oid4vci.new_nonce(db, now=now)}, headers=NO_STORE)


@router.post(
    "/oid4vci/credential", summary="Receive the offered credential",
    description="With the access token from the token endpoint and a JWT proof of possession "
                "of the wallet's key over a fresh nonce (OpenID4VCI 1.0 section 8), the "
                "answer is the signed credential with the learner's key bound into "
                "`credentialSubject.id`. A missing or bad token answers 401.")
async def credential(request: Request, db: DbSession, config: Config, now: Now,
                     _declared: Annotated[Bearer, Security(ACCESS_TOKEN)]) -> Response:
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
