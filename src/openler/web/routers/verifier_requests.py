"""Presentation requests made by a verifying organization: the OpenID4VP authorization request
a wallet fetches, and the endpoint its answer is posted to.

Spec: OpenID for Verifiable Presentations 1.0, section 5 (the Request Object by
reference, RFC 9101 ``request_uri``; with the ``redirect_uri:`` Client Identifier
Prefix it is unsigned: an ``alg: none`` JWT of type ``oauth-authz-req+jwt``) and
8.2 (Response Mode ``direct_post``: a form-encoded ``vp_token`` and ``state``, or an
``error``; answered 200 with a JSON object, or the OAuth JSON error). Never cached.

Also the employer's own pages of one request (``pages``; the list of requests and the
re-check of an answer stay in ``verifier_inbox``): making it, with
the catalog's similar skill names accepted as further ``targetName`` values
(``openler.verifier.asking.alternative_names``), and showing it with every answer explained
against the asked skills by ``asking.answer_findings``: exact matches first, then skill
names alike in meaning above ``openler.skills.similarity.SEMANTIC_THRESHOLD`` (stated on
the page), each finding with the records behind it and how each matched; exact matching
only, said plainly, when the language model is not available. Owners and verifier staff
of the organization only: 404 outside it, 403 for other roles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from openler.issuer.delivery.qr import qr_svg
from openler.skills.similarity import ModelUnavailableError
from openler.skills_service import crosswalks
from openler.storage.tables import Organization
from openler.verifier import asking, inbox, matching, report, roles, trust
from openler.verifier import requests as verifier_requests
from openler.verifier import responses as verifier_responses
from openler.verifier.dcql import MAX_QUERIES
from openler.verifier.matching import Explanation, Requirement
from openler.wallet.models import Skill
from openler.web.api.deps import Config, language_of, outbound_fetcher
from openler.web.deps import CurrentUser as SignedIn
from openler.web.deps import DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.routers.verifier_trust_pages import member
from openler.web.security import CheckedForm
from openler.web.verifier_pages import form_errors, page

router = APIRouter()
pages = APIRouter(prefix="/orgs/{org_id}")
NO_STORE = {"Cache-Control": "no-store"}
MAX_FORM = 2_500_000
MAX_ASKED = MAX_QUERIES  # one DCQL credential query per skill
TYPE_LABELS = (("achievement", N_("An achievement or badge (Open Badges 3.0)")),
               ("clr", N_("A learner record with several achievements (CLR 2.0)")),
               ("any", N_("Any verifiable credential")))
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


def _crosswalked(db: Session, skills: list[Skill]) -> dict[str, list[str]]:
    """Per asked skill address, the addresses stored crosswalks call the same skill."""
    found = crosswalks.equivalents(db, [s.url for s in skills if s.url])
    return {s.url: [e.uri for e in found.get(crosswalks.key_of(s.url), ())]
            for s in skills if s.url}


# ---- the employer's pages of one request ------------------------------------------------

def _new_request_page(request: Request, db: DbSession, org: Organization, values: dict[str, Any],
                      errors: dict[str, str], status_code: int = 200) -> Response:
    catalog = roles.catalog_skills(db)
    return page(request, "requests_new.html", org, {
        "values": values, "errors": errors,
        "catalog": [(matching.skill_key(s), s) for s in catalog],
        "type_options": [(v, gettext(label)) for v, label in TYPE_LABELS]}, status_code)


# Before "/requests/{request_id}", so that "new" is never taken for a request id.
@pages.get("/requests/new")
def new_request_page(request: Request, org_id: str, db: DbSession, user: SignedIn,
                     now: Now) -> Response:
    """Ask for records showing skills, or of a credential type, for a job, until a day."""
    org = member(db, user, org_id)
    return _new_request_page(request, db, org, {
        "purpose": "", "skills": [], "free_text": "", "credential_type": "achievement",
        "until": (now + timedelta(days=6)).date().isoformat()}, {})


def _lifetime(until: str, now: datetime) -> timedelta | str:
    try:
        last = date.fromisoformat(until.strip())
    except ValueError:
        return "until_invalid"
    end = datetime.combine(last, time(23, 59, 59), tzinfo=UTC)
    if end <= now:
        return "until_invalid"
    if last > (now + verifier_requests.MAX_LIFETIME).date():
        return "until_too_far"
    return min(end - now, verifier_requests.MAX_LIFETIME)


@pages.post("/requests/new")
def create_request(request: Request, org_id: str, form: CheckedForm, db: DbSession,
                   user: SignedIn, now: Now) -> Response:
    """Build the DCQL query (similar catalog names accepted too), make the request and its
    role, and show its link."""
    org = member(db, user, org_id)
    keys = [k[len("skill-"):] for k, v in form.items() if k.startswith("skill-") and v == "yes"]
    purpose, free_text = form.get("purpose", ""), form.get("free_text", "")[:2000]
    kind, until = form.get("credential_type", "achievement"), form.get("until", "")
    if kind not in asking.CREDENTIAL_TYPES:
        kind = "achievement"
    values: dict[str, Any] = {"purpose": purpose, "skills": keys, "free_text": free_text,
                              "credential_type": kind, "until": until}
    skills = roles.pick(db, keys=keys, free_text=free_text)[:MAX_ASKED]
    errors: dict[str, str] = {}
    lifetime = _lifetime(until, now)
    if isinstance(lifetime, str):
        errors["until"] = lifetime
        lifetime = verifier_requests.DEFAULT_LIFETIME
    if not " ".join(purpose.split()):
        errors["purpose"] = "purpose_missing"
    if not errors:
        try:
            alternatives = asking.alternative_names(skills, roles.catalog_skills(db))
        except ModelUnavailableError:
            alternatives = {}
        try:
            made = verifier_requests.create_request(
                db, org_id=org.id, purpose=purpose, now=now, lifetime=lifetime,
                dcql_query=asking.skills_query(skills, kind, alternatives=alternatives,
                                               same_urls=_crosswalked(db, skills)))
        except verifier_requests.InvalidVerifierRequest as exc:
            errors.update(exc.errors)
    if errors:
        return _new_request_page(request, db, org, values, form_errors(errors),
                                          FORM_ERROR_STATUS)
    if skills:
        roles.create_role(db, org_id=org.id, name=made.purpose, required=skills, preferred=[],
                          now=now, request_id=made.id)
    request.session["flash"] = N_("Your request is ready. Send the link or show the QR code.")
    return RedirectResponse(f"/orgs/{org.id}/requests/{made.id}", status_code=303)


def _reports(answer: inbox.Answer, trusted: report.TrustLookup) -> list[Any]:
    """The latest report of each presentation in an answer, in the words of ``report``."""
    built = []
    presentations = answer.report.get("presentations", []) if answer.checkable else []
    tokens = [item for values in (answer.vp_token or {}).values()
              for item in (values if isinstance(values, list) else [values])]
    for n, item in enumerate(presentations):
        result = item.get("result") if isinstance(item, dict) else None
        if isinstance(result, dict):
            document = tokens[n] if n < len(tokens) else None
            built.append(report.build(report.result_from_dict(result), document=document,
                                      trust=trusted))
    return built


def explained_answers(requirements: Sequence[Requirement], answers: Sequence[inbox.Answer]
                      ) -> tuple[list[Explanation | None], dict[str, Any]]:
    """Each answer's explanation against the asked skills (None for one never checked), and
    what the page says about similar names: reads only skills and check outcomes."""
    checked = [n for n, a in enumerate(answers) if a.checkable]
    found = asking.answer_findings(requirements,
                                   [inbox.evidence_of(answers[n]) for n in checked])
    explained: list[Explanation | None] = [None] * len(answers)
    for n, explanation in zip(checked, found.explanations, strict=True):
        explained[n] = explanation
    return explained, {"on": found.semantic, "percent": found.percent}


@pages.get("/requests/{request_id}")
def request_page(request: Request, org_id: str, request_id: str, db: DbSession,
                 user: SignedIn, now: Now, config: Config) -> Response:
    """The link and QR code while open, the expiry, and the answers with their checks, each
    explained against the asked skills (similar names above the stated threshold)."""
    org = member(db, user, org_id)
    try:
        made = verifier_requests.get_request(db, request_id=request_id, org_id=org.id)
    except verifier_requests.RequestUnavailable:
        raise HTTPException(404) from None
    link = verifier_requests.wallet_link(str(config.base.url), made.id)
    state = made.status(now)
    role = roles.role_for_request(db, org_id=org.id, request_id=made.id)
    answers = inbox.answers_of(db, org_id=org.id, request_id=made.id)
    language = language_of(request)
    trusted = trust.lookup_for(db, org_id=org.id)
    explained, semantic = explained_answers(role.requirements, answers) if role \
        else ([None] * len(answers), {})
    return page(request, "requests_show.html", org, {
        "made": made, "state": state, "link": link, "role": role, "semantic": semantic,
        "also": asking.accepted_names(made.dcql_query),
        "wallet_path": "/wallet/requests/new?" + urlsplit(link).query,
        "qr": qr_svg(link, title=gettext("QR code of the request link"))
        if state == "open" else "",
        "answers": [{"answer": a, "reports": _reports(a, trusted), "explanation": e,
                     "language": language} for a, e in zip(answers, explained, strict=True)]})
