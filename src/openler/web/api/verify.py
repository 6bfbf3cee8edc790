"""VC-API verifier endpoints: POST /credentials/verify and POST /presentations/verify.

Spec: W3C CCG VC-API, "Verify Credential" and "Verify Presentation": a bad
credential is still a 200 answer whose body lists what failed; 400 only for a
request that cannot be processed at all. The body carries the VC-API fields
(``verified``, ``checks``, ``warnings``, ``errors``, ``problemDetails``) and
our detailed, ordered per-check ``results`` with codes and plain messages.
A genuine credential issued by one of this instance's organizations counts as
"verified" on its issuer's dashboard (`trail.verified`); nothing about the caller
is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from openler.core.errors import DocumentLoaderError, VerificationInputError
from openler.core.jsonld import default_loader
from openler.core.verify import (
    VerificationContext,
    VerificationResult,
    verify_credential,
    verify_presentation,
)
from openler.issuer.errors import IssuerInputError
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher
from openler.issuer.service import IssuerConfig
from openler.web.api import examples, trail
from openler.web.api.deps import Config, JsonBody, Remote, language_of, options_of
from openler.web.deps import DbSession, Now

router = APIRouter(tags=["VC-API: verifier"])
_PROBLEM_BASE = "https://openler.org/problems/"


def _context(
    db: Session,
    *,
    config: IssuerConfig,
    remote: RemoteResolvers,
    now: datetime,
    language: str,
    challenge: str | None = None,
    domain: str | None = None,
) -> VerificationContext:
    return VerificationContext(
        resolver=InstanceDidResolver(db, config=config, remote=remote),
        loader=default_loader(),
        fetch_status_list=status_list_fetcher(db, config=config, fetcher=remote.fetcher, now=now),
        now=now,
        challenge=challenge,
        domain=domain,
        language=language,
    )


def _known_contexts(document: Any, where: str) -> None:
    """400 for a context URL the strict offline loader does not have (never fetched)."""
    if not isinstance(document, dict):
        return
    contexts = document.get("@context")
    for item in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(item, str):
            try:
                default_loader().get(item)
            except DocumentLoaderError:
                raise IssuerInputError(
                    f"The {where} uses the context {item}, which this service does not know.",
                    code="unknown_context",
                ) from None


def vc_api_body(result: VerificationResult) -> dict[str, Any]:
    """VC-API's verification result, plus our detailed checks."""
    errors = [
        {"check": c.name, "code": c.code, "message": c.message, "detail": c.detail}
        for c in result.checks
        if c.status == "failed"
    ]
    warnings = [
        {"check": c.name, "code": c.code, "message": c.message, "detail": c.detail}
        for c in result.checks
        if c.status == "skipped" and c.could_not_check
    ]
    problems = [
        {"type": _PROBLEM_BASE + p["code"], "title": p["message"], "detail": p["detail"]}
        for p in errors + warnings
    ]
    body: dict[str, Any] = {
        "verified": result.verified,
        "checks": [c.name for c in result.checks if c.status == "passed"],
        "warnings": warnings,
        "errors": errors,
        "problemDetails": problems,
        "outcome": result.outcome,
        "results": [c.to_dict() for c in result.checks],
    }
    if result.kind == "presentation":
        body["credentialResults"] = [vc_api_body(member) for member in result.credentials]
    return body


async def _run(fn: Callable[[], VerificationResult],
               count: Callable[[VerificationResult], object] | None = None) -> JSONResponse:
    def work() -> VerificationResult:
        done = fn()
        if count is not None:
            count(done)
        return done

    try:
        result = await run_in_threadpool(work)
    except VerificationInputError as exc:
        raise IssuerInputError(f"The input cannot be verified: {exc}.") from None
    return JSONResponse(vc_api_body(result))


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Verification ran; `verified` and the checks say how it went.",
        "content": {"application/json": {"example": examples.VERIFY_RESPONSE_EXAMPLE}},
    },
    **examples.ERROR_RESPONSES,
}


@router.post(
    "/credentials/verify",
    openapi_extra=examples.VERIFY_CREDENTIAL_BODY,
    responses=_RESPONSES,
    summary="Verify a credential",
)
async def verify_credential_endpoint(
    request: Request, body: JsonBody, db: DbSession, config: Config, remote: Remote, now: Now
) -> JSONResponse:
    """Check proof, issuer key, status, validity period and schema of one credential."""
    if "verifiableCredential" not in body:
        raise IssuerInputError("The request needs a 'verifiableCredential'.")
    credential = body["verifiableCredential"]
    if not isinstance(credential, dict | str):
        raise IssuerInputError("'verifiableCredential' must be a JSON object (or an SD-JWT).")
    options_of(body)
    _known_contexts(credential, "credential")
    ctx = _context(db, config=config, remote=remote, now=now, language=language_of(request))
    return await _run(lambda: verify_credential(credential, ctx=ctx),
                      lambda result: trail.verified(db, base=config.base, documents=[credential],
                                                    results=[result], now=now))


@router.post(
    "/presentations/verify",
    openapi_extra=examples.VERIFY_PRESENTATION_BODY,
    responses=_RESPONSES,
    summary="Verify a presentation and its credentials",
)
async def verify_presentation_endpoint(
    request: Request, body: JsonBody, db: DbSession, config: Config, remote: Remote, now: Now
) -> JSONResponse:
    """Check the holder's proof (with the challenge and domain sent) and every credential."""
    if "verifiablePresentation" not in body:
        raise IssuerInputError("The request needs a 'verifiablePresentation'.")
    presentation = body["verifiablePresentation"]
    if not isinstance(presentation, dict | str):
        raise IssuerInputError("'verifiablePresentation' must be a JSON object.")
    options = options_of(body, strings=("challenge", "domain"))
    _known_contexts(presentation, "presentation")
    if isinstance(presentation, dict):
        members = presentation.get("verifiableCredential")
        for member in members if isinstance(members, list) else [members]:
            _known_contexts(member, "credential in the presentation")
    ctx = _context(
        db,
        config=config,
        remote=remote,
        now=now,
        language=language_of(request),
        challenge=options.get("challenge"),
        domain=options.get("domain"),
    )
    return await _run(lambda: verify_presentation(presentation, ctx=ctx),
                      lambda result: trail.verified(
                          db, base=config.base, documents=trail.presentation_members(presentation),
                          results=result.credentials, now=now))
