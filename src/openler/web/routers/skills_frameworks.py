"""Skill frameworks of an organization: ``/orgs/{org_id}/frameworks``.

Lists the frameworks the organization sees (ESCO and O*NET for everyone, and its own
imported from 1EdTech CASE 1.0 JSON or a Rich Skill Descriptor collection) with how many
skills and occupations each holds and the languages of its labels, searches
their labels in the page's language (``?q=``, a plain GET form that works without
JavaScript), and imports a CASE or RSD file. An import checks every item first: if any
item has a problem, nothing is imported and each problem is listed with its place in
the file. Members see the page; owners import. 404 outside the organization.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from openler.accounts import service as accounts
from openler.accounts.models import Role
from openler.skills_service import frameworks, frameworks_case, frameworks_rsd
from openler.skills_service.frameworks import FrameworkImportError, ImportReport, Problem
from openler.skills_service.search import search
from openler.storage.tables import Organization, User
from openler.web.api.deps import language_of
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private
from openler.web.security import checked_form
from openler.web.templating import render

router = APIRouter(prefix="/orgs/{org_id}")
MAX_QUERY = 200
FORMATS = ("case", "rsd")
LANGUAGES = ("en", "es")
LANGUAGE_LABELS = {"en": N_("English"), "es": N_("Spanish")}
FILE_PROBLEMS = {
    "missing": N_("Choose a CASE or RSD file."),
    "format": N_("Choose the format of the file: CASE or Rich Skill Descriptors."),
    "language": N_("Choose the language of the skill names: English or Spanish."),
    "empty": N_("The file is empty. Choose the framework's .json file."),
    "too_big": N_("This file is larger than 20 MB. Split the framework into smaller files."),
    "not_json": N_("This file is not JSON. Choose the framework's .json file."),
    "not_case": N_("This JSON file is not a CASE package: it has no CFDocument."),
    "not_rsd": N_("This JSON file is not a Rich Skill Descriptor collection: it has no "
                  "“skills” list."),
    "too_many": N_("This file has more than 50,000 items. Split it into smaller files."),
    "problems": N_("Nothing was imported: the file has problems. Each one is listed "
                   "below."),
}
ITEM_PROBLEMS = {
    "doc_no_uri": N_("the document has no uri or identifier"),
    "doc_no_title": N_("the document has no title"),
    "no_items": N_("there are no items"),
    "not_object": N_("it is not a JSON object"),
    "no_statement": N_("it has no statement (fullStatement or skillStatement)"),
    "no_uri": N_("it has no URI or identifier"),
    "duplicate_uri": N_("its URI %(value)s is used by another item too"),
    "no_label": N_("it has no name"),
    "label_too_long": N_("its name is longer than 1,000 characters"),
    "bad_kind": N_("its kind %(value)s is not skill or occupation"),
    "bad_id": N_("its id must be an http(s) or urn address"),
    "bad_occupation": N_("the occupation code %(value)s is not an O*NET-SOC or SOC code; "
                         "that link was left out"),
    "unknown_child": N_("it links %(value)s, which is not among the items; that link was "
                        "left out"),
}


async def _read_form(request: Request) -> Any:
    """The multipart form, or None when it is too large or malformed (nothing is kept)."""
    try:
        return await request.form(max_part_size=frameworks_case.MAX_BYTES + 1)
    except Exception:  # oversized or malformed multipart: nothing read, nothing kept
        return None


def _member(db: DbSession, user: User, org_id: str) -> tuple[Organization, bool]:
    """The organization (404 outside it) and whether this member may import."""
    mine = accounts.membership(db, user=user, org_id=org_id)
    return mine.organization, mine.role == Role.OWNER


def problem_text(problem: Problem) -> dict[str, str]:
    """A problem's place and reason in the page's language."""
    if problem.position:
        place = gettext(N_("%(section)s, item %(num)d")) % {"section": problem.section,
                                                           "num": problem.position}
    else:
        place = problem.section or problem.where
    reason = ITEM_PROBLEMS.get(problem.code)
    return {"place": place, "ident": problem.ident, "fatal": "yes" if problem.fatal else "",
            "reason": gettext(reason) % {"value": problem.value} if reason
            else problem.message}


def count_text(number: int, language: str) -> str:
    """A count as the page's language writes it: 13,564 in English, 13 564 in Spanish."""
    if language == "es":  # RAE: no separator up to four digits, then a (no-break) space
        return f"{number:,}".replace(",", "\u00a0") if number >= 10_000 else str(number)
    return f"{number:,}"


