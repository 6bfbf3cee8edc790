"""Skill suggestions on the forms where people write: the issuer's achievement form, the
learner's self-reported entry and the employer's role form.

No JavaScript is needed: a "Suggest skills" submit button posts the form, which is shown
again with suggestions; "Add" and "Not relevant" are submit buttons too, so whatever the
person typed is kept. The engine lives on ``app.state.skill_engine`` (an
``EngineHolder``): it is built in a background thread on first need, and until then the
suggestions come from lexical matching with a note that more will appear.
Set ``OPENLER_SKILLS_PRELOAD=1`` and call ``install(app)`` to start the build at start-up.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.orm import Session

from openler.skills import Suggestion
from openler.skills.catalog import Skill
from openler.skills_service import suggestions as service
from openler.skills_service.holder import EngineHolder
from openler.web.i18n import N_, gettext

ACTION = "skills_action"  # value "suggest"
ADD = "skills_add"
ADD_REQUIRED = "skills_add_required"
ADD_PREFERRED = "skills_add_preferred"
REJECT = "skills_reject"
REMOVE = "skills_remove"
SHOWN = "skills_shown"  # hidden: keep the suggestions on the page after Add / Not relevant
SUGGESTED = "skills_suggested"  # hidden, learner's form: URIs of the suggestions added
BUTTONS = (ACTION, ADD, ADD_REQUIRED, ADD_PREFERRED, REJECT, REMOVE)
TOP = 8
STRONG = 0.5
LIKELY = 0.35
MAX_ROWS = 20
_lock = threading.Lock()


def install(app: FastAPI, *, preload: bool | None = None) -> EngineHolder:
    """Put an engine holder on the app; start building at once when asked."""
    holder = engine_of(app)
    if preload if preload is not None else os.environ.get("OPENLER_SKILLS_PRELOAD") == "1":
        holder.start()
    return holder


def engine_of(app: Any) -> EngineHolder:
    """The app's engine holder, made on first need (never builds in the request)."""
    state = app.state
    with _lock:
        holder = getattr(state, "skill_engine", None)
        if holder is None:
            holder = state.skill_engine = EngineHolder()
    return holder


def wants(form: Mapping[str, str]) -> bool:
    """True when the post is a suggestion button, not the form's own save button."""
    return any(form.get(name) for name in BUTTONS)


def confidence_words(value: float) -> str:
    """A confidence as words people read the same way (the engine's best matches for a
    clear text score about 0.5 to 0.6; unrelated skills stay below 0.3)."""
    if value >= STRONG:
        return gettext("Strong match")
    if value >= LIKELY:
        return gettext("Likely match")
    return gettext("Possible match")


def confidence_text(value: float) -> str:
    """Words and a number together ("Strong match 82%"), so neither is read alone."""
    return gettext("%(words)s %(percent)d%%") % {"words": confidence_words(value),
                                                 "percent": round(max(0.0, min(value, 1.0))
                                                                  * 100)}


def rejections_url(org_id: str) -> str:
    """Where an organization reviews and undoes its "Not relevant" answers."""
    return f"/orgs/{org_id}/skills/rejections"


@dataclass
class Panel:
    """What the suggestion part of a form shows."""

    asked: bool = False
    items: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True
    notice: str = ""
    remembers: bool = True  # False on the learner's form: nothing is stored
    rejections_url: str = ""  # the organization's page of skills marked "Not relevant"

    @property
    def loading_note(self) -> str:
        """Said while only lexical matches are available."""
        return "" if self.complete else gettext("More suggestions will appear in a minute: "
                                                "ask again shortly.")


def _view(s: Suggestion) -> dict[str, Any]:
    return {"uri": s.uri or "", "label": s.label, "framework": s.framework,
            "confidence": round(s.confidence, 2), "words": confidence_words(s.confidence),
            "strength": confidence_text(s.confidence), "triggers": list(s.triggers)}


def _find(holder: EngineHolder, uri: str) -> Skill | None:
    return holder.find(uri) if uri else None


def panel(request: Request, db: Session, form: Mapping[str, str], *, text: str,
          org_id: str | None, context: str = service.CONTEXT_ACHIEVEMENT,
          item_id: str | None = None, exclude: set[str] | None = None,
          notice: str = "") -> Panel:
    """Suggestions for the text (when the form asked for them), minus what is already added
    or rejected."""
    shown = bool(form.get(SHOWN)) or wants(form)
    link = rejections_url(org_id) if org_id is not None else ""
    if not shown:
        return Panel(remembers=org_id is not None, rejections_url=link)
    found = service.suggest_for(db, org_id=org_id, text=text, top=TOP,
                                engine=engine_of(request.app), context=context,
                                item_id=item_id, exclude=exclude or set())
    return Panel(asked=True, items=[_view(s) for s in found.items], complete=not found.loading,
                 notice=notice, remembers=org_id is not None, rejections_url=link)


