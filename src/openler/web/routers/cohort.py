"""Issuing a cohort from CSV: upload, the row-by-row report, the choice, progress, cancel.

Thin: the checks, jobs and worker live in `openler.issuer.cohort`. The progress
page works without JavaScript (a "Refresh now" link); with JavaScript it polls
`progress.json` and updates the bar and a polite live region in place, so it never
reloads itself (an automatic reload fails WCAG 2.2.1 and axe's meta-refresh rule).
Jobs left running by a stopped server are resumed at start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, RedirectResponse, Response

from openler.accounts import service
from openler.accounts.errors import NotAllowed, NotFound
from openler.accounts.models import Role
from openler.issuer import catalog
from openler.issuer.cohort import jobs, runner
from openler.issuer.cohort.csvfile import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    CheckedFile,
    CohortFileError,
    template_csv,
)
from openler.issuer.cohort.messages import award_message, file_message, row_message
from openler.issuer.errors import IssuerNotFound
from openler.issuer.keys import KeyVault
from openler.storage.tables_cohort import CohortJob
from openler.web.api.deps import issuer_config
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.security import CheckedForm, checked_form
from openler.web.templating import render

MAX_PROBLEMS_SHOWN = 500


@asynccontextmanager
async def _resume_jobs(app: FastAPI) -> AsyncIterator[None]:
    """At start-up (after migrations), pick up jobs a stopped server left behind."""
    state = app.state
    try:
        runner.resume(state.sessionmaker, vault=_vault(state), clock=state.clock)
    except Exception:  # never keep the site from starting because of a job
        runner.log.exception("could not resume cohort jobs")
    yield


router = APIRouter(prefix="/orgs/{org_id}/cohorts", lifespan=_resume_jobs)


def _vault(state: Any) -> KeyVault:
    vault = getattr(state, "cohort_vault", None)
    if vault is None:
        vault = state.cohort_vault = KeyVault(state.settings.secret_key)
    return vault


def _issuing_member(db: DbSession, user: CurrentUser, org_id: str) -> Any:
    mine = service.membership(db, user=user, org_id=org_id)
    if mine.role not in (Role.OWNER, Role.ISSUER_STAFF):
        raise NotAllowed("issue a cohort")
    return mine


def _job(db: DbSession, org_id: str, job_id: str) -> CohortJob:
    try:
        return jobs.get_job(db, org_id=org_id, job_id=job_id)
    except IssuerNotFound:
        raise NotFound("cohort job") from None


def _upload_page(request: Request, db: DbSession, org: Any, *, error: str | None = None,
                 status: int = 200) -> Response:
    recent = jobs.recent(db, org_id=org.id)
    # The file needs achievement ids; the catalog pages only show names, so list them here.
    achievements = catalog.list_achievements(db, org_id=org.id, include_retired=False)
    context = {"org": org, "error": error, "jobs": recent, "nav": "orgs",
               "achievements": achievements,
               "max_mb": MAX_FILE_BYTES // (1024 * 1024), "max_rows": MAX_ROWS,
               "errors": {"file": error} if error else {}}
    return render(request, "cohort/upload.html", context, status_code=status)


@router.get("")
def upload_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The upload form, the format in short, and this organization's recent jobs."""
    mine = _issuing_member(db, user, org_id)
    return _upload_page(request, db, mine.organization)