def framework_rows(db: DbSession, shown: list[Any], language: str) -> list[dict[str, Any]]:
    """Each framework with its counts of skills and occupations and its languages, named."""
    counts = frameworks.kind_counts(db, framework_ids=[f.id for f in shown])
    rows = []
    for fw in shown:
        kinds = counts.get(fw.id, {})
        names = [gettext(LANGUAGE_LABELS[code]) if code in LANGUAGE_LABELS else code
                 for code in fw.languages or []]
        rows.append({"framework": fw, "skills": count_text(kinds.get("skill", 0), language),
                     "occupations": count_text(kinds.get("occupation", 0), language),
                     "languages": ", ".join(names)})
    return rows


def _page(request: Request, db: DbSession, org: Organization, may_import: bool, *,
          values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
          report: ImportReport | None = None, problems: list[Problem] | None = None,
          status_code: int = 200) -> Response:
    query = (request.query_params.get("q") or "")[:MAX_QUERY]
    language = language_of(request)
    hits = search(db, query=query, language=language, org_id=org.id) if query.strip() else []
    names = {f.id: f for f in frameworks.frameworks(db, org_id=org.id)}
    shown = report.problems if report else (problems or [])
    context: dict[str, Any] = {
        "org": org, "frameworks": list(names.values()), "may_import": may_import,
        "framework_rows": framework_rows(db, list(names.values()), language),
        "query": query, "hits": hits, "searched": bool(query.strip()),
        "values": values or {"format": "case", "language": language}, "errors": errors or {},
        "report": report, "imported_name": names[report.framework_id].name
        if report and report.framework_id in names else "",
        "problems": [problem_text(p) for p in shown], "nav": "orgs"}
    return private(render(request, "skills_frameworks/frameworks.html", context,
                          status_code=status_code))


@router.get("/frameworks")
def frameworks_page(request: Request, org_id: str, db: DbSession,
                    user: CurrentUser) -> Response:
    """The skill frameworks the organization sees, with a search over their labels."""
    org, may_import = _member(db, user, org_id)
    return _page(request, db, org, may_import)


@router.post("/frameworks/import")
async def import_framework(request: Request, org_id: str, db: DbSession, user: CurrentUser,
                           now: Now) -> Response:
    """Import a CASE or RSD file: all items or none, with every problem listed."""
    org, may_import = _member(db, user, org_id)
    if not may_import:
        raise HTTPException(403)
    form = await _read_form(request)
    if form is None:
        return _page(request, db, org, may_import, errors={
            "framework_file": gettext(FILE_PROBLEMS["too_big"])}, status_code=FORM_ERROR_STATUS)
    await checked_form(request)
    values = {k: form.get(k) if isinstance(form.get(k), str) else "" for k in (
        "format", "language")}
    errors: dict[str, str] = {}
    if values["format"] not in FORMATS:
        errors["format"] = gettext(FILE_PROBLEMS["format"])
    if values["language"] not in LANGUAGES:
        errors["language"] = gettext(FILE_PROBLEMS["language"])
    upload = form.get("framework_file")
    data = b""
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["framework_file"] = gettext(FILE_PROBLEMS["missing"])
    else:
        data = await upload.read(frameworks_case.MAX_BYTES + 1)
    if errors:
        return _page(request, db, org, may_import, values=values, errors=errors,
                     status_code=FORM_ERROR_STATUS)
    try:
        if values["format"] == "case":
            report = frameworks_case.import_case(db, org_id=org.id, data=data, now=now)
        else:
            report = frameworks_rsd.import_rsd(db, org_id=org.id, data=data, now=now,
                                               language=values["language"])
    except FrameworkImportError as exc:
        db.rollback()
        whole_file = [p for p in exc.problems if p.code in FILE_PROBLEMS]
        message = FILE_PROBLEMS[whole_file[0].code] if whole_file else FILE_PROBLEMS["problems"]
        return _page(request, db, org, may_import, values=values,
                     errors={"framework_file": gettext(message)},
                     problems=[] if whole_file else exc.problems,
                     status_code=FORM_ERROR_STATUS)
    db.commit()
    return _page(request, db, org, may_import, report=report)
