"""The learner's presentations and shares, and the public share link.

A learner picks kept records into a named presentation, shares it with an
audience for a purpose until a chosen expiry (a link and a QR code), sees each
opening, and can stop the share at any time. ``/s/{token}`` is public: it shows
the records with a fresh check, or refuses plainly (404 unknown, 410 stopped,
expired or emptied). Every management URL of another learner is 404."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from babel.dates import format_date
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.issuer.delivery.qr import qr_svg
from openler.wallet import (
    disclosure,
    org_shares,
    presentations,
    service,
    shared_evidence,
    sharing,
)
from openler.wallet.errors import WalletNotFound
from openler.wallet.evidence import download_name
from openler.wallet.models import Record
from openler.wallet.presentations import InvalidSharingInput
from openler.wallet.sharing import DEFAULT_EXPIRY, ShareRefused
from openler.web.api.deps import language_of as _language
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()
REFUSED_STATUS = {"unknown": 404}
ERRORS = {
    "name_missing": N_("Give the presentation a name, for example “For job applications”."),
    "records_missing": N_("Choose at least one record to put in the presentation."),
    "audience_missing": N_("Say who you are sharing with, for example “Acme Hiring”."),
    "purpose_missing": N_("Say what the share is for, for example “Job application”."),
    "expiry_missing": N_("Choose how long the link works."),
    "audience_org_unknown": N_("Choose the organization you are sharing with from the list."),
}
AUDIENCE_KINDS = (("name", N_("Someone I name")), ("org", N_("An organization on this site")))
EXPIRY_LABELS = (("7", N_("7 days")), ("30", N_("30 days")), ("90", N_("90 days")),
                 ("never", N_("Until I stop it")))


def _day(request: Request) -> Callable[[datetime | None], str]:
    locale = "en_GB" if _language(request) == "en" else _language(request)

    def day(moment: datetime | None) -> str:
        return format_date(moment, format="long", locale=locale) if moment else ""
    return day


def _page(request: Request, template: str, context: dict[str, Any],
          status_code: int = 200) -> Response:
    return _private(render(request, template, {"nav": "wallet", "day": _day(request),
                                               **context}, status_code=status_code))


def _errors(exc: InvalidSharingInput) -> dict[str, str]:
    return {field: gettext(ERRORS[code]) for field, code in exc.errors.items()}


def _link(config: service.WalletConfig, token: str) -> str:
    return f"{config.issuer.base.url}/s/{token}"


@router.get("/wallet/presentations")
def presentation_list(request: Request, db: DbSession, user: CurrentUser, now: Now,
                      config: WalletSettings) -> Response:
    """The learner's presentations, each with its shares and whether their links work."""
    items = presentations.listing(db, config=config, user_id=user.id)
    shares = sharing.shares_of(db, config=config, user_id=user.id, now=now)
    return _page(request, "wallet/presentations.html", {
        "presentations": items, "shares": shares, "now": now, "wallet_nav": "presentations"})


def claim_rows(claims: list[disclosure.Claim]) -> list[dict[str, str]]:
    """Claims with their labels in the page's language (path, label, value)."""
    return [{"path": c.path, "label": " › ".join(gettext(part) for part in c.label),
             "value": c.value} for c in claims]


def record_item(record: Record, chosen: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """What a page shows of one record in a presentation: whole, or which claims go out."""
    options = claim_rows(disclosure.choices(record))
    return {"record": record, "title": disclosure.title_of(record) or gettext("Untitled record"),
            "issuer": disclosure.issuer_of(record), "choices": options,
            "always": claim_rows(disclosure.always_shown(record)),
            "shared": [o for o in options if o["path"] in chosen],
            "hidden": [o for o in options if o["path"] not in chosen]}


def _groups(kept: list[Record]) -> list[dict[str, Any]]:
    """Kept records by issuer (self-reported ones last, on their own)."""
    groups: dict[tuple[bool, str], list[Record]] = {}
    for record in kept:
        key = (record.self_reported, "" if record.self_reported else disclosure.issuer_of(record))
        groups.setdefault(key, []).append(record)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1].casefold()))
    return [{"self_reported": own, "issuer": issuer, "entries": [record_item(r) for r in items]}
            for (own, issuer), items in ordered]


def _new_page(request: Request, db: DbSession, user_id: str, config: service.WalletConfig,
              values: dict[str, Any], errors: dict[str, str],
              status_code: int = 200) -> Response:
    kept = [r for r in service.records(db, config=config, user_id=user_id) if r.state == "kept"]
    return _page(request, "wallet/presentation_new.html", {
        "kept": kept, "groups": _groups(kept), "values": values, "errors": errors,
        "wallet_nav": "presentations"}, status_code)


