"""What the employer pages share: their page frame, their form messages and the words for
an answer's state (the inbox, request and role routers all render through ``page``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from fastapi import Request
from starlette.responses import Response

from openler.storage.tables import Organization
from openler.web.api.deps import language_of
from openler.web.i18n import N_, gettext
from openler.web.private import private
from openler.web.templating import render

ERRORS = {
    "purpose_missing": N_("Say what the request is for, for example “Welder job at Acme”."),
    "until_invalid": N_("Enter the last day answers are accepted, like 2026-12-07."),
    "until_too_far": N_("The last day can be at most 7 days from today."),
    "role_name_missing": N_("Give the role a name, for example “Welder”."),
    "skills_missing": N_("Pick at least one required skill, or write one."),
}
ANSWER_STATUS = {
    "verified": N_("Checked: genuine and current"),
    "incomplete": N_("Could not finish checking"),
    "not_verified": N_("Problem found"),
    "declined": N_("The learner declined"),
    "refused": N_("Refused by this site"),
}
REFUSED_REASONS = {
    "already_answered": N_("The request had already been answered: a repeated or reused "
                           "answer is not accepted."),
    "state_mismatch": N_("The answer did not belong to this request."),
    "expired": N_("The answer came after the request expired."),
    "nonce_mismatch": N_("The answer was made for another request (a replay)."),
    "audience_mismatch": N_("The answer was made for another verifier."),
    "presentation_invalid": N_("The learner's signature on the answer does not verify."),
    "query_not_satisfied": N_("The answer does not contain what the request asked for."),
    "vp_token_missing": N_("The answer was empty."),
    "vp_token_malformed": N_("The answer could not be read."),
}


def formatters(request: Request) -> dict[str, Callable[[datetime | None], str]]:
    """Dates and moments written the way the page's language writes them."""
    language = language_of(request)
    locale = "en_GB" if language == "en" else language

    def day(moment: datetime | None) -> str:
        return format_date(moment, format="long", locale=locale) if moment else ""

    def moment(value: datetime | None) -> str:
        return format_datetime(value, format="medium", tzinfo=UTC, locale=locale) \
            if value else ""
    return {"day": day, "moment": moment}


def page(request: Request, template: str, org: Organization, context: dict[str, Any],
         status_code: int = 200) -> Response:
    """An employer page of this organization, private, with the shared words and formatters."""
    return private(render(request, f"verifier/{template}", {
        "org": org, "nav": "orgs", "status_words": ANSWER_STATUS,
        "refused_words": REFUSED_REASONS, **formatters(request), **context},
        status_code=status_code))


def form_errors(codes: dict[str, str]) -> dict[str, str]:
    """Each field's error code (``code`` or ``code:detail``) as a message in the page language."""
    out = {}
    for field, code in codes.items():
        out[field] = gettext(ERRORS.get(code.split(":")[0], ERRORS["purpose_missing"]))
    return out
