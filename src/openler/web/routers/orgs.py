"""Organization pages for members: members and roles, the achievement catalog."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from openler.accounts import service
from openler.accounts.errors import InvalidInput
from openler.accounts.models import Role
from openler.web.deps import CurrentUser, DbSession
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.forms import messages
from openler.web.i18n import N_
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter(prefix="/orgs")


def _org_page(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    org_id: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    mine = service.membership(db, user=user, org_id=org_id)
    context = {
        "org": mine.organization,
        "my_role": mine.role,
        "is_owner": mine.role == Role.OWNER,
        "members": service.members(db, user=user, org_id=org_id),
        "achievements": service.achievements(db, user=user, org_id=org_id),
        "roles": list(Role),
        "values": values or {},
        "errors": errors or {},
        "nav": "orgs",
    }
    return render(request, "orgs/show.html", context, status_code=status)


@router.get("/{org_id}")
def organization_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """Show the organization to its members (404 for everyone else)."""
    return _org_page(request, db, user, org_id)


@router.post("/{org_id}/members")
def add_member(
    request: Request, org_id: str, form: CheckedForm, db: DbSession, user: CurrentUser
) -> Response:
    """Let an owner add an existing account as a member with a role."""
    values = {"email": form.get("email", ""), "role": form.get("role", "")}
    try:
        service.add_member(db, user=user, org_id=org_id, **values)
    except InvalidInput as exc:
        return _org_page(
            request,
            db,
            user,
            org_id,
            values=values,
            errors=messages(exc.errors),
            status=FORM_ERROR_STATUS,
        )
    request.session["flash"] = N_("The member is added.")
    return RedirectResponse(f"/orgs/{org_id}", status_code=303)


@router.get("/{org_id}/achievements/{achievement_id}")
def achievement_page(
    request: Request, org_id: str, achievement_id: str, db: DbSession, user: CurrentUser
) -> Response:
    """Show one achievement of the catalog with its skill alignments."""
    mine = service.membership(db, user=user, org_id=org_id)
    found = service.achievement(db, user=user, org_id=org_id, achievement_id=achievement_id)
    context = {"org": mine.organization, "achievement": found, "nav": "orgs"}
    return render(request, "orgs/achievement.html", context)
