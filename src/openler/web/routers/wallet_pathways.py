"""Pathways: the learner searches an occupation or role and sees which of its skills their
records show, which are missing, and which achievements on this instance teach them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from openler.wallet import pathways
from openler.wallet.errors import WalletNotFound
from openler.web.deps import CurrentUser, DbSession
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.routers.wallet_skills import web_url
from openler.web.templating import render

router = APIRouter()
PAGE = "/wallet/pathways"
MAX_QUERY = 200
SHOWN = 20  # occupations listed per search


def _language(request: Request) -> str:
    return str(request.scope.get("state", {}).get("language", "en"))


@router.get(PAGE)
def pathways_page(request: Request, db: DbSession, user: CurrentUser, config: WalletSettings,
                  q: str = "") -> Response:
    """The search form (a plain GET form), its results and occupations from the profile."""
    query = " ".join(q.split())[:MAX_QUERY]
    language = _language(request)
    found = (pathways.search_occupations(db, query=query, language=language, limit=SHOWN)
             if query else [])
    total = pathways.count_occupations(db, query=query) if len(found) == SHOWN else len(found)
    suggested = pathways.suggestions(db, config=config, user_id=user.id, language=language)
    return _private(render(request, "wallet/pathways.html", {
        "query": query, "found": found, "total": total, "cap": pathways.SEARCH_CAP,
        "suggested": suggested, "nav": "wallet"}))


@router.get(PAGE + "/{item_id}")
def pathway_page(request: Request, item_id: str, db: DbSession, user: CurrentUser,
                 config: WalletSettings) -> Response:
    """One occupation: the summary, the skills shown, the skills to build, where to learn."""
    try:
        made = pathways.pathway(db, config=config, user_id=user.id, item_id=item_id,
                                language=_language(request))
    except WalletNotFound:
        raise HTTPException(404) from None
    return _private(render(request, "wallet/pathways_occupation.html", {
        "pathway": made, "nav": "wallet", "web_url": web_url}))