def reject(request: Request, db: Session, form: Mapping[str, str], *, org_id: str,
           context: str, item_id: str | None, user_id: str, now: Any) -> str:
    """Remember a "Not relevant" click; the notice to show."""
    uri = form.get(REJECT, "")
    if not uri:
        return ""
    skill = _find(engine_of(request.app), uri)
    label = skill.label if skill else uri
    service.reject(db, org_id=org_id, skill_uri=uri, label=label, context=context,
                   item_id=item_id, user_id=user_id, now=now)
    return gettext("“%(label)s” will not be suggested again for your organization.") % {
        "label": label} if item_id is None else gettext(
        "“%(label)s” will not be suggested again for this item.") % {"label": label}


# ---- issuer: the achievement form ------------------------------------------------------

def achievement_text(form: Mapping[str, str]) -> str:
    """What the issuer wrote: name, description and criteria."""
    return "\n".join(form.get(k, "") for k in ("name", "description", "criteria"))


def aligned_urls(values: Mapping[str, str]) -> set[str]:
    """The web addresses already in the form's alignment rows."""
    return {str(v).strip() for k, v in values.items()
            if k.startswith("alignment_") and k.endswith("_url") and str(v).strip()}


def add_alignment(request: Request, values: dict[str, str]) -> str:
    """Put the skill of the "Add" button in the first empty alignment row; the notice."""
    skill = _find(engine_of(request.app), values.get(ADD, ""))
    if skill is None:
        return ""
    if skill.uri in aligned_urls(values):
        return gettext("“%(label)s” is already in the list.") % {"label": skill.label}
    for n in range(1, MAX_ROWS + 1):
        keys = [f"alignment_{n}_{k}" for k in ("name", "url", "framework", "code", "type")]
        if not any(str(values.get(k, "")).strip() for k in keys):
            for k, v in service.alignment_fields(skill).items():
                values[f"alignment_{n}_{k}"] = v
            return gettext("“%(label)s” is added as skill %(n)s. Save the achievement to "
                           "keep it.") % {"label": skill.label, "n": n}
    return gettext("There is no room for more skills.")


# ---- employer: the role form -----------------------------------------------------------

def role_added(form: Mapping[str, str], part: str) -> list[str]:
    """The suggested skill URIs already added to the role as ``part`` (a hidden field of
    space-separated URIs)."""
    return list(dict.fromkeys(str(form.get(f"esco_{part}", "")).split()))[:MAX_ROWS]


def role_change(request: Request, form: Mapping[str, str]) -> tuple[dict[str, list[str]], str]:
    """Apply an "Add as required/preferred" or "Remove" button to the role's added skills."""
    added = {part: role_added(form, part) for part in ("required", "preferred")}
    holder = engine_of(request.app)
    for part, button in (("required", ADD_REQUIRED), ("preferred", ADD_PREFERRED)):
        skill = _find(holder, form.get(button, ""))
        if skill is not None and skill.uri:
            for other in added.values():
                if skill.uri in other:
                    other.remove(skill.uri)
            added[part].append(skill.uri)
            words = N_("“%(label)s” is added as a required skill.") if part == "required" \
                else N_("“%(label)s” is added as a preferred skill.")
            return added, gettext(words) % {"label": skill.label}
    gone = form.get(REMOVE, "")
    if gone:
        for other in added.values():
            if gone in other:
                other.remove(gone)
        return added, gettext("The skill is removed from the role.")
    return added, ""


def role_skills(request: Request, uris: list[str]) -> list[Skill]:
    """The catalogue skills of the added URIs, in order (unknown ones left out)."""
    holder = engine_of(request.app)
    return [s for s in (_find(holder, u) for u in uris) if s is not None]


# ---- learner: the self-reported form ---------------------------------------------------

def add_to_skills(request: Request, form: Mapping[str, str], skills_text: str) -> tuple[str, str]:
    """Append the added suggestion's label to the entry's skills text; (text, notice)."""
    skill = _find(engine_of(request.app), form.get(ADD, ""))
    if skill is None:
        return skills_text, ""
    lines = [line.strip() for line in skills_text.replace(",", "\n").splitlines()
             if line.strip()]
    if skill.label.casefold() in {line.casefold() for line in lines}:
        return skills_text, gettext("“%(label)s” is already in your skills.") % {
            "label": skill.label}
    return "\n".join([*lines, skill.label]), gettext(
        "“%(label)s” is added to your skills. Save the entry to keep it.") % {
        "label": skill.label}


def suggested_uris(form: Mapping[str, str]) -> list[str]:
    """The URIs of the suggestions the learner added (a hidden field, space-separated)."""
    return list(dict.fromkeys(str(form.get(SUGGESTED, "")).split()))[:MAX_ROWS]


def add_self_skill(request: Request, values: dict[str, str]) -> str:
    """Add the "Add" button's skill to the entry: its label to the skills text and its URI
    to the hidden list, so that saving keeps its framework and URI; the notice."""
    values["skills"], notice = add_to_skills(request, values, values.get("skills", ""))
    skill = _find(engine_of(request.app), values.get(ADD, ""))
    if skill is not None and skill.uri:
        values[SUGGESTED] = " ".join(dict.fromkeys([*suggested_uris(values), skill.uri]))
    return notice


def suggested_skills(request: Request, form: Mapping[str, str]) -> list[Skill]:
    """The catalogue skills of the suggestions the learner added (unknown URIs left out)."""
    return role_skills(request, suggested_uris(form))
