"""Backup and leaving: an encrypted backup file, restore into any OpenLER instance, an export
in standard formats, and deleting the account with everything in it.

``/wallet/backup`` downloads the encrypted backup (passphrase typed twice) and
links to the export and to restore; ``/wallet/export`` explains the ZIP and
``/wallet/export.zip`` downloads it; ``/wallet/restore`` takes the file and its
passphrase into this learner's empty wallet and says, step by step, what came
back. Deleting the account is ``/account/delete`` (routers/account.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from openler.wallet import backup, export
from openler.wallet.backup import BackupError, InvalidBackupInput
from openler.wallet.backup_content import wallet_counts
from openler.web.deps import CurrentUser, DbSession, Now
from openler.web.errors import FORM_ERROR_STATUS
from openler.web.i18n import N_, gettext
from openler.web.private import private as _private
from openler.web.routers.wallet import WalletSettings
from openler.web.security import CheckedForm
from openler.web.templating import render

router = APIRouter()

PASSPHRASE_ERRORS = {
    ("passphrase", "required"): N_("Enter a passphrase for the backup."),
    ("passphrase", "too_short"): N_("Use at least 12 characters for the passphrase. A few "
                                    "unrelated words are long and easy to remember."),
    ("passphrase", "too_long"): N_("The passphrase is too long. Use fewer characters."),
    ("confirm_passphrase", "required"): N_("Type the passphrase again, to be sure of it."),
    ("confirm_passphrase", "mismatch"): N_("The two passphrases are not the same. "
                                           "Type them again."),
}
RESTORE_ERRORS = {
    "no_file": N_("Choose your backup file."),
    "required": N_("Enter the passphrase of the backup."),
    "not_backup": N_("This file is not an OpenLER wallet backup. Choose the file you "
                     "downloaded from “Backup and export”."),
    "truncated": N_("The file is incomplete: it ends too early. Copy or download it again, "
                    "then try once more."),
    "version": N_("This backup was made by a newer version of OpenLER, which this site "
                  "cannot read yet. Ask the people who run this site to update it."),
    "passphrase": N_("The passphrase does not open this backup. Check it and try again."),
    "tampered": N_("The file was changed after it was made, so it cannot be trusted. Use an "
                   "unchanged copy of your backup."),
    "too_large": N_("The file is too large to be a wallet backup."),
    "not_empty": N_("Your wallet on this site already has records. A backup only goes into an "
                    "empty wallet, so that two wallets are never mixed. Delete those records "
                    "first, or restore into a new account."),
}
FILE_FIELD = "backup_file"



def _page(request: Request, template: str, context: dict[str, Any],
          status_code: int = 200) -> Response:
    return _private(render(request, template, {"nav": "wallet", "wallet_nav": "backup",
                                               "errors": {}, **context},
                           status_code=status_code))


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return _private(Response(content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'}))


async def uploaded_backup(request: Request) -> bytes | None:
    """The uploaded backup file's bytes (the form is read once and cached by Starlette)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    form = await request.form()
    item = form.get(FILE_FIELD)
    if item is None or isinstance(item, str):
        return None
    data = await item.read(backup.MAX_FILE_BYTES + 1)
    return data or None


UploadedBackup = Annotated[bytes | None, Depends(uploaded_backup)]


@router.get("/wallet/backup")
def backup_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """Download an encrypted backup, export the records, or restore a backup."""
    return _page(request, "wallet/backup.html", {
        "counts": wallet_counts(db, user_id=user.id), "min_length": backup.PASSPHRASE_MIN})


@router.post("/wallet/backup")
def download_backup(request: Request, form: CheckedForm, db: DbSession, user: CurrentUser,
                    now: Now, config: WalletSettings) -> Response:
    """The whole wallet as one file, encrypted with the learner's passphrase."""
    try:
        data = backup.create_backup(db, config=config, user_id=user.id,
                                    passphrase=form.get("passphrase", ""),
                                    confirm=form.get("confirm_passphrase", ""), now=now)
    except InvalidBackupInput as exc:
        errors = {field: gettext(PASSPHRASE_ERRORS[(field, code)])
                  for field, code in exc.errors.items()}
        return _page(request, "wallet/backup.html", {
            "counts": wallet_counts(db, user_id=user.id), "errors": errors,
            "min_length": backup.PASSPHRASE_MIN}, FORM_ERROR_STATUS)
    return _attachment(data, "application/json",
                       f"openler-wallet-backup-{now.date().isoformat()}.json")


@router.get("/wallet/export")
def export_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """What the export holds and what it is for, with the download button."""
    return _page(request, "wallet/export.html", {"counts": wallet_counts(db, user_id=user.id)})


@router.get("/wallet/export.zip")
def export_file(db: DbSession, user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """Every record in its standard format, and a CLR 2.0 bundle signed by the learner."""
    data = export.export_zip(db, config=config, user_id=user.id, learner_name=user.name,
                             now=now)
    return _attachment(data, "application/zip",
                       f"openler-wallet-export-{now.date().isoformat()}.zip")


@router.get("/wallet/restore")
def restore_page(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """Upload a backup file and type its passphrase."""
    return _page(request, "wallet/restore.html", {"counts": wallet_counts(db, user_id=user.id)})


@router.post("/wallet/restore")
def restore(request: Request, form: CheckedForm, upload: UploadedBackup, db: DbSession,
            user: CurrentUser, now: Now, config: WalletSettings) -> Response:
    """Bring the backup into this learner's empty wallet and say what came back."""
    passphrase = form.get("passphrase", "")
    errors: dict[str, str] = {}
    if upload is None:
        errors[FILE_FIELD] = gettext(RESTORE_ERRORS["no_file"])
    if not passphrase:
        errors["passphrase"] = gettext(RESTORE_ERRORS["required"])
    if not errors:
        try:
            summary = backup.restore_backup(db, config=config, user_id=user.id,
                                            data=upload or b"", passphrase=passphrase, now=now)
        except BackupError as exc:
            field = "passphrase" if exc.code == "passphrase" else FILE_FIELD
            errors[field] = gettext(RESTORE_ERRORS.get(exc.code, RESTORE_ERRORS["not_backup"]))
        else:
            return _page(request, "wallet/restore_done.html", {"summary": summary})
    return _page(request, "wallet/restore.html", {
        "counts": wallet_counts(db, user_id=user.id), "errors": errors}, FORM_ERROR_STATUS)
