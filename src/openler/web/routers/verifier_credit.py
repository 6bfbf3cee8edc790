"""Credit for prior learning pages of an admissions office (schools and employers).

``/orgs/{org_id}/credit`` lists, adds and removes the rules that map external
achievements to the organization's own courses (``openler.verifier.credit``);
``/orgs/{org_id}/credit/check`` takes a pasted or uploaded CLR, credential or
presentation, or an answer or share from the inbox, verifies it (each credential a
CLR bundles on its own proof) and shows which courses it could count for, by which
records and rules, with each record's check next to it, and the records no rule
recognised. Advice for a person to decide, never a decision. Owners and verifier staff
only: 404 outside the organization, 403 for other roles and for issuer-only
organizations. Every bad input gets a specific message and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts.errors import NotAllowed
from openler.accounts.models import OrganizationKind
from openler.core.errors import CoreError, VerificationInputError
from openler.core.verify import VerificationResult, verify_any
from openler.core.verify.checks import as_list
from openler.core.verify.credential import verify_credential
from openler.storage.tables import Organization
from openler.verifier import credit, credit_records, inbox, matching, roles, trust
from openler.verifier import report as reports
from openler.verifier.inputs import verify_with_document
from openler.wallet import org_shares, verification
from openler.wallet.errors import WalletNotFound
from openler.web.api.deps import Config, language_of, outbound_fetcher
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.routers.verifier_trust_pages import MAX_UPLOAD, member, page, read_form
from openler.web.routers.wallet import WalletSettings
from openler.web.routers.wallet_shares import org_sealer
from openler.web.security import CheckedForm, checked_form

router = APIRouter(prefix="/orgs/{org_id}")
ECHO_LIMIT = 100_000
KINDS_ALLOWED = (OrganizationKind.SCHOOL, OrganizationKind.EMPLOYER)
MAPPING_PROBLEMS = {
    ("course_id", "required"): N_("Choose the course it counts for."),
    ("course_id", "unknown_course"): N_("Choose one of your organization's current courses."),
    ("course_id", "too_many"): N_("Your organization has 500 rules already. Remove some "
                                  "before adding more."),
    ("kind", "bad_kind"): N_("Choose how the achievement is recognised: by issuer and "
                             "achievement, or by skills."),
    ("issuer_did", "required"): N_("Enter the issuer's DID, such as did:web:college.example."),
    ("issuer_did", "bad_did"): N_("The issuer must be a DID such as did:web:college.example "
                                  "or did:key:z6Mk…"),
    ("achievement_id", "required"): N_("Enter the achievement's id, as it appears in the "
                                       "credential (achievement “id”)."),
    ("achievement_id", "bad_id"): N_("The achievement id must be an address or URN without "
                                     "spaces, such as https://college.example/courses/eng-1."),
    ("achievement_id", "already_mapped"): N_("This achievement already counts for this "
                                             "course."),
    ("skills", "no_skills"): N_("Pick at least one skill, or write one."),
    ("skills", "already_mapped"): N_("A rule with these skills already exists for this "
                                     "course."),
    ("note", "required"): N_("Write a note for the person who decides, for example “counts "
                             "as ENG-101, 3 credits”."),
    ("note", "too_long"): N_("The note can be at most 500 characters."),
    ("result_name", "result_name_missing"): N_("Name the result the minimum applies to, for "
                                               "example “Final grade”."),
    ("result_name", "too_long"): N_("The result name can be at most 200 characters."),
    ("min_result", "not_a_number"): N_("The minimum must be a number, such as 70 or 3.5."),
    ("min_result", "min_missing"): N_("Give the minimum value for this result, or leave "
                                      "both empty."),
}
CHECK_PROBLEMS = {
    "empty": N_("Paste the text or choose a file."),
    "too_big": N_("This is larger than 2 MB. A learner record is much smaller: check that "
                  "you chose the right file."),
    "not_text": N_("We cannot read this file. Choose a JSON, JWT or SD-JWT file."),
    "not_readable": N_("This is not a credential or presentation: it is not JSON, a JWT or "
                       "an SD-JWT. If you pasted it, check that you copied all of it."),
    "cannot_verify": N_("This could not be checked at all. Ask for the file in another "
                        "format."),
    "pick_missing": N_("Choose an answer or a share from your inbox."),
    "pick_gone": N_("This is no longer in your inbox: the share was stopped or expired, or "
                    "the answer holds nothing to check."),
}


def _office(db: DbSession, user: Any, org_id: str) -> Organization:
    org = member(db, user, org_id)
    if org.kind not in KINDS_ALLOWED:
        raise NotAllowed("credit")
    return org


# ---- rules --------------------------------------------------------------------------------

def _mapping_messages(codes: dict[str, str]) -> dict[str, str]:
    return {field: gettext(MAPPING_PROBLEMS.get((field, code), MAPPING_PROBLEMS[
        ("course_id", "unknown_course")])) for field, code in codes.items()}


def _rules_page(request: Request, db: DbSession, org: Organization, *,
                values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                status_code: int = 200) -> Response:
    catalog = roles.catalog_skills(db)
    values = values or {"kind": "achievement", "skills": []}
    courses = credit.courses(db, org_id=org.id)
    return page(request, "verifier/credit.html", {
        "org": org, "rules": credit.mappings(db, org_id=org.id), "courses": courses,
        "course_options": [(c.id, f"{c.name} ({c.code})" if c.code else c.name)
                           for c in courses], "values": values,
        "errors": errors or {}, "catalog": [(matching.skill_key(s), s) for s in catalog]},
        status_code)


@router.get("/credit")
def credit_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The rules that let external achievements count for the organization's courses."""
    return _rules_page(request, db, _office(db, user, org_id))


