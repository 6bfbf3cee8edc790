"""Issuer staff pages: the achievement catalog, awarding one learner, the awards list,
status changes and the CLR learner record; plus the public achievement version JSON."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.errors import NotAllowed
from openler.accounts.models import Role
from openler.core.models import ACHIEVEMENT_TYPES, ALIGNMENT_TARGET_TYPES, RESULT_TYPES
from openler.issuer import awards, catalog, lifecycle, transcripts
from openler.issuer.awards_input import EvidenceInput, ResultInput
from openler.issuer.catalog_input import FRAMEWORKS, CatalogInputError
from openler.issuer.errors import IssuerNotFound
from openler.storage.tables import Achievement, Organization, User
from openler.web import skill_suggestions as skill_pages
from openler.web.api.deps import Config
from openler.web.deps import AppSettings, CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_
from openler.web.routers import catalog_forms as forms
from openler.web.routers import delivery
from openler.web.security import CheckedForm
from openler.web.templating import render


def _not_found_page() -> Iterator[None]:
    try:
        yield
    except IssuerNotFound:
        raise HTTPException(404) from None


router = APIRouter(prefix="/orgs/{org_id}", dependencies=[Depends(_not_found_page)])
STAFF_ROLES = (Role.OWNER, Role.ISSUER_STAFF)


def _staff(db: DbSession, user: User, org_id: str) -> Organization:
    """The organization, for its owners and issuing staff (404 outside it, 403 for others)."""
    mine = accounts.membership(db, user=user, org_id=org_id)
    if mine.role not in STAFF_ROLES:
        raise NotAllowed("issue")
    return mine.organization


def _page(request: Request, template: str, org: Organization, status: int = 200,
          **context: Any) -> Response:
    return render(request, f"issuer/{template}",
                  {"org": org, "nav": "orgs", "type_label": forms.type_label, **context},
                  status_code=status)


@router.get("/achievements/{achievement_id}/v/{number}")
def achievement_version(org_id: str, achievement_id: str, number: int,
                        db: DbSession) -> Response:
    """The public OB 3.0 Achievement JSON of one version (also when retired)."""
    doc = catalog.version_document(db, org_id=org_id, achievement_id=achievement_id,
                                   number=number)
    return JSONResponse(doc, media_type="application/json")


@router.get("/catalog")
def catalog_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The catalog: achievements that can be awarded, and retired ones."""
    org = _staff(db, user, org_id)
    rows = catalog.list_achievements(db, org_id=org_id)
    return _page(request, "catalog.html", org,
                 active=[a for a in rows if a.retired_at is None],
                 retired=[a for a in rows if a.retired_at is not None])


def _values_of(row: Achievement) -> dict[str, str]:
    values = {
        "name": row.name, "description": row.description, "criteria": row.criteria,
        "achievement_type": row.achievement_type or "Achievement",
        "image": row.image if row.image and not row.image.startswith("data:") else "",
        "credits_available": "" if row.credits_available is None
        else f"{row.credits_available:g}",
        "field_of_study": row.field_of_study or "", "specialization": row.specialization or "",
        "human_code": row.human_code or "", "tags": ", ".join(row.tags or ()),
        "parent_id": row.parent_id or ""}
    for n, a in enumerate(row.alignments, 1):
        values.update({f"alignment_{n}_name": a.target_name, f"alignment_{n}_url": a.target_url,
                       f"alignment_{n}_framework": a.target_framework,
                       f"alignment_{n}_code": a.target_code,
                       f"alignment_{n}_type": a.target_type or ""})
    for n, r in enumerate(row.result_descriptions or (), 1):
        values.update({f"result_{n}_name": r["name"], f"result_{n}_type": r["result_type"],
                       f"result_{n}_allowed": ", ".join(r.get("allowed_values") or ()),
                       f"result_{n}_min": r.get("value_min") or "",
                       f"result_{n}_max": r.get("value_max") or "",
                       f"result_{n}_levels": "\n".join(r.get("levels") or ())})
    return values


