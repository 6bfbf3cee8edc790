"""Presentation requests made by a verifying organization: the OpenID4VP authorization request
a wallet fetches, and the endpoint its answer is posted to.

Spec: OpenID for Verifiable Presentations 1.0, section 5 (the Request Object by
reference, RFC 9101 ``request_uri``; with the ``redirect_uri:`` Client Identifier
Prefix it is unsigned: an ``alg: none`` JWT of type ``oauth-authz-req+jwt``) and
8.2 (Response Mode ``direct_post``: a form-encoded ``vp_token`` and ``state``, or an
``error``; answered 200 with a JSON object, or the OAuth JSON error). Never cached.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from openler.verifier import requests as verifier_requests
from openler.verifier import responses as verifier_responses
from openler.web.api.deps import Config, outbound_fetcher
from openler.web.deps import DbSession, Now

router = APIRouter()
NO_STORE = {"Cache-Control": "no-store"}
MAX_FORM = 2_500_000
UNAVAILABLE = {"unknown": (404, "There is no such presentation request."),
               "answered": (410, "This presentation request was already answered."),
               "expired": (410, "This presentation request has expired.")}


FORM_BODY = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {
        "type": "object",
        "properties": {"vp_token": {"type": "string"}, "state": {"type": "string"},
                       "error": {"type": "string"}, "error_description": {"type": "string"}},
        "required": ["state"]},
        "examples": {"presentation": {"value": {
            "vp_token": '{"course": [{"@context": ["https://www.w3.org/ns/credentials/v2"], '
                        '"type": ["VerifiablePresentation"], "...": "..."}]}',
            "state": "eyJhb...6-sVA"}},
            "refusal": {"value": {"error": "access_denied", "state": "eyJhb...6-sVA"}}}}}}}


def _error(status: int, error: str, description: str) -> Response:
    return JSONResponse({"error": error, "error_description": description},
                        status_code=status, headers=NO_STORE)


@router.get(
    "/verifier/requests/{request_id}/request", summary="Get a presentation request object",
    description="The OpenID4VP 1.0 Request Object behind a `request_uri` given to a wallet "
                "as an `openid4vp://` link or QR code: who asks (`client_id` with the "
                "`redirect_uri:` prefix, `client_metadata`), what for (`purpose`), what "
                "(`dcql_query`), and where to answer (`response_uri`, Response Mode "
                "`direct_post`), with a fresh `nonce` and `state`. Served as an unsigned "
                "JWT (`alg: none`, `typ: oauth-authz-req+jwt`), since requests with the "
                "`redirect_uri:` prefix cannot be signed. 404 when unknown, 410 when already "
                "answered or expired.",
    response_class=Response,
    responses={200: {"content": {"application/oauth-authz-req+jwt": {}}}})
def request_object(request_id: str, db: DbSession, config: Config, now: Now) -> Response:
    """The Request Object for a request_uri."""
    try:
        payload = verifier_requests.request_object(db, request_id=request_id,
                                                   base_url=config.base.url, now=now)
    except verifier_requests.RequestUnavailable as exc:
        status, description = UNAVAILABLE.get(exc.reason, UNAVAILABLE["unknown"])
        return _error(status, "invalid_request", description)
    return Response(verifier_requests.unsecured_jwt(payload),
                    media_type="application/oauth-authz-req+jwt", headers=NO_STORE)


@router.post(
    "/verifier/requests/{request_id}/response", summary="Answer a presentation request",
    description="The Response URI (OpenID4VP 1.0 section 8.2, Response Mode `direct_post`). "
                "The wallet posts, form-encoded, `vp_token` (a JSON object keyed by the "
                "credential query ids of the DCQL query, each an array of presentations) and "
                "`state`; or `error` (for example `access_denied`) and `state`. Every "
                "presentation must be bound to the request: its proof's `challenge` (or the "
                "KB-JWT's `nonce`) is the request's nonce and its `domain` (or `aud`) the "
                "`client_id`. A request is answered once: a second answer, a wrong `state`, a "
                "wrong nonce or an expired request gets a 400 `invalid_request` error.",
    openapi_extra=FORM_BODY)
async def response_endpoint(request: Request, request_id: str, db: DbSession, config: Config,
                            now: Now) -> Response:
    """Response URI: check and keep the wallet's answer."""
    if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        return _error(400, "invalid_request",
                      "Send the response as application/x-www-form-urlencoded.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM:
        return _error(413, "invalid_request", "The response is too large.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM:
            return _error(413, "invalid_request", "The response is too large.")
        chunks.append(chunk)
    try:
        pairs = parse_qsl(b"".join(chunks).decode("utf-8"), keep_blank_values=True,
                          strict_parsing=False, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return _error(400, "invalid_request", "The form could not be read.")
    fields = dict(pairs)
    if len(fields) != len(pairs):  # RFC 6749 section 3.1: no parameter more than once
        return _error(400, "invalid_request", "A parameter appears more than once.")
    settings = request.app.state.settings
    try:
        # Checking proofs and status lists blocks (crypto, database, other hosts): off the loop.
        body = await run_in_threadpool(
            verifier_responses.receive_response,
            db, request_id=request_id, form=fields, base_url=config.base.url,
            issuer=config, now=now, fetcher=outbound_fetcher(request),
            allow_private=bool(settings.fetch_allow_private))
    except verifier_responses.ResponseRefused as exc:
        return _error(exc.status, exc.error, exc.description)
    return JSONResponse(body, headers=NO_STORE)
