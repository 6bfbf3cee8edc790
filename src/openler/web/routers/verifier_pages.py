"""Verifier pages of an organization: verify anything, and (included) the trust registry.

``/orgs/{org_id}/verify`` takes pasted text, a file, a photo or screenshot of a
QR code (decoded offline by ``openler.verifier.qr_image``; PNG or JPEG up to
5 MB; it may hold a share link, a credential, or a wallet link that we explain
instead of checking), or an OpenLER share link
(``/s/<token>`` here or on another instance; another instance's
``presentation.json`` is fetched through the app's SSRF-guarded fetcher, which
caches by the answer's HTTP cache headers, RFC 9111) and shows the plain-language
report (``templates/verifier/_report.html``), with, in its technical details, whether
each document fetched from another host came from that cache and how old it was.
Nothing is kept. Status lists and did:web
documents of other hosts go through the same fetcher (``wallet.verification.context``).
The trust pages (``verifier_trust_pages``) are included in this router. Owners and
verifier staff only: 404 outside the organization, 403 for other roles. Every bad
input gets a specific message and changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from openler.core.errors import CoreError, VerificationInputError
from openler.core.sdjwt import looks_like_sd_jwt
from openler.core.verify import VerificationResult
from openler.core.verify.checks import as_list
from openler.core.verify.vc_jose import looks_like_jws
from openler.net.http_cache import CacheInfo
from openler.storage.tables import Organization
from openler.verifier import qr_image, trust
from openler.verifier import report as reports
from openler.verifier.inputs import verify_with_document
from openler.wallet import sharing, verification
from openler.wallet.sharing import ShareRefused
from openler.web.api.deps import Config, language_of, outbound_fetcher
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.routers import verifier_trust_pages
from openler.web.routers.verifier_trust_pages import MAX_UPLOAD, member, page, read_form
from openler.web.security import checked_form

pages = APIRouter(prefix="/orgs/{org_id}")
ECHO_LIMIT = 100_000
SHARE_PATH = re.compile(r"^(?P<prefix>.*?)/s/(?P<token>[A-Za-z0-9_-]{8,200})"
                        r"(?:/presentation\.json)?/?$")

VERIFY_PROBLEMS = {
    "empty": N_("Paste the text, choose a file, or give a share link."),
    "too_big": N_("This is larger than 2 MB. A credential or presentation is much smaller: "
                  "check that you chose the right file."),
    "not_text": N_("We cannot read this file. Choose a JSON, JWT or SD-JWT file."),
    "not_readable": N_("This is not a credential or presentation: it is not JSON, a JWT or an "
                       "SD-JWT. If you pasted it, check that you copied all of it."),
    "bad_link": N_("This is not a share link. It looks like https://example.org/s/ followed "
                   "by a code."),
    "link_unknown": N_("Nothing is shared at this link. Check that you copied all of it."),
    "link_stopped": N_("This share link no longer works: the person stopped it or it "
                       "expired. Ask them for a new link."),
    "link_unreachable": N_("We could not open this link: the site did not answer or is not "
                           "allowed. Check the address, or ask for the file instead."),
    "link_not_json": N_("The link answered, but not with a presentation we can read."),
    "cannot_verify": N_("This could not be checked at all. Ask for the file in another "
                        "format."),
}
QR_PROBLEMS = {
    "too_big": N_("This image is larger than 5 MB. A photo or screenshot of a QR code is much "
                  "smaller: crop it or take a smaller photo."),
    "unreadable": N_("We cannot open this image. Choose a PNG or JPEG photo or screenshot of "
                     "the QR code."),
    "none": N_("We found no QR code in this image. Take a sharper photo with the whole code "
               "in view, or a screenshot."),
    "several": N_("This image has more than one QR code. Crop it so that only the code to "
                  "check is in view."),
    "offer": N_("This QR code is a credential offer meant for a digital wallet app: the "
                "person scans it with their wallet to receive the credential. It cannot be "
                "checked here. Ask the person for a share link or the file instead."),
    "request": N_("This QR code is a request meant for a digital wallet app: a wallet scans "
                  "it to send records to whoever made the request. It cannot be checked "
                  "here. Ask the person for a share link or the file instead."),
    "web_link": N_("This QR code holds a web address that is not an OpenLER share link: "
                   "%(text)s"),
    "other": N_("This QR code holds something that is not a credential, a presentation or a "
                "share link: %(text)s"),
}
QR_ECHO = 200
# ---- verify ---------------------------------------------------------------------------------

def _verify_page(request: Request, org: Organization, *, values: dict[str, str] | None = None,
                 errors: dict[str, str] | None = None, report: reports.Report | None = None,
                 source: str = "", fetched: list[CacheInfo] | None = None,
                 status_code: int = 200) -> Response:
    values = values or {}
    if len(values.get("text", "")) > ECHO_LIMIT:
        values = {**values, "text": ""}
    return page(request, "verifier/verify.html", {
        "org": org, "values": values, "errors": errors or {}, "report": report,
        "source": source, "fetched": fetched or []}, status_code)


@pages.get("/verify")
def verify_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The form: paste, upload or give a share link."""
    return _verify_page(request, member(db, user, org_id))