def picked_claims(form: dict[str, str], record_ids: list[str]) -> dict[str, list[str]]:
    """The ticked ``claim-{record id}-{path}`` boxes, by record."""
    out: dict[str, list[str]] = {rid: [] for rid in record_ids}
    for key, value in form.items():
        if key.startswith("claim-") and value == "yes":
            record_id, _, path = key[len("claim-"):].partition("-")
            if record_id in out and path:
                out[record_id].append(path)
    return out


@router.get("/wallet/presentations/new")
def new_presentation_page(request: Request, db: DbSession, user: CurrentUser,
                          config: WalletSettings) -> Response:
    """Pick records and name the presentation."""
    return _new_page(request, db, user.id, config, {"name": "", "records": [], "claims": {}}, {})


@router.post("/wallet/presentations/new")
def new_presentation(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                     now: Now, config: WalletSettings) -> Response:
    """Sign the picked records into a presentation with the learner's key."""
    picked = [key[len("record-"):] for key, value in form.items()
              if key.startswith("record-") and value == "yes"]
    name = form.get("name", "")
    claims = picked_claims(form, picked)
    try:
        made = presentations.create(db, config=config, user_id=user.id, name=name,
                                    record_ids=picked, now=now, disclose=claims)
    except InvalidSharingInput as exc:
        return _new_page(request, db, user.id, config,
                         {"name": name, "records": picked, "claims": claims},
                         _errors(exc), FORM_ERROR_STATUS)
    request.session["flash"] = N_("Your presentation is ready and signed with your key.")
    return RedirectResponse(f"/wallet/presentations/{made.id}", status_code=303)


def _presentation(db: DbSession, config: service.WalletConfig, user_id: str,
                  presentation_id: str) -> presentations.Presentation:
    try:
        return presentations.get(db, config=config, user_id=user_id,
                                 presentation_id=presentation_id)
    except WalletNotFound:
        raise HTTPException(404) from None


