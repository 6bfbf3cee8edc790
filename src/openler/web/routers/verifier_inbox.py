"""Employer pages: presentation requests (link, QR code, expiry), the inbox of answers and of
shares addressed to the organization, "check again", and roles matched to what was shown.

Spec: OpenID for Verifiable Presentations 1.0, sections 5 and 8.2 (through
``openler.verifier.requests`` and ``responses``); role matching by
``openler.verifier.matching_index`` over ``openler.verifier.matching`` (skills only: never
names, photos, schools, dates of birth or addresses), with skill names compared by
meaning above ``openler.skills.similarity.SEMANTIC_THRESHOLD`` (stated on the page), or
exact matching only, with a note, when the language model is not available. Owners and
verifier staff of the organization only: 404 outside it, 403 for other roles.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.skills.encoder import ModelUnavailableError
from openler.skills.similarity import SEMANTIC_THRESHOLD
from openler.storage.tables import Organization, User
from openler.verifier import inbox, matching, matching_index, roles
from openler.verifier import requests as verifier_requests
from openler.wallet import org_shares
from openler.wallet.errors import WalletNotFound
from openler.wallet.models import Skill as AlignedSkill
from openler.web import skill_suggestions as skill_pages
from openler.web.api.deps import Config, language_of, outbound_fetcher
from openler.web.deps import CurrentUser as SignedIn
from openler.web.deps import DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_
from openler.web.routers.verifier_trust_pages import member
from openler.web.routers.wallet import WalletSettings
from openler.web.routers.wallet_shares import org_sealer
from openler.web.security import CheckedForm
from openler.web.verifier_pages import form_errors, page

router = APIRouter(prefix="/orgs/{org_id}")
MAX_RANKED = 50  # answers shown with their explanation on one page, strongest first


def _base_url(config: Any) -> str:
    return str(config.base.url)


def _similar(role: roles.Role, index: matching_index.ProfileIndex
             ) -> tuple[matching.Similar | None, dict[str, Any]]:
    """Similar names for a role over an index, and what the page says about them (exact
    matching only, said plainly, when the language model is not available)."""
    percent = int(round(SEMANTIC_THRESHOLD * 100))
    try:
        return matching_index.similar_for(role, index), {"on": True, "percent": percent}
    except ModelUnavailableError:
        return None, {"on": False, "percent": percent}


def _ranked_answers(role: roles.Role, answers: list[inbox.Answer]
                    ) -> tuple[list[tuple[inbox.Answer, matching.Explanation]], int,
                               dict[str, Any]]:
    """Checked answers ranked against a role through the profile index (strongest first, at
    most MAX_RANKED explained), how many there were, and the similarity note."""
    checked = [a for a in answers if a.checkable]
    index = matching_index.build_index((a.id, inbox.evidence_of(a)) for a in checked)
    similar, semantic = _similar(role, index)
    ranked = matching_index.rank(role, index, limit=MAX_RANKED, similar=similar)
    return [(checked[r.position], r.explanation) for r in ranked], len(checked), semantic


# ---- presentation requests --------------------------------------------------------------

@router.get("/requests")
def request_list(request: Request, org_id: str, db: DbSession, user: SignedIn,
                 now: Now) -> Response:
    """The organization's presentation requests, newest first."""
    org = member(db, user, org_id)
    made = verifier_requests.requests_of(db, org_id=org.id)
    counts: dict[str, int] = {}
    for answer in inbox.answers_of(db, org_id=org.id):
        counts[answer.request_id] = counts.get(answer.request_id, 0) + 1
    return page(request, "requests.html", org, {"requests": made, "now": now,
                                                 "counts": counts})