@router.get("/template.csv")
def template(org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """A starting file with the header and one example line."""
    _issuing_member(db, user, org_id)
    return Response(template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="cohort-template.csv"'})


@router.post("")
async def upload(request: Request, org_id: str, db: DbSession, user: CurrentUser,
                 now: Now) -> Response:
    """Check every row of the uploaded file and show the report (nothing is signed yet)."""
    await checked_form(request)
    form = await request.form()
    mine = _issuing_member(db, user, org_id)
    upload_file = form.get("file")
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return _upload_page(request, db, mine.organization, status=FORM_ERROR_STATUS,
                            error=gettext("Choose a CSV file to upload."))
    content = await upload_file.read(MAX_FILE_BYTES + 1)
    try:
        checked = jobs.check(db, org_id=org_id, content=content)
    except CohortFileError as exc:
        message = file_message(exc.code, exc.params, translate=gettext)
        return _upload_page(request, db, mine.organization, error=message,
                            status=FORM_ERROR_STATUS)
    job = jobs.create_job(db, org_id=org_id, user_id=user.id, filename=upload_file.filename,
                          content=content, checked=checked, now=now)
    return RedirectResponse(f"/orgs/{org_id}/cohorts/{job.id}", status_code=303)


def _problems(db: DbSession, job: CohortJob) -> list[str]:
    checked: CheckedFile = jobs.check(db, org_id=job.organization_id, content=job.content)
    return [row_message(p.line, p.column, p.code, p.params, translate=gettext)
            for p in checked.problems[:MAX_PROBLEMS_SHOWN]]


@router.get("/{job_id}/progress.json")
def job_progress(org_id: str, job_id: str, db: DbSession, user: CurrentUser) -> Response:
    """Counts for the progress page's in-place updates (same access rules as the page)."""
    _issuing_member(db, user, org_id)
    job = _job(db, org_id, job_id)
    done = job.issued_count + job.failed_count
    return JSONResponse({
        "status": job.status,
        "active": job.status in jobs.ACTIVE,
        "done": done,
        "total": job.to_issue,
        "status_text": gettext(STATUS_TEXT.get(job.status, STATUS_TEXT["failed"])),
        "progress_text": gettext(PROGRESS_TEXT) % {
            "done": done, "total": job.to_issue,
            "issued": job.issued_count, "failed": job.failed_count},
    })


PROGRESS_TEXT = N_("%(done)s of %(total)s lines done: %(issued)s issued, %(failed)s not issued.")


@router.get("/{job_id}")
def job_page(request: Request, org_id: str, job_id: str, db: DbSession,
             user: CurrentUser) -> Response:
    """The report and choice (checked), the progress (running) or the outcome (finished)."""
    mine = _issuing_member(db, user, org_id)
    job = _job(db, org_id, job_id)
    active = job.status in jobs.ACTIVE
    context = {
        "org": mine.organization, "job": job, "nav": "orgs", "active": active,
        "problems": _problems(db, job) if job.status == "validated" and job.invalid_rows else [],
        "items": [] if job.status == "validated" else jobs.items(db, job_id=job.id),
        "status_text": gettext(STATUS_TEXT.get(job.status, STATUS_TEXT["failed"])),
        "award_reason": lambda code: award_message(code, translate=gettext),
    }
    return render(request, "cohort/job.html", context)


STATUS_TEXT = {
    "validated": N_("Checked, waiting for your choice"),
    "queued": N_("Waiting to start"),
    "running": N_("Issuing"),
    "done": N_("Finished"),
    "cancelled": N_("Cancelled"),
    "failed": N_("Stopped because of an error"),
}


@router.post("/{job_id}/start")
def start(request: Request, org_id: str, job_id: str, form: CheckedForm, db: DbSession,
          user: CurrentUser, now: Now) -> Response:
    """Start issuing: all rows, or only the valid ones when the issuer chose that."""
    _issuing_member(db, user, org_id)
    _job(db, org_id, job_id)
    base = str(issuer_config(request).base.url)
    try:
        jobs.start_job(db, org_id=org_id, job_id=job_id, public_base=base, now=now,
                       issue_valid_rows=form.get("issue_valid_rows") == "yes")
    except jobs.CohortJobNotReady:
        return RedirectResponse(f"/orgs/{org_id}/cohorts/{job_id}", status_code=303)
    db.commit()
    runner.start(request.app.state.sessionmaker, job_id=job_id, vault=_vault(request.app.state),
                 clock=request.app.state.clock)
    return RedirectResponse(f"/orgs/{org_id}/cohorts/{job_id}", status_code=303)


@router.post("/{job_id}/cancel")
def cancel(request: Request, org_id: str, job_id: str, form: CheckedForm, db: DbSession,
           user: CurrentUser, now: Now) -> Response:
    """Stop between rows; what is already issued stays issued and is listed."""
    _issuing_member(db, user, org_id)
    _job(db, org_id, job_id)
    jobs.request_cancel(db, org_id=org_id, job_id=job_id, now=now)
    request.session["flash"] = N_("Cancelling: the rows already issued stay issued.")
    return RedirectResponse(f"/orgs/{org_id}/cohorts/{job_id}", status_code=303)
