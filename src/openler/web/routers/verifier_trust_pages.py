"""Trust registry pages of a verifying organization: the issuers it recognises.

``/orgs/{org_id}/trust`` lists the recognised issuers (with the registry that
vouched for each), adds or removes one, and imports a Digital Credentials
Consortium issuer registry file (``openler.verifier.trust``): good entries are
kept, the others listed with their reason, and a file that is not a registry
changes nothing. Owners and verifier staff only (404 outside the organization,
403 for other roles); the shared helpers of the verifier pages live here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from openler.accounts import service as accounts
from openler.accounts.errors import NotAllowed
from openler.accounts.models import Role
from openler.storage.tables import Organization, User
from openler.verifier import trust
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private
from openler.web.security import CheckedForm, checked_form
from openler.web.templating import render

router = APIRouter(prefix="/orgs/{org_id}")
VERIFIER_ROLES = (Role.OWNER, Role.VERIFIER_STAFF)
MAX_UPLOAD = 2_000_000
TRUST_PROBLEMS = {
    "required": N_("this is empty. Fill it in."),
    "bad_did": N_("enter a DID such as did:web:example.org or did:key:z6Mk…"),
    "already_listed": N_("this issuer is already on your list."),
    "too_long": N_("this is too long. Use fewer characters."),
}
FILE_PROBLEMS = {
    "empty": N_("Choose a registry file."),
    "too_big": N_("This file is larger than 2 MB. Check that you chose the registry file."),
    "too_many": N_("This registry has more than 5,000 issuers. Split it into smaller files."),
    "not_json": N_("This file is not JSON. Choose the registry's .json file."),
    "no_registry": N_("This JSON file is not an issuer registry: it needs a “registry” object "
                      "whose keys are DIDs."),
}
ENTRY_PROBLEMS = {
    "bad_did": N_("not a valid DID"),
    "missing_name": N_("no name is given"),
    "not_an_object": N_("the entry is not an object with a name"),
    "too_long": N_("the name, address or place is too long"),
    "duplicate": N_("listed twice in this file; the first was kept"),
    "already_listed": N_("already on your list; the entry there was kept"),
}
FIELD_LABELS = {"did": N_("Issuer DID"), "name": N_("Issuer name"),
                "accreditation": N_("Accreditation note"),
                "registry_name": N_("Name of the registry"), "registry_file": N_("Registry file")}


def member(db: DbSession, user: User, org_id: str) -> Organization:
    """The organization, for its owners and verifier staff (404 outside it, 403 other roles)."""
    mine = accounts.membership(db, user=user, org_id=org_id)
    if mine.role not in VERIFIER_ROLES:
        raise NotAllowed("verify")
    return mine.organization


def page(request: Request, template: str, context: dict[str, Any],
         status_code: int = 200) -> Response:
    """Render a verifier page: never cached, its address never sent on as a referrer."""
    return private(render(request, template, {"nav": "orgs", **context},
                          status_code=status_code))


async def read_form(request: Request) -> Any:
    """The multipart form, or None when it is too large or malformed (nothing is kept)."""
    try:
        return await request.form(max_part_size=MAX_UPLOAD + 1)
    except Exception:  # oversized or malformed multipart: nothing read, nothing kept
        return None


def _trust_messages(errors: dict[str, str]) -> dict[str, str]:
    return {field: gettext("%(field)s: %(problem)s") % {
        "field": gettext(FIELD_LABELS.get(field, field)),
        "problem": gettext(TRUST_PROBLEMS.get(code, TRUST_PROBLEMS["required"]))}
        for field, code in errors.items()}


def _trust_page(request: Request, db: DbSession, org: Organization, *,
                values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                imported: trust.ImportReport | None = None, status_code: int = 200) -> Response:
    return page(request, "verifier/trust.html", {
        "org": org, "entries": trust.entries(db, org_id=org.id),
        "registries": trust.registries(db, org_id=org.id), "values": values or {},
        "errors": errors or {}, "imported": imported, "entry_problems": ENTRY_PROBLEMS},
        status_code)


@router.get("/trust")
def trust_page(request: Request, org_id: str, db: DbSession, user: CurrentUser) -> Response:
    """The issuers this organization recognises, and the registries it imported."""
    return _trust_page(request, db, member(db, user, org_id))


@router.post("/trust/issuers")
def add_issuer(request: Request, org_id: str, form: CheckedForm, db: DbSession,
               user: CurrentUser, now: Now) -> Response:
    """Recognise one issuer by its DID."""
    org = member(db, user, org_id)
    values = {k: form.get(k, "") for k in ("did", "name", "accreditation")}
    try:
        trust.add_issuer(db, org_id=org.id, user_id=user.id, now=now, **values)
    except trust.TrustInputError as exc:
        return _trust_page(request, db, org, values=values, errors=_trust_messages(exc.errors),
                           status_code=FORM_ERROR_STATUS)
    request.session["flash"] = N_("The issuer is added to your trusted issuers.")
    return RedirectResponse(f"/orgs/{org.id}/trust", status_code=303)


@router.post("/trust/issuers/{entry_id}/remove")
def remove_issuer(request: Request, org_id: str, entry_id: str, form: CheckedForm,
                  db: DbSession, user: CurrentUser) -> Response:
    """Stop recognising one issuer."""
    org = member(db, user, org_id)
    try:
        trust.remove_issuer(db, org_id=org.id, entry_id=entry_id)
    except trust.TrustNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = N_("The issuer is removed from your trusted issuers.")
    return RedirectResponse(f"/orgs/{org.id}/trust", status_code=303)


@router.post("/trust/registries/{registry_id}/remove")
def remove_registry(request: Request, org_id: str, registry_id: str, form: CheckedForm,
                    db: DbSession, user: CurrentUser) -> Response:
    """Forget an imported registry and the issuers it brought."""
    org = member(db, user, org_id)
    try:
        trust.remove_registry(db, org_id=org.id, registry_id=registry_id)
    except trust.TrustNotFound:
        raise HTTPException(404) from None
    request.session["flash"] = N_("The registry and its issuers are removed.")
    return RedirectResponse(f"/orgs/{org.id}/trust", status_code=303)


@router.post("/trust/import")
async def import_registry(request: Request, org_id: str, db: DbSession, user: CurrentUser,
                          now: Now) -> Response:
    """Import a registry file: good entries kept, the others listed with their reason."""
    org = member(db, user, org_id)
    form = await read_form(request)
    if form is None:
        return _trust_page(request, db, org, errors={
            "registry_file": gettext(FILE_PROBLEMS["too_big"])}, status_code=FORM_ERROR_STATUS)
    await checked_form(request)
    name = form.get("registry_name") if isinstance(form.get("registry_name"), str) else ""
    values = {"registry_name": name}
    upload = form.get("registry_file")
    errors: dict[str, str] = {}
    if not name.strip():
        errors.update(_trust_messages({"registry_name": "required"}))
    elif len(name.strip()) > trust.MAX_NAME:
        errors.update(_trust_messages({"registry_name": "too_long"}))
    data = b""
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["registry_file"] = gettext(FILE_PROBLEMS["empty"])
    else:
        data = await upload.read(trust.MAX_FILE_BYTES + 1)
        if not data:
            errors["registry_file"] = gettext(FILE_PROBLEMS["empty"])
    if not errors:
        try:
            imported = trust.import_registry(db, org_id=org.id, user_id=user.id, name=name,
                                             data=data, now=now)
        except trust.RegistryFileError as exc:
            errors["registry_file"] = gettext(FILE_PROBLEMS.get(exc.code,
                                                                FILE_PROBLEMS["no_registry"]))
        except trust.TrustInputError as exc:
            errors.update(_trust_messages(exc.errors))
    if errors:
        return _trust_page(request, db, org, values=values, errors=errors,
                           status_code=FORM_ERROR_STATUS)
    if imported.registry_id is None:
        return _trust_page(request, db, org, values=values, imported=imported, errors={
            "registry_file": gettext(N_("No issuer in this file could be added. The reasons "
                                        "are listed below."))},
            status_code=FORM_ERROR_STATUS)
    return _trust_page(request, db, org, imported=imported)