@router.post("/requests/{request_id}/answers/{answer_id}/check")
def check_answer(request: Request, org_id: str, request_id: str, answer_id: str,
                 form: CheckedForm, db: DbSession, user: SignedIn, now: Now,
                 config: Config) -> Response:
    """Check a kept answer again now (status lists read afresh)."""
    org = member(db, user, org_id)
    try:
        answer = inbox.get_answer(db, org_id=org.id, response_id=answer_id)
        if answer.request_id != request_id:
            raise inbox.ResponseNotFound(answer_id)
        inbox.check_again(db, org_id=org.id, response_id=answer.id, base_url=_base_url(config),
                          issuer=config, now=now, fetcher=outbound_fetcher(request),
                          allow_private=bool(request.app.state.settings.fetch_allow_private),
                          language=language_of(request))
    except (inbox.ResponseNotFound, inbox.NotCheckable):
        raise HTTPException(404) from None
    request.session["flash"] = N_("Checked again just now.")
    back = form.get("back", "")
    target = back if back.startswith(f"/orgs/{org.id}/") and "//" not in back \
        else f"/orgs/{org.id}/requests/{request_id}"
    return RedirectResponse(f"{target}#answer-{answer.id}", status_code=303)


# ---- inbox ------------------------------------------------------------------------------

@router.get("/inbox")
def inbox_page(request: Request, org_id: str, db: DbSession, user: SignedIn,
               now: Now) -> Response:
    """Answers to the organization's requests, and live shares addressed to it; with a role
    chosen, the checked answers ranked against it with their explanations."""
    org = member(db, user, org_id)
    answers = inbox.answers_of(db, org_id=org.id)
    all_roles = roles.roles_of(db, org_id=org.id)
    chosen = next((r for r in all_roles if r.id == request.query_params.get("role")), None)
    ranked, total, semantic = _ranked_answers(chosen, answers) if chosen else ([], 0, {})
    return page(request, "inbox.html", org, {
        "answers": answers, "shares": org_shares.inbox(db, org_id=org.id, now=now),
        "roles": all_roles, "role": chosen, "ranked": ranked, "total": total,
        "semantic": semantic, "max_ranked": MAX_RANKED})


@router.get("/inbox/shares/{share_id}")
def inbox_share(request: Request, org_id: str, share_id: str, db: DbSession, user: SignedIn,
                now: Now, config: WalletSettings) -> Response:
    """Open a share addressed to the organization: a fresh check; the learner sees it."""
    org = member(db, user, org_id)
    try:
        view = org_shares.open_for_org(db, config=config, sealer=org_sealer(request),
                                       org_id=org.id, share_id=share_id, now=now,
                                       language=language_of(request))
    except WalletNotFound:
        raise HTTPException(404) from None
    all_roles = roles.roles_of(db, org_id=org.id)
    chosen = next((r for r in all_roles if r.id == request.query_params.get("role")), None)
    evidence = [matching.Evidence(r.summary.achievement_name, tuple(r.summary.skills),
                                  matching.standing(r.report.outcome, r.self_reported))
                for r in view.records]
    explanation: matching.Explanation | None = None
    semantic: dict[str, Any] = {}
    if chosen:
        index = matching_index.build_index([(share_id, evidence)])
        similar, semantic = _similar(chosen, index)
        explanation = matching_index.rank(chosen, index, similar=similar)[0].explanation
    return page(request, "inbox_share.html", org, {
        "view": view, "share_id": share_id, "roles": all_roles, "role": chosen,
        "language": language_of(request), "explanation": explanation,
        "semantic": semantic})


# ---- roles ------------------------------------------------------------------------------

def _roles_page(request: Request, db: DbSession, org: Organization, values: dict[str, Any],
                errors: dict[str, str], status_code: int = 200,
                skills: skill_pages.Panel | None = None) -> Response:
    catalog = roles.catalog_skills(db)
    added = {part: skill_pages.role_skills(request, skill_pages.role_added(values, part))
             for part in ("required", "preferred")} \
        if values.get("esco_required") or values.get("esco_preferred") else {}
    return page(request, "roles.html", org, {
        "roles": roles.roles_of(db, org_id=org.id), "values": values, "errors": errors,
        "catalog": [(matching.skill_key(s), s) for s in catalog],
        "skills": skills or skill_pages.Panel(rejections_url=skill_pages.rejections_url(org.id)),
        "added": added}, status_code)