@router.post("/credit/mappings")
def add_mapping(request: Request, org_id: str, form: CheckedForm, db: DbSession,
                user: CurrentUser, now: Now) -> Response:
    """Add a rule; a bad field is named in the error summary and nothing is saved."""
    org = _office(db, user, org_id)
    values: dict[str, Any] = {k: form.get(k, "")[:4000] for k in (
        "course_id", "kind", "issuer_did", "achievement_id", "note", "result_name",
        "min_result", "skills_text")}
    values["skills"] = [k[len("skills-"):] for k, v in form.items()
                        if k.startswith("skills-") and v == "yes"]
    values["verified_only"] = form.get("verified_only") == "yes"
    picked = roles.pick(db, keys=values["skills"], free_text=values["skills_text"]) \
        if values["kind"] == "skills" else []
    try:
        credit.add_mapping(
            db, org_id=org.id, user_id=user.id, course_id=values["course_id"],
            kind=values["kind"], issuer_did=values["issuer_did"],
            achievement_id=values["achievement_id"], skills=picked, note=values["note"],
            result_name=values["result_name"], min_result=values["min_result"],
            verified_only=values["verified_only"], now=now)
    except credit.CreditInputError as exc:
        return _rules_page(request, db, org, values=values,
                           errors=_mapping_messages(exc.errors), status_code=FORM_ERROR_STATUS)
    request.session["flash"] = N_("The rule is saved.")
    return RedirectResponse(f"/orgs/{org.id}/credit", status_code=303)


@router.post("/credit/mappings/{mapping_id}/remove")
def remove_mapping(request: Request, org_id: str, mapping_id: str, form: CheckedForm,
                   db: DbSession, user: CurrentUser) -> Response:
    """Remove a rule (404 for another organization's)."""
    org = _office(db, user, org_id)
    try:
        credit.remove_mapping(db, org_id=org.id, mapping_id=mapping_id)
    except credit.MappingNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = N_("The rule is removed.")
    return RedirectResponse(f"/orgs/{org.id}/credit", status_code=303)


# ---- check --------------------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def _check_page(request: Request, db: DbSession, org: Organization, now: Any, *,
                values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    values = values or {}
    if len(values.get("text", "")) > ECHO_LIMIT:
        values = {**values, "text": ""}
    answers = [a for a in inbox.answers_of(db, org_id=org.id) if a.checkable]
    return page(request, "verifier/credit_check.html", {
        "org": org, "values": values, "errors": errors or {}, "answers": answers,
        "shares": org_shares.inbox(db, org_id=org.id, now=now),
        "rule_count": len(credit.mappings(db, org_id=org.id)),
        "language": language_of(request), "result": None, **(context or {})}, status_code)


@router.get("/credit/check")
def check_page(request: Request, org_id: str, db: DbSession, user: CurrentUser,
               now: Now) -> Response:
    """Paste, upload or pick a learner record to see which courses it could count for."""
    return _check_page(request, db, _office(db, user, org_id), now)


def _context(db: DbSession, request: Request, config: Any, now: Any) -> Any:
    settings = request.app.state.settings
    return verification.context(db, config=config, now=now, language=language_of(request),
                                fetcher=outbound_fetcher(request),
                                allow_private=bool(settings.fetch_allow_private))


def _verify(ctx: Any, value: Any) -> tuple[VerificationResult, Any]:
    return verify_with_document(value, ctx)


def _member_check(ctx: Any) -> credit_records.Verify:
    plain = replace(ctx, challenge=None, domain=None, audience=None)

    def check(document: Any) -> VerificationResult:
        try:
            return verify_credential(document, ctx=plain)
        except CoreError:
            return VerificationResult("credential", "json", ())
    return check


def _advise(db: DbSession, org: Organization, ctx: Any,
            items: list[tuple[VerificationResult, Any]]) -> dict[str, Any]:
    """The reports of what was checked, its records, and the advice on them."""
    lookup = trust.lookup_for(db, org_id=org.id)
    built: list[reports.Report] = []
    records: list[credit_records.Record] = []
    for n, (result, document) in enumerate(items):
        report = reports.build(result, document=document, trust=lookup)
        built.append(report)
        found = credit_records.read(document, result, report, verify=_member_check(ctx),
                                    trust=lookup)
        if len(items) > 1:  # several presentations in one answer: number them apart
            found = tuple(replace(r, number=f"{n + 1}.{r.number}") for r in found)
        records += found
    advice = credit.evaluate(credit.mappings(db, org_id=org.id), records)
    return {"reports": built, "advice": advice}


