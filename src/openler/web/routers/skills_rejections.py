"""Skills an organization marked "Not relevant": ``/orgs/{org_id}/skills/rejections``.

A "Not relevant" answer on the achievement form or the role form hides a suggested
skill (see ``openler.skills_service.suggestions``). This page lists those answers, for
which kind of form, who gave them and when, and lets the organization take one back
("Suggest it again": a POST with the session's CSRF token, no JavaScript). Members see
the page; owners change it, as on the frameworks page. 404 outside the organization.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.models import Role
from openler.skills_service import suggestions as service
from openler.storage.tables import Organization, User
from openler.web import skill_suggestions as skill_pages
from openler.web.deps import CurrentUser, DbSession
from openler.web.i18n import N_
from openler.web.private import private
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter(prefix="/orgs/{org_id}")
CONTEXT_LABELS = {service.CONTEXT_ACHIEVEMENT: N_("Achievement form"),
                  service.CONTEXT_ROLE: N_("Role form")}


def _member(db: DbSession, user: User, org_id: str) -> tuple[Organization, bool]:
    """The organization (404 outside it) and whether this member may change the list."""
    mine = accounts.membership(db, user=user, org_id=org_id)
    return mine.organization, mine.role == Role.OWNER


def _framework_of(request: Request):  # noqa: ANN202 - a small lookup function
    holder = skill_pages.engine_of(request.app)

    def framework(uri: str) -> str:
        skill = holder.find(uri)
        return skill.framework if skill is not None else ""

    return framework


@router.get("/skills/rejections")
def rejections_page(request: Request, org_id: str, db: DbSession,
                    user: CurrentUser) -> Response:
    """The skills the organization marked not relevant, newest first."""
    org, may_change = _member(db, user, org_id)
    items = service.review(db, org_id=org.id, framework_of=_framework_of(request))
    return private(render(request, "skills/rejections.html", {
        "org": org, "items": items, "may_change": may_change, "nav": "orgs",
        "context_labels": CONTEXT_LABELS}))


@router.post("/skills/rejections/{rejection_id}/forget")
def suggest_again(request: Request, org_id: str, rejection_id: str, form: CheckedForm,
                  db: DbSession, user: CurrentUser) -> Response:
    """Take one "Not relevant" answer back: the skill can be suggested again."""
    org, may_change = _member(db, user, org_id)
    if not may_change:
        raise HTTPException(403)
    if not service.forget(db, org_id=org.id, rejection_id=rejection_id):
        raise HTTPException(404)
    db.commit()
    request.session["flash"] = N_("The skill can be suggested again.")
    return RedirectResponse(f"/orgs/{org.id}/skills/rejections", status_code=303)
