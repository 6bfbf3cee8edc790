"""Issuer pages for the life of a credential (suspend, revoke with a private reason,
reissue), the issuer dashboard (inline SVG charts with table alternatives) and the
owners-only audit log with CSV export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.errors import NotAllowed
from openler.accounts.models import Role
from openler.issuer import audit, awards, dashboard, lifecycle
from openler.issuer.catalog_input import CatalogInputError
from openler.issuer.errors import IssuerNotFound
from openler.storage.tables import Organization, User
from openler.storage.tables_lifecycle import AwardNote
from openler.web.api.deps import Config
from openler.web.deps import AppSettings, CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.forms import PROBLEMS
from openler.web.i18n import N_, gettext
from openler.web.routers import catalog_forms, delivery
from openler.web.routers import lifecycle_views as views
from openler.web.security import CheckedForm
from openler.web.templating import render


def _not_found_page() -> Iterator[None]:
    try:
        yield
    except IssuerNotFound:
        raise HTTPException(404) from None


router = APIRouter(prefix="/orgs/{org_id}", dependencies=[Depends(_not_found_page)])
STAFF_ROLES = (Role.OWNER, Role.ISSUER_STAFF)

LABELS = {
    "reason": N_("Reason for revoking"),
    "recipient_name": N_("Learner's name on the credential"),
    "valid_until": N_("Valid until"),
    "action": N_("Action"),
    "since": N_("From"),
    "until": N_("To"),
}
OUR_PROBLEMS = {
    "nothing_changed": N_("enter the corrected name or a new end date."),
    "not_after_start": N_("this date must be in the future."),
    "already_revoked": N_("this credential is revoked and cannot be changed."),
    "no_suspension": N_("this credential cannot be suspended."),
    "invalid_date": N_("enter a date like 2027-06-30."),
}


def _messages(errors: dict[str, str]) -> dict[str, str]:
    out = {}
    for field, code in errors.items():
        problem = OUR_PROBLEMS.get(code) or PROBLEMS.get(code) or PROBLEMS["unknown_choice"]
        out[field] = gettext("%(field)s: %(problem)s") % {
            "field": gettext(LABELS.get(field, field)), "problem": gettext(problem)}
    return out


def _member(db: DbSession, user: User, org_id: str, roles: tuple[str, ...]) -> Organization:
    """The organization for the given roles (404 outside it, 403 for other roles)."""
    mine = accounts.membership(db, user=user, org_id=org_id)
    if mine.role not in roles:
        raise NotAllowed("lifecycle")
    return mine.organization


def _page(request: Request, template: str, org: Organization, status: int = 200,
          **context: Any) -> Response:
    return render(request, f"lifecycle/{template}", {"org": org, "nav": "orgs", **context},
                  status_code=status)


def _life_page(request: Request, db: DbSession, org: Organization, award_id: str, now: Now,
               *, values: dict[str, str] | None = None,
               errors: dict[str, str] | None = None) -> Response:
    row = awards.get_award(db, org_id=org.id, award_id=award_id)
    awards.list_awards(db, org_id=org.id, recipient=row.recipient_email or row.recipient_did)
    note = db.get(AwardNote, row.id)
    return _page(request, "award.html", org, status=FORM_ERROR_STATUS if errors else 200,
                 award=row, note=note, status_name=lifecycle.display_status(row, now),
                 until=lifecycle.valid_until_of(row),
                 can_suspend=row.status != "revoked" and awards.can_suspend(db, row),
                 values=values or {}, errors=_messages(errors or {}))


@router.get("/awards/{award_id}/life")
def life_page(request: Request, org_id: str, award_id: str, db: DbSession, user: CurrentUser,
              now: Now) -> Response:
    """One credential's status, with suspend, revoke and reissue."""
    org = _member(db, user, org_id, STAFF_ROLES)
    return _life_page(request, db, org, award_id, now)


FLASH = {
    "revoke": N_("The credential is revoked."),
    "suspend": N_("The credential is suspended."),
    "unsuspend": N_("The suspension is lifted."),
    "reissue": N_("The corrected credential is issued and the old one is revoked."),
}
REISSUE_FLASH = {  # where the new credential's claim offer went (see delivery.offer_award)
    "smtp": N_("The corrected credential is issued and the old one is revoked. Its claim "
               "offer is sent to the learner by email."),
    "retry": N_("The corrected credential is issued and the old one is revoked. Its claim "
                "offer could not be emailed yet: it waits in the outbox and is tried again "
                "in a few minutes."),
    "outbox": N_("The corrected credential is issued and the old one is revoked. Email is "
                 "not set up, so its claim offer is in the outbox: pass it on to the learner."),
    "none": N_("The corrected credential is issued and the old one is revoked. Give the "
               "learner this claim link; the code for a wallet app is in the outbox."),
    "existing": FLASH["reissue"],
}


