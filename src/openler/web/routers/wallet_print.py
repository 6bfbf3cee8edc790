"""Printable records: a PDF of a credential or of a presentation with a QR code that leads to
live verification.

Paper cannot be checked, so the QR code holds a share link: the learner first
confirms who the copy is for (default "Printed copy"), what for and until when
(default 90 days), or picks a live share to reuse; then the PDF is made with
the check outcome at printing time, the provenance, the link as text and its
expiry. GET shows the form (works without JavaScript); POST answers
``application/pdf`` as an attachment, or the form again with an error summary.
Another learner's record or presentation is 404.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from openler.wallet import presentations, printing, service
from openler.wallet.errors import WalletNotFound
from openler.wallet.importing import ob2_report
from openler.wallet.models import FORMAT_OB2, Record
from openler.wallet.presentations import InvalidSharingInput, Presentation
from openler.wallet.print_pdf import PrintJob, PrintSection, render_pdf
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.routers.wallet import WalletSettings
from openler.web.routers.wallet_shares import (
    ERRORS,
    EXPIRY_LABELS,
    _day,
    _language,
    _link,
    _page,
    _private,
    record_item,
)
from openler.web.security import CheckedForm

router = APIRouter()
FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
PRINT_ERRORS = {**ERRORS, "link_missing": N_("Choose which link the QR code should hold."),
                "paper_missing": N_("Choose the paper size.")}
PAPER_LABELS = (("a4", N_("A4")), ("letter", N_("US Letter")))
OUTCOME_WORDS = {
    "verified": N_("Checked on %(date)s, when this copy was printed: genuine, and still valid."),
    "incomplete": N_("Checked on %(date)s, when this copy was printed: nothing wrong was found, "
                     "but some checks could not run."),
    "not_verified": N_("Checked on %(date)s, when this copy was printed: a problem was found. "
                       "Scan the code to see what it is."),
}


def _record(db: DbSession, config: service.WalletConfig, user_id: str, record_id: str) -> Record:
    try:
        record = service.get_record(db, config=config, user_id=user_id, record_id=record_id)
    except WalletNotFound:
        raise HTTPException(404) from None
    if record.state != "kept":
        raise HTTPException(404)
    return record


def _presentation(db: DbSession, config: service.WalletConfig, user_id: str,
                  presentation_id: str) -> Presentation:
    try:
        pres = presentations.get(db, config=config, user_id=user_id,
                                 presentation_id=presentation_id)
    except WalletNotFound:
        raise HTTPException(404) from None
    if not pres.records:  # every record was deleted: nothing to print
        raise HTTPException(404)
    return pres


def _defaults(share: str = "") -> dict[str, Any]:
    return {"link": share or printing.NEW_LINK, "audience": gettext("Printed copy"),
            "purpose": "", "expiry": printing.PRINT_EXPIRY, "paper": "a4", "claims": []}


def _form(request: Request, *, kind: str, action: str, title: str, links: list[Any],
          values: dict[str, Any], errors: dict[str, str], item: dict[str, Any] | None = None,
          status_code: int = 200) -> Response:
    return _page(request, "wallet/print.html", {
        "kind": kind, "action": action, "back": action.removesuffix("/print"), "thing": title, "links": links, "values": values,
        "errors": errors, "item": item, "wallet_nav": "presentations",
        "expiry_options": [(v, gettext(label)) for v, label in EXPIRY_LABELS],
        "paper_options": [(v, gettext(label)) for v, label in PAPER_LABELS]}, status_code)




def _values(form: dict[str, str]) -> dict[str, Any]:
    return {key: form.get(key, "") for key in ("link", "audience", "purpose", "expiry",
                                               "paper")}


def _errors(exc: InvalidSharingInput) -> dict[str, str]:
    return {field: gettext(PRINT_ERRORS[code]) for field, code in exc.errors.items()}


def _section(db: DbSession, config: service.WalletConfig, record: Record,
             chosen: tuple[str, ...], *, now: datetime, language: str, day: Any) -> PrintSection:
    if record.format == FORMAT_OB2 and isinstance(record.credential, dict):
        report = ob2_report(record.credential, now=now)  # what can be said offline, as on import
    else:
        report = service.check_now(db, config=config, record=record, now=now, language=language)
    notes = [gettext(OUTCOME_WORDS[report.outcome]) % {"date": day(now)}]
    if record.self_reported:
        notes.append(f"{gettext('Self-reported')}: "
                     f"{gettext('Added by the person sharing it, not checked by any organization.')}")
    if record.format == "ob2":
        notes.append(gettext("Older format, not cryptographically verifiable"))
    item = record_item(record, chosen)
    facts: list[tuple[str, str]] = [(gettext("Issuer"), item["issuer"] or gettext("Not stated"))]
    if record.format == "dc+sd-jwt":
        notes.append(gettext("Shared in part: only the details the learner chose are printed."))
        facts += [(c["label"], c["value"]) for c in [*item["always"], *item["shared"]]]
    else:
        s = record.summary
        facts.append((gettext("Achievement"), s.achievement_name or gettext("Not stated")))
        if s.description:
            facts.append((gettext("Description"), s.description))
        facts.append((gettext("How it was earned"), s.criteria or gettext("Not stated")))
        if s.results:
            facts.append((gettext("Results"), "; ".join(
                f"{line.label}: {line.value}" if line.label else line.value for line in s.results)))
        if s.skills:
            facts.append((gettext("Skills and occupations"), "; ".join(
                sk.name + (f" ({sk.framework} {sk.code})".replace("( ", "(").replace(" )", ")")
                           if sk.framework or sk.code else "") for sk in s.skills)))
        facts.append((gettext("When it is valid"), _validity(s.valid_from, s.valid_until)))
    return PrintSection(item["title"], tuple(notes), tuple(facts), record.self_reported)


def _validity(start: str, end: str) -> str:
    if start and end:
        return gettext("From %(start)s until %(end)s") % {"start": start, "end": end}
    if start:
        return gettext("From %(start)s, with no end date") % {"start": start}
    return gettext("No dates given")


def _pdf(request: Request, db: DbSession, config: service.WalletConfig, link: printing.PrintLink,
         *, title: str, paper: str, now: datetime, filename: str) -> Response:
    language, day = _language(request), _day(request)
    pres = link.presentation
    sections = tuple(_section(db, config, r, pres.disclosed(r.id), now=now, language=language,
                              day=day) for r in pres.records)
    expires = link.share.expires_at
    job = PrintJob(
        title=title, language=language,
        intro=gettext("A printed copy of learning records. Paper cannot prove itself: scan the "
                      "code or type the link to see the records and check them now."),
        url=_link(config, link.share.token),
        qr_caption=gettext("Scan to see it and check it now"),
        link_lines=(gettext("The link works until %(date)s, unless the learner stops it sooner.")
                    % {"date": day(expires)} if expires else
                    gettext("The link works until the learner stops it."),
                    gettext("Printed on %(date)s") % {"date": day(now)}),
        sections=sections, footer=gettext("Printed copy from OpenLER, %(date)s") % {
            "date": day(now)},
        printed_at=now, paper=paper, subject=gettext("Printed copy"))
    body = render_pdf(job, font_dir=FONT_DIR)
    return _private(Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'}))


@router.get("/wallet/records/{record_id}/print")
def record_print_page(request: Request, record_id: str, db: DbSession, user: CurrentUser,
                      now: Now, config: WalletSettings) -> Response:
    """Confirm the link the printed record's QR code will hold, then make the PDF."""
    record = _record(db, config, user.id, record_id)
    links = printing.live_shares(db, config=config, user_id=user.id, now=now,
                                 record_id=record.id)
    item = record_item(record)
    return _form(request, kind="record", action=f"/wallet/records/{record.id}/print",
                 title=item["title"], links=links, values=_defaults(), errors={}, item=item)