async def _from_upload(request: Request, db: DbSession, org: Organization, ctx: Any,
                       form: Any, values: dict[str, str]) -> dict[str, Any]:
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        field, source = "file", upload.filename
        content: Any = await upload.read(MAX_UPLOAD + 1)
        if not content:
            raise _Refused("empty", field)
    elif values["text"].strip():
        field, source, content = "text", "", values["text"]
    else:
        raise _Refused("empty", "text")
    if len(content) > MAX_UPLOAD:
        raise _Refused("too_big", field)
    try:
        result, document = await run_in_threadpool(_verify, ctx, content)
    except VerificationInputError as exc:
        code = "not_text" if field == "file" and "UTF-8" in str(exc) else "not_readable"
        raise _Refused(code, field) from None
    except CoreError:
        raise _Refused("cannot_verify", field) from None
    return {"source": source, **await run_in_threadpool(_advise, db, org, ctx,
                                                        [(result, document)])}


def _from_answer(db: DbSession, request: Request, org: Organization, config: Any, now: Any,
                 ctx: Any, answer_id: str) -> dict[str, Any]:
    try:  # a fresh check, kept like "check again" (status lists read now)
        answer = inbox.check_again(db, org_id=org.id, response_id=answer_id,
                                   base_url=str(config.base.url), issuer=config, now=now,
                                   fetcher=outbound_fetcher(request),
                                   allow_private=bool(request.app.state.settings
                                                      .fetch_allow_private),
                                   language=language_of(request))
    except (inbox.ResponseNotFound, inbox.NotCheckable):
        raise _Refused("pick_gone", "pick") from None
    tokens = [item for values in (answer.vp_token or {}).values()
              for item in (values if isinstance(values, list) else [values])]
    items = []
    for n, item in enumerate(answer.report.get("presentations", [])):
        result = item.get("result") if isinstance(item, dict) else None
        if isinstance(result, dict) and n < len(tokens):
            items.append((reports.result_from_dict(result), tokens[n]))
    return {"source": answer.purpose, **_advise(db, org, ctx, items)}


def _from_share(db: DbSession, request: Request, org: Organization, wallet: Any, now: Any,
                ctx: Any, share_id: str) -> dict[str, Any]:
    try:  # opening it is logged for the learner, as on the inbox page
        document = credit_records.shared_presentation(
            db, config=wallet, sealer=org_sealer(request), org_id=org.id, share_id=share_id,
            now=now, language=language_of(request))
    except WalletNotFound:
        raise _Refused("pick_gone", "pick") from None
    proofs = [p for p in as_list(document.get("proof")) if isinstance(p, dict)]
    challenge = str(proofs[0].get("challenge") or "") if proofs else ""
    bound = replace(ctx, challenge=challenge or None, domain=wallet.issuer.base.url,
                    audience=wallet.issuer.base.url)
    bound.kb_max_age_seconds = None  # a share is opened days after it was signed
    result = verify_any(document, ctx=bound)
    return {"source": "", **_advise(db, org, ctx, [(result, document)])}


@router.post("/credit/check")
async def check_submit(request: Request, org_id: str, db: DbSession, user: CurrentUser,
                       now: Now, config: Config, wallet: WalletSettings) -> Response:
    """Verify what was given and show the advice; nothing given here is kept."""
    org = _office(db, user, org_id)
    form = await read_form(request)
    if form is None:
        return _check_page(request, db, org, now,
                           errors={"file": gettext(CHECK_PROBLEMS["too_big"])},
                           status_code=FORM_ERROR_STATUS)
    await checked_form(request)
    values = {k: form.get(k) if isinstance(form.get(k), str) else ""
              for k in ("text", "pick", "from")}
    ctx = _context(db, request, config, now)
    try:
        if values["from"] == "inbox":
            kind, _, ident = values["pick"].partition(":")
            if kind == "answer" and ident:
                found = await run_in_threadpool(_from_answer, db, request, org, config, now,
                                                ctx, ident)
            elif kind == "share" and ident:
                found = await run_in_threadpool(_from_share, db, request, org, wallet, now,
                                                ctx, ident)
            else:
                raise _Refused("pick_missing", "pick")
        else:
            found = await _from_upload(request, db, org, ctx, form, values)
    except _Refused as exc:
        return _check_page(request, db, org, now, values=values,
                           errors={exc.field: gettext(CHECK_PROBLEMS[exc.code])},
                           status_code=FORM_ERROR_STATUS)
    return _check_page(request, db, org, now, values=values, context={"result": found})
