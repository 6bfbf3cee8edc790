"""Self-reported learning: the learner adds volunteering, informal learning, work and projects,
kept and shown as self-reported and signed only with the learner's own key.

Pages: the form to add an entry (``/wallet/self-reported/new``), the same form to change
one (a new signed version in place of the old, ``/wallet/self-reported/{id}/edit``), and
the download of an evidence file carried inside any record
(``/wallet/records/{id}/evidence/{n}``). A form with problems stores nothing and shows
an error summary with a message on each field. Another learner's URLs are 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.wallet import self_reported, self_reported_evidence, service
from openler.wallet.errors import WalletNotFound
from openler.wallet.evidence import download_name, embedded_file
from openler.wallet.self_reported_input import (
    KINDS,
    MAX_FILE_BYTES,
    MAX_FILES,
    EvidenceFile,
    InvalidSelfReport,
    SelfReportedInput,
)
from openler.wallet.summary import document_of
from openler.web import skill_suggestions as skill_pages
from openler.web.api.deps import language_of as _language
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()
SLOTS = tuple(range(1, MAX_FILES + 1))
KIND_LABELS = (("volunteering", N_("Volunteering")), ("informal", N_("Informal learning")),
               ("work", N_("Work experience")), ("project", N_("A project")))
ERRORS = {
    "title_missing": N_("Give it a title, for example “Food bank volunteer”."),
    "title_too_long": N_("The title must be 200 characters or fewer."),
    "kind_missing": N_("Choose what kind of learning it was."),
    "description_missing": N_("Say what you did, in a few sentences."),
    "description_too_long": N_("What you did must be 4,000 characters or fewer."),
    "organization_too_long": N_("The organization's name must be 200 characters or fewer."),
    "start_missing": N_("Enter the date you started, for example 2025-03-15."),
    "date_invalid": N_("Enter a real date as year-month-day, for example 2025-03-15."),
    "date_future": N_("The date must be today or in the past."),
    "end_before_start": N_("The end date must be the same as or after the start date."),
    "skill_too_long": N_("Each skill must be 100 characters or fewer."),
    "skills_too_many": N_("Name 20 skills or fewer."),
    "file_too_big": N_("The file must be 512 KB or smaller."),
    "file_wrong_type": N_("The file must be a PDF, PNG, JPEG or plain text (.txt) file."),
    "files_too_many": N_("Attach 3 files or fewer in all (remove one you keep, or add fewer)."),
}
DOWNLOAD_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain"}




async def _uploads(request: Request) -> list[EvidenceFile]:
    """The files posted in the evidence slots (empty inputs left out), read up to the limit."""
    form = await request.form()
    found = []
    for n in SLOTS:
        value = form.get(f"evidence_{n}")
        if isinstance(value, UploadFile) and value.filename:
            content = await value.read(MAX_FILE_BYTES + 1)
            if content:
                description = form.get(f"evidence_{n}_description")
                found.append(EvidenceFile(value.filename, content,
                                          description if isinstance(description, str) else "",
                                          slot=n))
    return found


def _input(form: dict[str, str], files: list[EvidenceFile],
           keep: tuple[int, ...] = ()) -> SelfReportedInput:
    known = tuple(key[len("skill-"):] for key, value in form.items()
                  if key.startswith("skill-") and value == "yes")
    return SelfReportedInput(
        title=form.get("title", ""), kind=form.get("kind", ""),
        description=form.get("description", ""), organization=form.get("organization", ""),
        start=form.get("start", ""), end=form.get("end", ""), skills=form.get("skills", ""),
        known_skills=known, files=tuple(files), keep_evidence=keep,
        show_name=form.get("show_name") == "yes",
        suggested=tuple(skill_pages.suggested_uris(form)))


def _suggested(request: Request, form: dict[str, str]) -> list[self_reported.KnownSkill]:
    """The suggestions the learner added, as skills a typed name links to (URI, framework)."""
    fields = [skill_pages.service.alignment_fields(s)
              for s in skill_pages.suggested_skills(request, form) if s.uri]
    return [self_reported.KnownSkill(self_reported.skill_key(f["name"], f["url"]), f["name"],
                                     f["url"], f["framework"], f["code"], f["type"])
            for f in fields]


def _messages(exc: InvalidSelfReport) -> dict[str, str]:
    return {field: gettext(ERRORS[code]) for field, code in exc.errors.items()}


def _form_page(request: Request, db: DbSession, *, values: SelfReportedInput,
               errors: dict[str, str], record: Any = None,
               status_code: int = 200, skills: skill_pages.Panel | None = None) -> Response:
    existing = self_reported_evidence.evidence_files(record.credential) if record is not None else []
    return _private(render(request, "wallet/self_form.html", {
        "values": values, "errors": errors, "record": record, "nav": "wallet",
        "kinds": [(value, gettext(label)) for value, label in KIND_LABELS],
        "known_skills": self_reported.known_skills(db), "existing": existing,
        "slots": SLOTS, "max_files": MAX_FILES,
        "skills": skills or skill_pages.Panel(remembers=False)}, status_code=status_code))


def _skills_step(request: Request, db: DbSession, form: dict[str, str],
                 files: list[EvidenceFile], record: Any = None,
                 keep: tuple[int, ...] = ()) -> Response:
    """Suggest skills from what the learner wrote, or add one to the entry's skills; nothing
    is stored, and no organization remembers anything."""
    values = dict(form)
    notice = skill_pages.add_self_skill(request, values) if values.get(skill_pages.ADD) else ""
    text = "\n".join((values.get("title", ""), values.get("description", "")))
    panel = skill_pages.panel(request, db, values, text=text, org_id=None, notice=notice,
                              exclude=set())
    return _form_page(request, db, values=_input(values, files, keep), errors={},
                      record=record, skills=panel)


@router.get("/wallet/self-reported/new")
def new_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """The form to add volunteering, informal learning, work experience or a project."""
    return _form_page(request, db, values=SelfReportedInput("", "", ""), errors={})


@router.post("/wallet/self-reported/new")
def add(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser, now: Now,
        config: WalletSettings,
        files: list[EvidenceFile] = Depends(_uploads)) -> Response:
    """Sign the entry with the learner's own key and keep it; or show what to fix."""
    if skill_pages.wants(form):
        return _skills_step(request, db, form, files)
    data = _input(form, files)
    try:
        record = self_reported.add(db, config=config, user_id=user.id, data=data,
                                   learner_name=user.name, now=now,
                                   language=_language(request),
                                   suggested=_suggested(request, form))
    except InvalidSelfReport as exc:
        return _form_page(request, db, values=data, errors=_messages(exc),
                          status_code=FORM_ERROR_STATUS)
    request.session["flash"] = N_("Your learning is in your wallet, marked as self-reported.")
    return RedirectResponse(f"/wallet/records/{record.id}", status_code=303)