def _form_page(request: Request, db: DbSession, org: Organization, *,
               row: Achievement | None, values: dict[str, str],
               errors: dict[str, str] | None = None,
               skills: skill_pages.Panel | None = None) -> Response:
    others = [a for a in catalog.list_achievements(db, org_id=org.id)
              if (row is None or a.id != row.id)
              and (a.retired_at is None or a.id == values.get("parent_id"))]
    return _page(
        request, "achievement_form.html", org,
        status=FORM_ERROR_STATUS if errors else 200, achievement=row, values=values,
        errors=forms.messages(errors or {}),
        alignment_rows=range(1, forms.filled_rows(values, "alignment")
                             + forms.ALIGNMENT_ROWS_EXTRA + 1),
        result_rows=range(1, forms.filled_rows(values, "result") + forms.RESULT_ROWS_EXTRA + 1),
        achievement_types=forms.choices(ACHIEVEMENT_TYPES),
        result_types=forms.choices(RESULT_TYPES),
        target_types=ALIGNMENT_TARGET_TYPES, frameworks=FRAMEWORKS, parents=others,
        has_uploaded_image=bool(row and row.image and row.image.startswith("data:")),
        skills=skills or skill_pages.Panel(rejections_url=skill_pages.rejections_url(org.id)))


def _skills_step(request: Request, db: DbSession, org: Organization, form: CheckedForm, *,
                 row: Achievement | None, user: User, now: Now) -> Response:
    """Suggest skills, add one to the alignment rows or reject one; nothing else is saved."""
    values = dict(form)
    item_id = row.id if row is not None else None
    notice = skill_pages.add_alignment(request, values) if values.get(skill_pages.ADD) else ""
    if values.get(skill_pages.REJECT):
        notice = skill_pages.reject(request, db, values, org_id=org.id, context="achievement",
                                    item_id=item_id, user_id=user.id, now=now)
    panel = skill_pages.panel(request, db, values, text=skill_pages.achievement_text(values),
                              org_id=org.id, item_id=item_id, notice=notice,
                              exclude=skill_pages.aligned_urls(values))
    return _form_page(request, db, org, row=row, values=values, skills=panel)


