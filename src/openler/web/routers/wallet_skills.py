"""The learner's skills profile: every skill and occupation from the records, as a chart and a
table, with the records behind each; the learner hides the ones they do not want shown."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.wallet import skills_chart, skills_profile
from openler.wallet.errors import WalletNotFound
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.i18n import N_
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()
PAGE = "/wallet/skills"



def web_url(url: str) -> str:
    """The alignment's page, only when it is a plain web address (never script or data)."""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


@router.get(PAGE)
def skills_page(request: Request, db: DbSession, user: CurrentUser,
                config: WalletSettings) -> Response:
    """The chart, the table with the records behind each skill, and the hidden ones."""
    made = skills_profile.profile(db, config=config, user_id=user.id, include_hidden=True)
    return _private(render(request, "wallet/skills.html", {
        "profile": made, "chart": skills_chart.chart(made.entries), "nav": "wallet",
        "web_url": web_url}))


def _change(request: Request, form: CheckedForm, db: DbSession, user_id: str, now: Now,
            config: WalletSettings, *, hide: bool) -> Response:
    change = skills_profile.hide if hide else skills_profile.show
    try:
        change(db, config=config, user_id=user_id, key=form.get("key", ""), now=now)
    except WalletNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = (
        N_("The skill is hidden from your profile. You can show it again below.") if hide
        else N_("The skill is back in your profile."))
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/hide")
def hide_skill(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
               now: Now, config: WalletSettings) -> Response:
    """Leave one skill out of the profile; the records themselves do not change."""
    return _change(request, form, db, user.id, now, config, hide=True)


@router.post(f"{PAGE}/show")
def show_skill(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
               now: Now, config: WalletSettings) -> Response:
    """Put a hidden skill back into the profile."""
    return _change(request, form, db, user.id, now, config, hide=False)