def _own(db: DbSession, config: Any, user_id: str, record_id: str, now: Any) -> Any:
    try:
        return self_reported.own_entry(db, config=config, user_id=user_id, record_id=record_id,
                                       now=now)
    except WalletNotFound:
        raise HTTPException(404) from None


@router.get("/wallet/self-reported/{record_id}/edit")
def edit_page(request: Request, record_id: str, db: DbSession, user: CurrentUser, now: Now,
              config: WalletSettings) -> Response:
    """The entry's form, filled in, to sign a corrected version."""
    record = _own(db, config, user.id, record_id, now)
    values = self_reported.form_values(record, self_reported.known_skills(db))
    return _form_page(request, db, values=values, errors={}, record=record)


@router.post("/wallet/self-reported/{record_id}/edit")
def edit(request: Request, record_id: str, form: CheckedForm, db: DbSession,
         user: CurrentUser, now: Now, config: WalletSettings,
         files: list[EvidenceFile] = Depends(_uploads)) -> Response:
    """Sign the changed entry in place of the old one (shares holding it follow)."""
    record = _own(db, config, user.id, record_id, now)
    keep = tuple(e.n for e in self_reported_evidence.evidence_files(record.credential)
                 if form.get(f"keep-{e.n}") == "yes")
    if skill_pages.wants(form):
        return _skills_step(request, db, form, files, record, keep)
    data = _input(form, files, keep)
    try:
        self_reported.edit(db, config=config, user_id=user.id, record_id=record.id, data=data,
                           learner_name=user.name, now=now, language=_language(request),
                           suggested=_suggested(request, form))
    except InvalidSelfReport as exc:
        return _form_page(request, db, values=data, errors=_messages(exc), record=record,
                          status_code=FORM_ERROR_STATUS)
    request.session["flash"] = N_("Your changes are saved and signed again with your key.")
    return RedirectResponse(f"/wallet/records/{record.id}", status_code=303)


@router.get("/wallet/records/{record_id}/evidence/{n}")
def evidence(record_id: str, n: int, db: DbSession, user: CurrentUser,
             config: WalletSettings) -> Response:
    """One evidence file carried inside any record (whatever its format), downloaded, never
    shown inline."""
    try:
        record = service.get_record(db, config=config, user_id=user.id, record_id=record_id)
    except WalletNotFound:
        raise HTTPException(404) from None
    item = embedded_file(document_of(record.credential, record.format), n)
    if item is None:
        raise HTTPException(404)
    media_type = item.media_type if item.media_type in DOWNLOAD_TYPES \
        else "application/octet-stream"
    return _private(Response(item.content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{download_name(item)}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox"}))


__all__ = ["KINDS", "router"]