@router.get("/catalog/new")
def new_achievement(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The form to describe a new achievement."""
    org = _staff(db, user, org_id)
    return _form_page(request, db, org, row=None, values={"achievement_type": "Achievement"})


async def _files(request: Request) -> dict[str, forms.Upload]:
    return await forms.uploads(await request.form())


@router.post("/catalog/new")
def create_achievement(request: Request, org_id: str, form: CheckedForm, db: DbSession,
                       user: CurrentUser, config: Config, now: Now,
                       files: dict[str, forms.Upload] = Depends(_files)) -> Response:
    """Add the achievement (version 1) or show the form again with its problems."""
    org = _staff(db, user, org_id)
    if skill_pages.wants(form):
        return _skills_step(request, db, org, form, row=None, user=user, now=now)
    try:
        row = catalog.create_achievement(db, config=config, org_id=org_id, now=now,
                                         data=forms.achievement_input(form, files))
    except CatalogInputError as exc:
        db.rollback()
        return _form_page(request, db, org, row=None, values=form, errors=exc.errors)
    request.session["flash"] = N_("The achievement is saved.")
    return RedirectResponse(f"/orgs/{org_id}/catalog/{row.id}", status_code=303)


@router.get("/catalog/{achievement_id}")
def achievement_detail(request: Request, org_id: str, achievement_id: str, db: DbSession,
                       user: CurrentUser) -> Response:
    """One achievement with its versions and awards."""
    org = _staff(db, user, org_id)
    row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    parent = catalog.parent_of(db, row)
    return _page(request, "achievement.html", org, achievement=row, parent=parent,
                 versions=catalog.versions(db, org_id=org_id, achievement_id=achievement_id),
                 awards=awards.list_awards(db, org_id=org_id, achievement_id=achievement_id))


@router.get("/catalog/{achievement_id}/edit")
def edit_achievement(request: Request, org_id: str, achievement_id: str, db: DbSession,
                     user: CurrentUser) -> Response:
    """The form to change an achievement."""
    org = _staff(db, user, org_id)
    row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    return _form_page(request, db, org, row=row, values=_values_of(row))


@router.post("/catalog/{achievement_id}/edit")
def update_achievement(request: Request, org_id: str, achievement_id: str, form: CheckedForm,
                       db: DbSession, user: CurrentUser, config: Config, now: Now,
                       files: dict[str, forms.Upload] = Depends(_files)) -> Response:
    """Save the change (a new version when the current one was awarded)."""
    org = _staff(db, user, org_id)
    row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    if skill_pages.wants(form):
        return _skills_step(request, db, org, form, row=row, user=user, now=now)
    data = forms.achievement_input(form, files, current_image=row.image)
    try:
        catalog.update_achievement(db, config=config, org_id=org_id,
                                   achievement_id=achievement_id, data=data, now=now)
    except CatalogInputError as exc:
        db.rollback()
        row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
        return _form_page(request, db, org, row=row, values=form, errors=exc.errors)
    request.session["flash"] = N_("The achievement is saved.")
    return RedirectResponse(f"/orgs/{org_id}/catalog/{achievement_id}", status_code=303)


@router.post("/catalog/{achievement_id}/retire")
def retire_achievement(request: Request, org_id: str, achievement_id: str, form: CheckedForm,
                       db: DbSession, user: CurrentUser, now: Now) -> Response:
    """Retire (or bring back) an achievement."""
    _staff(db, user, org_id)
    retire = form.get("retire", "yes") != "no"
    catalog.retire_achievement(db, org_id=org_id, achievement_id=achievement_id, now=now,
                               retire=retire)
    request.session["flash"] = (N_("The achievement is retired.") if retire
                                else N_("The achievement can be awarded again."))
    return RedirectResponse(f"/orgs/{org_id}/catalog/{achievement_id}", status_code=303)


def _award_page(request: Request, db: DbSession, org: Organization, row: Achievement,
                config: Config, now: Now, *, values: dict[str, str],
                errors: dict[str, str] | None = None) -> Response:
    version = catalog.current_version(db, config=config, org_id=org.id,
                                      achievement_id=row.id, now=now)
    return _page(request, "award_form.html", org, status=FORM_ERROR_STATUS if errors else 200,
                 achievement=row, version=version,
                 results=version.document.get("resultDescription", []),
                 values=values, errors=forms.messages(errors or {}),
                 idempotency_key=secrets.token_hex(16))


@router.get("/catalog/{achievement_id}/award")
def award_form(request: Request, org_id: str, achievement_id: str, db: DbSession,
               user: CurrentUser, config: Config, now: Now) -> Response:
    """The form to award the achievement to one learner."""
    org = _staff(db, user, org_id)
    row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    if row.retired_at is not None:
        raise HTTPException(404)
    return _award_page(request, db, org, row, config, now, values={})


@router.post("/catalog/{achievement_id}/award")
def award_one(request: Request, org_id: str, achievement_id: str, form: CheckedForm,
              db: DbSession, user: CurrentUser, config: Config, now: Now,
              settings: AppSettings,
              files: dict[str, forms.Upload] = Depends(_files)) -> Response:
    """Issue the credential and offer it to the learner at once (by email when mail is set
    up, else through the outbox), or show the form again with its problems."""
    org = _staff(db, user, org_id)
    row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
    errors: dict[str, str] = {}
    valid_from = forms.parse_date(errors, "valid_from", form.get("valid_from", ""))
    valid_until = forms.parse_date(errors, "valid_until", form.get("valid_until", ""))
    count = len(catalog.current_version(db, config=config, org_id=org_id,
                                        achievement_id=achievement_id, now=now)
                .document.get("resultDescription", []))
    results = [ResultInput(str(n), value=form.get(f"result_{n}", ""),
                           achieved_level=form.get(f"result_{n}_level", ""))
               for n in range(1, count + 1)]
    upload = files.get("evidence_2")
    evidence = [EvidenceInput(url=form.get("evidence_1_url", ""),
                              name=form.get("evidence_1_name", "")),
                EvidenceInput(name=upload.filename if upload else "",
                              content=upload.content if upload else None,
                              media_type=upload.media_type if upload else None)]
    try:
        if errors:
            raise CatalogInputError(errors)
        made = awards.award(db, config=config, org_id=org_id, achievement_id=achievement_id,
                            recipient_email=form.get("recipient_email"),
                            recipient_did=form.get("recipient_did"), results=results,
                            evidence=evidence, valid_from=valid_from, valid_until=valid_until,
                            now=now, idempotency_key=form.get("idempotency_key") or None)
    except CatalogInputError as exc:
        db.rollback()
        row = catalog.get_achievement(db, org_id=org_id, achievement_id=achievement_id)
        return _award_page(request, db, org, row, config, now, values=form,
                           errors={**errors, **exc.errors})
    # A repeated submission (same idempotency key) returns the award already offered.
    channel, link = delivery.offer_award(request, db, settings, org_id=org_id,
                                         award_id=made.id, base_url=config.base.url, now=now,
                                         first_only=True)
    request.session["flash"] = delivery.AWARD_FLASH[channel]
    if link:  # awarded to a DID: staff hand the link on (the code is in the outbox)
        request.session["claim_link"] = link
        return RedirectResponse(f"/orgs/{org_id}/outbox", status_code=303)
    return RedirectResponse(f"/orgs/{org_id}/awards", status_code=303)


@router.get("/awards")
def awards_page(request: Request, org_id: str, db: DbSession, user: CurrentUser, now: Now,
                learner: str = "") -> Response:
    """Every award of the organization, or one learner's, with status actions."""
    org = _staff(db, user, org_id)
    learner = learner.strip()[:500]
    rows = awards.list_awards(db, org_id=org_id, recipient=learner or None)
    suspendable = {a.id for a in rows if a.status != "revoked" and awards.can_suspend(db, a)}
    return _page(request, "awards.html", org, awards=rows, learner=learner,
                 suspendable=suspendable, expired=lifecycle.expired_ids(rows, now))


@router.post("/awards/{award_id}/{action}")
def change_status(request: Request, org_id: str, award_id: str, action: str,
                  form: CheckedForm, db: DbSession, user: CurrentUser, now: Now) -> Response:
    """Revoke, suspend or lift a suspension from the awards page."""
    _staff(db, user, org_id)
    if action not in awards.STATUS_ACTIONS:
        raise HTTPException(404)
    try:
        awards.set_award_status(db, org_id=org_id, award_id=award_id, action=action, now=now)
    except CatalogInputError:
        raise HTTPException(400) from None
    request.session["flash"] = {
        "revoke": N_("The credential is revoked."), "suspend": N_("The credential is suspended."),
        "unsuspend": N_("The suspension is lifted.")}[action]
    back = form.get("learner", "")
    return RedirectResponse(f"/orgs/{org_id}/awards" + (f"?learner={quote(back)}" if back else ""),
                            status_code=303)


@router.get("/awards/{award_id}/credential.json")
def award_credential(org_id: str, award_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The signed credential of one award, as a file."""
    _staff(db, user, org_id)
    row = awards.get_award(db, org_id=org_id, award_id=award_id)
    return _download(row.credential, f"credential-{row.id}.json")


def _download(doc: dict[str, Any], filename: str) -> Response:
    return Response(json.dumps(doc, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/learner-record")
def learner_record(request: Request, org_id: str, form: CheckedForm, db: DbSession,
                   user: CurrentUser, config: Config, now: Now) -> Response:
    """Sign a CLR 2.0 record of the learner's current awards and download it."""
    _staff(db, user, org_id)
    learner = form.get("learner", "").strip()
    is_did = learner.startswith("did:")
    try:
        doc = transcripts.learner_record(
            db, config=config, org_id=org_id, now=now,
            recipient_email=None if is_did else learner, recipient_did=learner if is_did else None)
    except CatalogInputError:
        raise HTTPException(400) from None
    return _download(doc, "learner-record.json")