@router.post("/wallet/records/{record_id}/print")
def record_print(request: Request, record_id: str, form: CheckedForm, db: DbSession,
                 user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """Make (or reuse) the share link, then answer the PDF of the record."""
    record = _record(db, config, user.id, record_id)
    values = _values(form)
    values["claims"] = [key[len("claim-"):] for key, v in form.items()
                        if key.startswith("claim-") and v == "yes"]
    item = record_item(record)
    try:
        link = printing.link_for_record(
            db, config=config, user_id=user.id, record_id=record.id, link=values["link"],
            audience=values["audience"], purpose=values["purpose"], expiry=values["expiry"],
            paper=values["paper"], now=now, disclose=values["claims"],
            name=gettext("Printed copy: %(title)s") % {"title": item["title"]})
    except InvalidSharingInput as exc:
        links = printing.live_shares(db, config=config, user_id=user.id, now=now,
                                     record_id=record.id)
        return _form(request, kind="record", action=f"/wallet/records/{record.id}/print",
                     title=item["title"], links=links, values=values, errors=_errors(exc),
                     item=item, status_code=FORM_ERROR_STATUS)
    return _pdf(request, db, config, link, title=item["title"], paper=values["paper"], now=now,
                filename=f"openler-record-{record.id}.pdf")


@router.get("/wallet/presentations/{presentation_id}/print")
def presentation_print_page(request: Request, presentation_id: str, db: DbSession,
                            user: CurrentUser, now: Now, config: WalletSettings,
                            share: str = "") -> Response:
    """Confirm the link the printed presentation's QR code will hold, then make the PDF."""
    pres = _presentation(db, config, user.id, presentation_id)
    links = printing.live_shares(db, config=config, user_id=user.id, now=now,
                                 presentation_id=pres.id)
    picked = share if any(link.share.id == share for link in links) else ""
    return _form(request, kind="presentation", action=f"/wallet/presentations/{pres.id}/print",
                 title=pres.name, links=links, values=_defaults(picked), errors={})


@router.post("/wallet/presentations/{presentation_id}/print")
def presentation_print(request: Request, presentation_id: str, form: CheckedForm,
                       db: DbSession, user: CurrentUser, now: Now,
                       config: WalletSettings) -> Response:
    """Make (or reuse) the share link, then answer the PDF of the presentation."""
    pres = _presentation(db, config, user.id, presentation_id)
    values = _values(form)
    try:
        link = printing.link_for_presentation(
            db, config=config, user_id=user.id, presentation_id=pres.id, link=values["link"],
            audience=values["audience"], purpose=values["purpose"], expiry=values["expiry"],
            paper=values["paper"], now=now)
    except InvalidSharingInput as exc:
        links = printing.live_shares(db, config=config, user_id=user.id, now=now,
                                     presentation_id=pres.id)
        return _form(request, kind="presentation",
                     action=f"/wallet/presentations/{pres.id}/print", title=pres.name,
                     links=links, values=values, errors=_errors(exc),
                     status_code=FORM_ERROR_STATUS)
    return _pdf(request, db, config, link, title=pres.name, paper=values["paper"], now=now,
                filename=f"openler-presentation-{pres.id}.pdf")