@router.get("/wallet/presentations/{presentation_id}")
def presentation_page(request: Request, presentation_id: str, db: DbSession,
                      user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """The records in the presentation and its shares."""
    pres = _presentation(db, config, user.id, presentation_id)
    shares = sharing.shares_of(db, config=config, user_id=user.id, presentation_id=pres.id)
    return _page(request, "wallet/presentation.html", {
        "p": pres, "shares": shares, "now": now, "wallet_nav": "presentations",
        "items": [record_item(r, pres.disclosed(r.id)) for r in pres.records]})


@router.get("/wallet/presentations/{presentation_id}/presentation.json")
def presentation_file(presentation_id: str, db: DbSession, user: CurrentUser,
                      config: WalletSettings) -> Response:
    """The signed presentation as a file."""
    pres = _presentation(db, config, user.id, presentation_id)
    return _private(Response(
        json.dumps(pres.vp, indent=2, ensure_ascii=False), media_type="application/json",
        headers={"Content-Disposition":
                 f'attachment; filename="presentation-{pres.id}.json"'}))


def _share_form(request: Request, db: DbSession, pres: presentations.Presentation,
                values: dict[str, str], errors: dict[str, str],
                status_code: int = 200) -> Response:
    orgs = org_shares.audiences(db)
    return _page(request, "wallet/share_new.html", {
        "p": pres, "values": values, "errors": errors, "wallet_nav": "presentations",
        "items": [record_item(r, pres.disclosed(r.id)) for r in pres.records],
        "audience_kinds": [(v, gettext(label)) for v, label in AUDIENCE_KINDS],
        "org_options": [("", gettext("Choose an organization")), *orgs],
        "expiry_options": [(v, gettext(label)) for v, label in EXPIRY_LABELS]}, status_code)


def org_sealer(request: Request) -> org_shares.OrgSealer:
    """Seals share tokens for organizations' inboxes (derived once from the app secret)."""
    sealer = getattr(request.app.state, "org_sealer", None)
    if sealer is None:
        sealer = org_shares.OrgSealer(request.app.state.settings.secret_key)
        request.app.state.org_sealer = sealer
    return sealer


@router.get("/wallet/presentations/{presentation_id}/share")
def new_share_page(request: Request, presentation_id: str, db: DbSession, user: CurrentUser,
                   config: WalletSettings) -> Response:
    """Who it is for, why, until when; and what the viewer will see."""
    pres = _presentation(db, config, user.id, presentation_id)
    return _share_form(request, db, pres, {"audience": "", "purpose": "", "audience_kind": "name",
                                           "audience_org": "", "expiry": DEFAULT_EXPIRY}, {})


@router.post("/wallet/presentations/{presentation_id}/share")
def new_share(request: Request, presentation_id: str, form: CheckedForm, db: DbSession,
              user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """Make the share link and go to its page (link, QR code, openings, stop)."""
    pres = _presentation(db, config, user.id, presentation_id)
    kind = "org" if form.get("audience_kind") == "org" else "name"
    values = {"audience": form.get("audience", ""), "purpose": form.get("purpose", ""),
              "expiry": form.get("expiry", ""), "audience_kind": kind,
              "audience_org": form.get("audience_org", "")}
    try:
        made = sharing.create_share(
            db, config=config, user_id=user.id, presentation_id=pres.id, now=now,
            audience="" if kind == "org" else values["audience"], purpose=values["purpose"],
            expiry=values["expiry"],
            audience_org_id=(values["audience_org"] or "-") if kind == "org" else "",
            org_sealer=org_sealer(request))
    except InvalidSharingInput as exc:
        return _share_form(request, db, pres, values, _errors(exc), FORM_ERROR_STATUS)
    request.session["flash"] = N_("Your share link is ready. Send it only to the people it is for.")
    return RedirectResponse(f"/wallet/shares/{made.id}", status_code=303)


def _share(db: DbSession, config: service.WalletConfig, user_id: str,
           share_id: str) -> sharing.Share:
    try:
        return sharing.get_share(db, config=config, user_id=user_id, share_id=share_id)
    except WalletNotFound:
        raise HTTPException(404) from None


@router.get("/wallet/shares/{share_id}")
def share_page(request: Request, share_id: str, db: DbSession, user: CurrentUser, now: Now,
               config: WalletSettings) -> Response:
    """The link and its QR code, whether it works, who opened it when, and the stop button."""
    share = _share(db, config, user.id, share_id)
    pres = _presentation(db, config, user.id, share.presentation_id)
    link = _link(config, share.token)
    state = share.state(now)
    # Openings by a member of the organization the share is addressed to carry its name;
    # other openings of the same link are "someone with the link".
    by_org = org_shares.viewers(db, share_id=share.id)
    addressed = org_shares.addressed_to_org(db, share_id=share.id)
    return _page(request, "wallet/share.html", {
        "share": share, "p": pres, "state": state, "link": link, "wallet_nav": "presentations",
        "by_org": by_org, "addressed": addressed,
        "qr": qr_svg(link, title=gettext("QR code of the share link")) if state == "active"
        else ""})


@router.post("/wallet/shares/{share_id}/stop")
def stop_share(request: Request, share_id: str, form: CheckedForm, db: DbSession,
               user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """Stop the share now: the link refuses from this moment."""
    try:
        sharing.stop_share(db, config=config, user_id=user.id, share_id=share_id, now=now)
    except WalletNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = N_("The share is stopped. The link no longer shows anything.")
    return RedirectResponse(f"/wallet/shares/{share_id}", status_code=303)


def _refused(request: Request, exc: ShareRefused) -> Response:
    return _page(request, "wallet/share_refused.html", {"reason": exc.reason, "nav": ""},
                 REFUSED_STATUS.get(exc.reason, 410))


@router.get("/s/{token}")
def shared_page(request: Request, token: str, db: DbSession, now: Now,
                config: WalletSettings) -> Response:
    """What the learner shared, with a fresh check of each record (no sign-in)."""
    try:
        view = sharing.open_link(db, config=config, token=token, now=now,
                                 language=_language(request))
    except ShareRefused as exc:
        return _refused(request, exc)
    return _page(request, "wallet/shared.html", {
        "view": view, "token": token, "nav": "",
        "claim_label": lambda c: " › ".join(gettext(part) for part in c.label)})


@router.get("/s/{token}/presentation.json")
def shared_file(request: Request, token: str, db: DbSession, now: Now) -> Response:
    """The signed presentation behind the link, for the viewer's own software."""
    try:
        document = sharing.link_document(db, token=token, now=now)
    except ShareRefused as exc:
        return _refused(request, exc)
    return _private(Response(
        json.dumps(document, indent=2, ensure_ascii=False), media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="presentation.json"'}))


@router.get("/s/{token}/evidence/{record_index}/{n}")
def shared_evidence_file(request: Request, token: str, record_index: int, n: int,
                         db: DbSession, now: Now) -> Response:
    """An evidence file of a shared record, while the link is live (a download, not an
    opening: nothing is logged); PDF, PNG, JPEG or plain text only, never shown inline."""
    try:
        item = shared_evidence.shared_file(db, token=token, now=now,
                                           record_index=record_index, n=n)
    except ShareRefused as exc:
        return _refused(request, exc)
    except WalletNotFound:
        raise HTTPException(404) from None
    return _private(Response(item.content, media_type=item.media_type, headers={
        "Content-Disposition": f'attachment; filename="{download_name(item)}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox"}))
