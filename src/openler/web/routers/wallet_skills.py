"""The learner's skills profile: every skill and occupation from the records, as a chart and a
table, with the records behind each (strongest evidence first, how recent it is); the learner
features, hides and shows skills, and downloads the visible ones as Open Badges 3.0
alignments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

from babel.dates import format_date
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.skills.similarity import SEMANTIC_THRESHOLD
from openler.wallet import skills_chart, skills_curation, skills_export, skills_profile
from openler.wallet.errors import WalletNotFound
from openler.wallet.skills_evidence import expired, recency_words
from openler.web.api.deps import language_of
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.i18n import N_, gettext, ngettext
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()
PAGE = "/wallet/skills"
EXPORT_PAGE = f"{PAGE}/export"
EXPORT_FILE = f"{PAGE}/export/{skills_export.FILENAME}"
ORDER_LABELS = (("featured", N_("Featured first, then most records")),
                ("strength", N_("Strongest evidence")), ("recent", N_("Most recent evidence")),
                ("name", N_("Name (A to Z)")))


def web_url(url: str) -> str:
    """The alignment's page, only when it is a plain web address (never script or data)."""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


def _locale(request: Request) -> str:
    language = language_of(request)
    return "en_GB" if language == "en" else language


def _dates(request: Request, today: date) -> dict[str, Callable[[str], object]]:
    """Date helpers for the templates, in the page's language."""
    locale = _locale(request)

    def day(on: str) -> str:
        try:
            return format_date(date.fromisoformat(on[:10]), format="long", locale=locale)
        except ValueError:
            return on

    def ago(on: str) -> str:
        return recency_words(on, today, locale) or (gettext("today") if on else "")

    return {"day": day, "ago": ago, "is_expired": lambda until: expired(until, today)}


def _order(value: str | None) -> str:
    return value if value in skills_curation.ORDERS else "featured"


def _back(form: dict[str, str]) -> RedirectResponse:
    order = _order(form.get("sort"))
    return RedirectResponse(PAGE if order == "featured" else f"{PAGE}?sort={order}",
                            status_code=303)


@router.get(PAGE)
def skills_page(request: Request, db: DbSession, user: CurrentUser, now: Now,
                config: WalletSettings, sort: str | None = None) -> Response:
    """The chart, the table with the records behind each skill, and the hidden ones."""
    made = skills_profile.profile(db, config=config, user_id=user.id, include_hidden=True,
                                  now=now)
    order = _order(sort)
    entries = skills_curation.ordered(made.entries, order)
    return _private(render(request, "wallet/skills.html", {
        "profile": made, "entries": entries, "chart": skills_chart.chart(entries),
        "nav": "wallet", "web_url": web_url, "sort": order, "orders": ORDER_LABELS,
        "self_reported_only": sum(1 for e in entries if e.strength == "self_reported"),
        "same_meaning_threshold": round(SEMANTIC_THRESHOLD * 100),
        **_dates(request, now.date())}))


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
    return _back(form)


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


def _feature(request: Request, form: CheckedForm, db: DbSession, user_id: str, now: Now,
             config: WalletSettings, *, on: bool) -> Response:
    try:
        skills_curation.feature(db, config=config, user_id=user_id, key=form.get("key", ""),
                                now=now, on=on)
    except WalletNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = (N_("The skill is featured: it comes first in your profile.")
                                if on else N_("The skill is no longer featured."))
    return _back(form)


@router.post(f"{PAGE}/feature")
def feature_skill(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                  now: Now, config: WalletSettings) -> Response:
    """Put one skill first in the profile."""
    return _feature(request, form, db, user.id, now, config, on=True)


@router.post(f"{PAGE}/unfeature")
def unfeature_skill(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                    now: Now, config: WalletSettings) -> Response:
    """Stop featuring a skill (it keeps its place among the others)."""
    return _feature(request, form, db, user.id, now, config, on=False)


@router.post(f"{PAGE}/hide-self-reported")
def hide_self_reported(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                       now: Now, config: WalletSettings) -> Response:
    """Hide every skill that only the learner's own statements back."""
    hidden = skills_curation.hide_self_reported(db, config=config, user_id=user.id, now=now)
    request.session["flash"] = ngettext(
        "%(num)d self-reported skill is hidden. You can show it again below.",
        "%(num)d self-reported skills are hidden. You can show them again below.",
        len(hidden)) % {"num": len(hidden)} if hidden else gettext(
        "No skill in your profile rests only on self-reported records.")
    return _back(form)


@router.post(f"{PAGE}/show-all")
def show_all(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser, now: Now,
             config: WalletSettings) -> Response:
    """Undo every hiding at once."""
    shown = skills_curation.show_all(db, config=config, user_id=user.id, now=now)
    request.session["flash"] = ngettext(
        "%(num)d skill is back in your profile.", "%(num)d skills are back in your profile.",
        shown) % {"num": shown}
    return _back(form)


def _export_page(request: Request, made: skills_profile.SkillsProfile,
                 errors: dict[str, str] | None = None) -> Response:
    return _private(render(request, "wallet/skills_export.html", {
        "profile": made, "nav": "wallet", "target_url": skills_export.target_url,
        "ready": [e for e in made.entries if skills_export.exportable(e)],
        "missing": [e for e in made.entries if not skills_export.exportable(e)],
        "file_url": EXPORT_FILE, "errors": errors or {}}, status_code=400 if errors else 200))


@router.get(EXPORT_PAGE)
def export_page(request: Request, db: DbSession, user: CurrentUser, now: Now,
                config: WalletSettings) -> Response:
    """Choose which visible skills go into the alignments file."""
    return _export_page(request, skills_profile.profile(db, config=config, user_id=user.id,
                                                        now=now))


@router.get(EXPORT_FILE)
def export_file(request: Request, db: DbSession, user: CurrentUser, now: Now,
                config: WalletSettings) -> Response:
    """The chosen visible skills as a JSON array of OB 3.0 Alignment objects, to keep."""
    made = skills_profile.profile(db, config=config, user_id=user.id, now=now)
    params = request.query_params
    keys = params.getlist("key") if params.get("chosen") else None
    chosen = skills_export.choose(made.entries, keys)
    if not chosen.alignments:
        return _export_page(request, made, {"key": gettext(
            "Choose at least one skill that has a web address to download.")})
    return _private(Response(
        skills_export.to_json(chosen), media_type=skills_export.MEDIA_TYPE,
        headers={"Content-Disposition":
                 f'attachment; filename="{skills_export.FILENAME}"'}))
