"""What the VC-API routes need per request: issuer config, the calling organization,
the JSON body (size-capped, parsed with plain error messages) and the verifier's
outbound fetcher. Settings are read through ``getattr`` with safe defaults:
``public_url`` (else the request's own base URL) and ``fetch_allow_private``."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from openler.issuer import tokens
from openler.issuer.errors import IssuerInputError, RequestTooLarge
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.resolution import RemoteResolvers
from openler.issuer.service import IssuerConfig
from openler.net import SafeHttpFetcher
from openler.web.deps import DbSession, Now

MAX_BODY_BYTES = 1_000_000
MAX_DEPTH = 64


def _shared(request: Request) -> dict[str, Any]:
    """Per-app objects built on first use (the vault key derivation, the HTTP fetcher)."""
    state = request.app.state
    shared = getattr(state, "vc_api", None)
    if shared is None:
        settings = state.settings
        allow_private = settings.fetch_allow_private
        fetcher = SafeHttpFetcher(allow_private=allow_private)
        public_url = settings.public_url
        shared = {
            "vault": KeyVault(settings.secret_key),
            "base": PublicBase.parse(public_url) if public_url else None,
            "fetcher": fetcher,
            "remote": RemoteResolvers(fetcher, allow_private=allow_private),
        }
        state.vc_api = shared
    return shared


def issuer_config(request: Request) -> IssuerConfig:
    """The public base URL (configured, else this request's) and the key vault."""
    shared = _shared(request)
    base = shared["base"] or PublicBase.parse(str(request.base_url))
    return IssuerConfig(base=base, vault=shared["vault"])


def remote_resolvers(request: Request) -> RemoteResolvers:
    """The shared did:web resolvers and SSRF-guarded fetcher for other hosts."""
    return _shared(request)["remote"]


def outbound_fetcher(request: Request) -> SafeHttpFetcher:
    """The app's one SSRF-guarded fetcher for other hosts (allowing private ones only in tests)."""
    fetcher: SafeHttpFetcher = _shared(request)["fetcher"]
    return fetcher


Config = Annotated[IssuerConfig, Depends(issuer_config)]
Remote = Annotated[RemoteResolvers, Depends(remote_resolvers)]


# Security schemes (OpenAPI 3.1 section 4.8.27): declared through FastAPI's Security so
# /openapi.json lists each route's bearer requirement by itself. auto_error=False: the
# token checks below answer a missing or bad token with our own 401 JSON, as before.
API_TOKEN = HTTPBearer(
    scheme_name="organizationApiToken", auto_error=False,
    description="An API token of the organization, created by one of its owners.")
ACCESS_TOKEN = HTTPBearer(
    scheme_name="oid4vciAccessToken", auto_error=False,
    description="The access token returned by POST /oid4vci/token.")
Bearer = HTTPAuthorizationCredentials | None


def api_caller(request: Request, db: DbSession, now: Now,
               _declared: Annotated[Bearer, Security(API_TOKEN)]) -> tokens.ApiCaller:
    """The organization behind the ``Authorization: Bearer`` token (401 otherwise)."""
    # The raw header, not the parsed credentials: a wrong scheme keeps its own message.
    return tokens.authenticate(db, authorization=request.headers.get("authorization"), now=now)


Caller = Annotated[tokens.ApiCaller, Depends(api_caller)]


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return True
            stack.extend(
                (c, depth + 1) for c in (item.values() if isinstance(item, dict) else item)
            )
    return False


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


async def json_body(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; IssuerInputError with a plain reason otherwise."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestTooLarge(MAX_BODY_BYTES)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestTooLarge(MAX_BODY_BYTES)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise IssuerInputError("The request body is empty; send a JSON object.")
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise IssuerInputError("The request body is not UTF-8 text.") from None
    except RecursionError:
        raise IssuerInputError(f"The JSON nests deeper than {MAX_DEPTH} levels.") from None
    except ValueError as exc:
        raise IssuerInputError(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(value, dict):
        raise IssuerInputError("The request body must be a JSON object.")
    if _too_deep(value):
        raise IssuerInputError(f"The JSON nests deeper than {MAX_DEPTH} levels.")
    return value


JsonBody = Annotated[dict[str, Any], Depends(json_body)]


def options_of(body: dict[str, Any], *, strings: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's ``options`` object (empty when absent), with string-typed fields checked."""
    options = body.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise IssuerInputError("'options' must be a JSON object.")
    for name in strings:
        if name in options and not isinstance(options[name], str):
            raise IssuerInputError(f"options.{name} must be a string.")
    return options


def language_of(request: Request) -> str:
    """The language chosen by the language middleware (for check messages)."""
    return request.scope.get("state", {}).get("language", "en")
