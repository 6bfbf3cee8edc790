"""The wallet's import page: a file or pasted text (VC JSON, VC-JOSE, SD-JWT VC, Open Badges 2.0),
verified on arrival and shown in plain words before the learner keeps it.

``GET/POST /wallet/import`` takes one file (JSON, JWT, SD-JWT, or a baked PNG/SVG badge) or
pasted text, at most 1 MB. A single credential lands on its pending record page; a
presentation first lists the credentials it holds (``POST /wallet/import/presentation``)
and each one the learner picks becomes its own pending record. Anything that cannot be
imported stores nothing and is explained in the error summary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from openler.wallet import importing
from openler.wallet.formats import MAX_BYTES, Detected, ImportRefused, detect
from openler.wallet.summary import summarize_any
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.routers.wallet import WalletSettings, _language, _private
from openler.web.security import checked_form
from openler.web.templating import render

router = APIRouter()
FORM_LIMIT = 4 * MAX_BYTES  # what the form parser reads of one part before refusing it
ECHO_LIMIT = 100_000  # pasted text shown again with an error (longer text is not echoed)
REFUSALS = {
    "empty": N_("Choose a file, or paste the text of a record."),
    "too_big": N_("This is larger than 1 MB. A record is much smaller: check that you chose "
                  "the right file."),
    "not_text": N_("We cannot read this file. Choose a record file (JSON, JWT or SD-JWT) or a "
                   "badge image (PNG or SVG)."),
    "not_readable": N_("This is not a record we can read: it is not JSON, a JWT or an SD-JWT. "
                       "If you pasted it, check that you copied all of it."),
    "not_credential": N_("This can be read, but it is not a credential: it does not say who "
                         "issued what to whom."),
    "unsupported": N_("We cannot add this kind of record. Use a verifiable credential (such as "
                      "Open Badges 3.0 or CLR 2.0), an SD-JWT credential, an Open Badges 2.0 "
                      "badge, or a badge image in PNG or SVG."),
    "bad_image": N_("This image is damaged, or it is not a PNG or SVG image we can read."),
    "no_badge_in_image": N_("This image has no badge inside it. Ask the issuer for the badge "
                            "file, or for the image with the badge baked in."),
    "hosted_only": N_("This only gives the web address where the badge is kept. Open that "
                      "address, save the badge as a file, and add the file here."),
    "duplicate": N_("This record is already in your wallet."),
    "empty_presentation": N_("This presentation holds no record we can read."),
    "none_chosen": N_("Choose at least one record to add."),
}


def _page(request: Request, *, errors: dict[str, str], text: str = "",
          status_code: int = 200) -> Response:
    return _private(render(request, "wallet/import.html", {
        "errors": errors, "text": text if len(text) <= ECHO_LIMIT else "", "nav": "wallet",
        "max_mb": MAX_BYTES // 1_000_000}, status_code=status_code))


def _refused(request: Request, code: str, field: str, text: str = "") -> Response:
    message = gettext(REFUSALS.get(code, REFUSALS["unsupported"]))
    return _page(request, errors={field: message}, text=text, status_code=FORM_ERROR_STATUS)


@router.get("/wallet/import")
def import_page(request: Request, user: CurrentUser) -> Response:
    """The form: choose a file or paste the text, and what can be added."""
    return _page(request, errors={})


async def _read_form(request: Request) -> Any:
    try:
        return await request.form(max_part_size=FORM_LIMIT)
    except Exception:  # an oversized or malformed body: nothing was read, nothing is kept
        return None


def _choose_page(request: Request, detected: Detected, source: str,
                 errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    items = [(index, candidate, summarize_any(candidate.credential, candidate.record_format))
             for index, candidate in enumerate(detected.candidates)]
    return _private(render(request, "wallet/import_presentation.html", {
        "items": items, "source": source, "errors": errors or {}, "nav": "wallet"},
        status_code=status_code))


def _landing(request: Request, outcome: importing.ImportOutcome) -> Response:
    if outcome.duplicates:
        request.session["flash"] = N_("Records already in your wallet were left out.")
    if len(outcome.records) == 1:
        return RedirectResponse(f"/wallet/records/{outcome.records[0].id}", status_code=303)
    if not outcome.duplicates:
        request.session["flash"] = N_("The records are waiting for your answer. Open each one "
                                      "to read its check, then keep it or not.")
    return RedirectResponse("/wallet", status_code=303)


@router.post("/wallet/import")
async def import_record(request: Request, db: DbSession, user: CurrentUser, now: Now,
                        config: WalletSettings) -> Response:
    """Detect what was given, verify it and keep it pending (a presentation: choose first)."""
    form = await _read_form(request)
    if form is None:
        return _refused(request, "too_big", "file")
    await checked_form(request)  # CSRF (the form is already read)
    upload = form.get("file")
    text = form.get("text") if isinstance(form.get("text"), str) else ""
    field = "text"
    if isinstance(upload, UploadFile) and upload.filename:
        content: bytes | str = await upload.read(MAX_BYTES + 1)
        field = "file"
        if not content:
            return _refused(request, "empty", field)
    else:
        content = text
    try:
        detected = detect(content)
    except ImportRefused as exc:
        return _refused(request, exc.code, field, text)
    if detected.presentation:
        source = content if isinstance(content, str) else content.decode("utf-8", "replace")
        return _choose_page(request, detected, source)
    try:
        outcome = importing.import_candidates(db, config=config, user_id=user.id,
                                              candidates=detected.candidates, now=now,
                                              language=_language(request))
    except ImportRefused as exc:
        return _refused(request, exc.code, field, text)
    return _landing(request, outcome)


@router.post("/wallet/import/presentation")
async def import_from_presentation(request: Request, db: DbSession, user: CurrentUser,
                                   now: Now, config: WalletSettings) -> Response:
    """Keep, pending, each credential of the presentation that the learner picked."""
    form = await _read_form(request)
    if form is None:
        return _refused(request, "too_big", "file")
    await checked_form(request)
    source = form.get("presentation") if isinstance(form.get("presentation"), str) else ""
    try:
        detected = detect(source)
    except ImportRefused as exc:
        return _refused(request, exc.code, "text")
    if not detected.presentation:
        return _refused(request, "empty_presentation", "text")
    picked = {value for value in form.getlist("pick") if isinstance(value, str)}
    chosen = [c for index, c in enumerate(detected.candidates) if str(index) in picked]
    if not chosen:
        return _choose_page(request, detected, source,
                            {"pick": gettext(REFUSALS["none_chosen"])}, FORM_ERROR_STATUS)
    try:
        outcome = importing.import_candidates(db, config=config, user_id=user.id,
                                              candidates=chosen, now=now,
                                              language=_language(request))
    except ImportRefused as exc:
        return _choose_page(request, detected, source,
                            {"pick": gettext(REFUSALS.get(exc.code, REFUSALS["duplicate"]))},
                            FORM_ERROR_STATUS)
    return _landing(request, outcome)