@router.post("/awards/{award_id}/life/{action}")
def life_action(request: Request, org_id: str, award_id: str, action: str, form: CheckedForm,
                db: DbSession, user: CurrentUser, config: Config, now: Now,
                settings: AppSettings) -> Response:
    """Change the credential's status or reissue it (offering the new one to the learner at
    once, as a new award is); problems are shown on the form."""
    org = _member(db, user, org_id, STAFF_ROLES)
    if action not in FLASH:
        raise HTTPException(404)
    errors: dict[str, str] = {}
    target = award_id
    try:
        if action == "revoke":
            lifecycle.revoke(db, org_id=org_id, award_id=award_id, now=now,
                             reason=form.get("reason", ""))
        elif action == "suspend":
            lifecycle.suspend(db, org_id=org_id, award_id=award_id, now=now)
        elif action == "unsuspend":
            lifecycle.unsuspend(db, org_id=org_id, award_id=award_id, now=now)
        else:
            until = catalog_forms.parse_date(errors, "valid_until", form.get("valid_until", ""))
            if errors:
                raise CatalogInputError(errors)
            new = lifecycle.reissue(db, config=config, org_id=org_id, award_id=award_id,
                                    now=now, recipient_name=form.get("recipient_name"),
                                    valid_until=until)
            target = new.id
    except CatalogInputError as exc:
        db.rollback()
        return _life_page(request, db, org, award_id, now, values=dict(form),
                          errors={**errors, **exc.errors})
    if action != "reissue":
        request.session["flash"] = FLASH[action]
        return RedirectResponse(f"/orgs/{org_id}/awards/{target}/life", status_code=303)
    # The learner gets the corrected credential as they got the first: a claim offer.
    channel, link = delivery.offer_award(request, db, settings, org_id=org_id, award_id=target,
                                         base_url=config.base.url, now=now, first_only=True)
    request.session["flash"] = REISSUE_FLASH[channel]
    if link:  # a DID-only credential: staff hand the link on (the code is in the outbox)
        request.session["claim_link"] = link
        return RedirectResponse(f"/orgs/{org_id}/outbox", status_code=303)
    return RedirectResponse(f"/orgs/{org_id}/awards/{target}/life", status_code=303)


@router.get("/dashboard")
def dashboard_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """Counts per achievement and month, as charts and tables."""
    org = _member(db, user, org_id, STAFF_ROLES)
    figures = dashboard.figures(db, org_id=org_id)
    return _page(request, "dashboard.html", org, figures=figures, kinds=dashboard.SHOWN_KINDS,
                 kind_label=views.kind_label, chart=views.chart, min_group=dashboard.MIN_GROUP)


def _filters(request: Request) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    params = {k: request.query_params.get(k, "").strip()[:40]
              for k in ("action", "since", "until")}
    errors: dict[str, str] = {}
    if params["action"] and params["action"] not in audit.ACTIONS:
        errors["action"] = "unknown_choice"
    since = catalog_forms.parse_date(errors, "since", params["since"])
    until = catalog_forms.parse_date(errors, "until", params["until"])
    query = {"action": params["action"] if "action" not in errors else None,
             "since": since, "until": until + timedelta(days=1) if until else None}
    return params, query, errors


@router.get("/audit")
def audit_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """Who did what, when (owners only), filtered by date and action."""
    org = _member(db, user, org_id, (Role.OWNER,))
    params, query, errors = _filters(request)
    rows = audit.entries(db, org_id=org_id, limit=500, **query)
    return _page(request, "audit.html", org, status=FORM_ERROR_STATUS if errors else 200,
                 entries=rows, values=params, errors=_messages(errors),
                 actions=[(a, views.action_label(a)) for a in audit.ACTIONS],
                 action_label=views.action_label)


@router.get("/audit.csv")
def audit_csv(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The filtered audit log as a CSV file (owners only)."""
    _member(db, user, org_id, (Role.OWNER,))
    _params, query, errors = _filters(request)
    if errors:
        raise HTTPException(400)
    body = audit.to_csv(audit.entries(db, org_id=org_id, **query))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"',
                             "Cache-Control": "no-store"})