class _Refused(Exception):
    def __init__(self, code: str, field: str, message: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.message = message

    def text(self) -> str:
        return self.message or gettext(VERIFY_PROBLEMS[self.code])


def _qr_refused(code: str, shown: str = "") -> _Refused:
    if len(shown) > QR_ECHO:
        shown = shown[:QR_ECHO] + "…"
    return _Refused(code, "qr", gettext(QR_PROBLEMS[code]) % {"text": shown})


def _looks_like_credential(text: str) -> bool:
    return text.startswith(("{", "[")) or looks_like_sd_jwt(text) or looks_like_jws(text)


def _read_qr(data: bytes) -> qr_image.QrContent:
    """What the QR code in an uploaded image holds (refused when it holds nothing we check)."""
    if not data:
        raise _qr_refused("unreadable")
    try:
        text = qr_image.decode_qr(data)
    except qr_image.QrImageError as exc:
        raise _qr_refused(exc.code) from None
    stripped = text.strip().lstrip("\ufeff")
    found = qr_image.classify(stripped, looks_like_credential=_looks_like_credential(stripped))
    if found.kind == "wallet_link":
        raise _qr_refused("offer" if "offer" in found.scheme else "request")
    if found.kind == "share_link":
        try:
            _share_link(found.text)
        except _Refused:
            raise _qr_refused("web_link", found.text) from None
    elif found.kind == "web_link":
        raise _qr_refused("web_link", found.text)
    elif found.kind == "other":
        raise _qr_refused("other", found.text)
    return found


def _share_link(link: str) -> tuple[str, str]:
    """(instance base URL, token) of an OpenLER share link."""
    parts = urlsplit(link.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise _Refused("bad_link", "link")
    match = SHARE_PATH.match(parts.path)
    if match is None:
        raise _Refused("bad_link", "link")
    return f"{parts.scheme}://{parts.netloc.lower()}{match['prefix'].rstrip('/')}", match["token"]


def _fetch_link(request: Request, db: DbSession, config: Any, now: Any,
                link: str) -> tuple[Any, str]:
    """The presentation behind a share link, and the domain it must be bound to."""
    base, token = _share_link(link)
    if base == config.base.url or base == str(request.base_url).rstrip("/"):
        try:
            return sharing.link_document(db, token=token, now=now), config.base.url
        except ShareRefused as exc:
            raise _Refused("link_unknown" if exc.reason == "unknown" else "link_stopped",
                           "link") from None
    try:
        response = outbound_fetcher(request).fetch(f"{base}/s/{token}/presentation.json")
    except CoreError:
        raise _Refused("link_unreachable", "link") from None
    if response.status == 404:
        raise _Refused("link_unknown", "link")
    if response.status == 410:
        raise _Refused("link_stopped", "link")
    if response.status != 200:
        raise _Refused("link_unreachable", "link")
    try:
        document = json.loads(response.body)
    except (ValueError, RecursionError):
        raise _Refused("link_not_json", "link") from None
    if not isinstance(document, dict):
        raise _Refused("link_not_json", "link")
    return document, base


def _first_proof(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        return {}
    proofs = [p for p in as_list(document.get("proof")) if isinstance(p, dict)]
    return proofs[0] if proofs else {}


def _run(db: DbSession, request: Request, config: Any, now: Any, value: Any, *,
         challenge: str | None, domain: str | None,
         stored_share: bool) -> tuple[VerificationResult, Any, list[CacheInfo]]:
    """Verify in this worker thread, noting each outside fetch (cache or network)."""
    fetcher = outbound_fetcher(request)
    recording = getattr(fetcher, "recording", None)
    if recording is None:  # a fetcher without a cache (tests' fakes) tells nothing
        return (*_check(db, request, config, now, value, challenge=challenge, domain=domain,
                        stored_share=stored_share, fetcher=fetcher), [])
    with recording() as log:
        result, document = _check(db, request, config, now, value, challenge=challenge,
                                  domain=domain, stored_share=stored_share, fetcher=fetcher)
    return result, document, list(log)


def _check(db: DbSession, request: Request, config: Any, now: Any, value: Any, *,
           challenge: str | None, domain: str | None, stored_share: bool,
           fetcher: Any) -> tuple[VerificationResult, Any]:
    settings = request.app.state.settings
    ctx = verification.context(db, config=config, now=now, language=language_of(request),
                               fetcher=fetcher,
                               allow_private=bool(settings.fetch_allow_private))
    ctx = replace(ctx, challenge=challenge or None, domain=domain or None,
                  audience=domain or None)
    if stored_share:
        ctx.kb_max_age_seconds = None  # a share is opened days after it was signed
    return verify_with_document(value, ctx)


@pages.post("/verify")
async def verify_submit(request: Request, org_id: str, db: DbSession, user: CurrentUser,
                        now: Now, config: Config) -> Response:
    """Verify what was given and show the report; nothing is stored."""
    org = member(db, user, org_id)
    form = await read_form(request)
    if form is None:
        return _verify_page(request, org, errors={"file": gettext(VERIFY_PROBLEMS["too_big"])},
                            status_code=FORM_ERROR_STATUS)
    await checked_form(request)
    values = {k: form.get(k) if isinstance(form.get(k), str) else ""
              for k in ("text", "link", "challenge", "domain")}
    upload, picture = form.get("file"), form.get("qr")
    challenge, domain = values["challenge"].strip(), values["domain"].strip()
    try:
        stored_share = False
        if isinstance(upload, UploadFile) and upload.filename:
            field, source = "file", upload.filename
            content: Any = await upload.read(MAX_UPLOAD + 1)
            if not content:
                raise _Refused("empty", field)
            if len(content) > MAX_UPLOAD:
                raise _Refused("too_big", field)
        elif isinstance(picture, UploadFile) and picture.filename:
            image = await picture.read(qr_image.MAX_QR_BYTES + 1)
            found = await run_in_threadpool(_read_qr, image)
            field, source, content = "qr", picture.filename, found.text
            if found.kind == "share_link":
                source = found.text
                try:
                    content, bound = await run_in_threadpool(_fetch_link, request, db, config,
                                                             now, found.text)
                except _Refused as exc:
                    raise _Refused(exc.code, "qr") from None
                challenge = challenge or str(_first_proof(content).get("challenge") or "")
                domain = domain or bound
                stored_share = True
        elif values["text"].strip():
            field, source, content = "text", "", values["text"]
            if len(content) > MAX_UPLOAD:
                raise _Refused("too_big", field)
        elif values["link"].strip():
            field, source = "link", values["link"].strip()
            content, bound = await run_in_threadpool(_fetch_link, request, db, config, now,
                                                     source)
            challenge = challenge or str(_first_proof(content).get("challenge") or "")
            domain = domain or bound
            stored_share = True
        else:
            raise _Refused("empty", "text")
        try:
            result, document, fetched = await run_in_threadpool(
                _run, db, request, config, now, content, challenge=challenge, domain=domain,
                stored_share=stored_share)
        except VerificationInputError as exc:
            code = "not_text" if field == "file" and "UTF-8" in str(exc) else "not_readable"
            raise _Refused(code, field) from None
        except CoreError:
            raise _Refused("cannot_verify", field) from None
    except _Refused as exc:
        return _verify_page(request, org, values=values,
                            errors={exc.field: exc.text()}, status_code=FORM_ERROR_STATUS)
    built = reports.build(result, document=document,
                          trust=trust.lookup_for(db, org_id=org.id))
    return _verify_page(request, org, values=values, report=built, source=source,
                        fetched=fetched)


router = APIRouter()  # what the app registers: the verify pages and the trust pages
router.include_router(pages)
router.include_router(verifier_trust_pages.router)