def _role_values(form: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {"name": form.get("name", "")}
    for part in ("required", "preferred"):
        values[part] = [k[len(part) + 1:] for k, v in form.items()
                        if k.startswith(part + "-") and v == "yes"]
        values[part + "_text"] = form.get(part + "_text", "")[:2000]
        values["esco_" + part] = " ".join(skill_pages.role_added(form, part))
    values["job_description"] = form.get("job_description", "")[:20_000]
    return values


def _role_skills_step(request: Request, db: DbSession, org: Organization,
                      form: dict[str, str], *, user: User, now: datetime) -> Response:
    """Suggest skills from a pasted job description, add one as required or preferred, or
    reject one (remembered for the organization); the role is not saved yet."""
    values = _role_values(form)
    added, notice = skill_pages.role_change(request, form)
    for part in ("required", "preferred"):
        values["esco_" + part] = " ".join(added[part])
    if form.get(skill_pages.REJECT):
        notice = skill_pages.reject(request, db, form, org_id=org.id, context="role",
                                    item_id=None, user_id=user.id, now=now)
    panel = skill_pages.panel(request, db, form, text=values["job_description"],
                              org_id=org.id, context="role", notice=notice,
                              exclude=set(added["required"]) | set(added["preferred"]))
    return _roles_page(request, db, org, values, {}, skills=panel)


def _with_suggested(request: Request, picked: list[Any], uris: list[str]) -> list[Any]:
    """The picked skills plus the suggested ESCO skills the employer added."""
    have = {s.url for s in picked if s.url}
    extra = [AlignedSkill(name=s.label, framework=s.framework, url=s.uri or "")
             for s in skill_pages.role_skills(request, uris) if s.uri not in have]
    return [*picked, *extra][:matching.MAX_SKILLS]


@router.get("/roles")
def role_list(request: Request, org_id: str, db: DbSession, user: SignedIn) -> Response:
    """The organization's roles, and a form to describe one by its skills."""
    org = member(db, user, org_id)
    return _roles_page(request, db, org, {"name": "", "required": [], "preferred": [],
                                          "required_text": "", "preferred_text": "",
                                          "job_description": ""}, {})


@router.post("/roles")
def create_role(request: Request, org_id: str, form: CheckedForm, db: DbSession,
                user: SignedIn, now: Now) -> Response:
    """Describe a role by required and preferred skills."""
    org = member(db, user, org_id)
    if skill_pages.wants(form):
        return _role_skills_step(request, db, org, form, user=user, now=now)
    values = _role_values(form)
    required = _with_suggested(request, roles.pick(
        db, keys=values["required"], free_text=values["required_text"]),
        skill_pages.role_added(values, "required"))
    preferred = _with_suggested(request, roles.pick(
        db, keys=values["preferred"], free_text=values["preferred_text"]),
        skill_pages.role_added(values, "preferred"))
    try:
        made = roles.create_role(db, org_id=org.id, name=values["name"], required=required,
                                 preferred=preferred, now=now)
    except verifier_requests.InvalidVerifierRequest as exc:
        return _roles_page(request, db, org, values, form_errors(exc.errors), FORM_ERROR_STATUS)
    request.session["flash"] = N_("The role is saved.")
    return RedirectResponse(f"/orgs/{org.id}/roles/{made.id}", status_code=303)


@router.get("/roles/{role_id}")
def role_page(request: Request, org_id: str, role_id: str, db: DbSession, user: SignedIn,
              now: Now) -> Response:
    """Every checked answer explained against the role, strongest first (through the
    profile index, with similar skill names when the language model is available)."""
    org = member(db, user, org_id)
    try:
        role = roles.get_role(db, org_id=org.id, role_id=role_id)
    except roles.RoleNotFound:
        raise HTTPException(404) from None
    ranked, total, semantic = _ranked_answers(role, inbox.answers_of(db, org_id=org.id))
    return page(request, "roles_show.html", org, {
        "role": role, "ranked": ranked, "total": total, "semantic": semantic,
        "max_ranked": MAX_RANKED, "shares": org_shares.inbox(db, org_id=org.id, now=now)})
