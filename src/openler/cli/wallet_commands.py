"""`openler wallet restore FILE --email EMAIL`: restore an encrypted wallet backup.

  wallet restore FILE --email EMAIL
      restore the backup FILE (made on any OpenLER site, ``openler.wallet.backup``)
      into the empty wallet of the account with that email on this instance, with a
      progress bar. The passphrase is asked for (hidden), or read from the variable
      OPENLER_BACKUP_PASSPHRASE. Exit 0 restored, 1 refused (wrong passphrase,
      changed or cut file, unknown version, wallet not empty: nothing changed),
      2 unusable (no such account, unreadable file).

Settings come from OPENLER_* variables, like `openler serve` (the same database and
secret, so the restored wallet is sealed under the keys the web app uses).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

EXIT_DONE, EXIT_REFUSED, EXIT_UNUSABLE = 0, 1, 2
PASSPHRASE_VARIABLE = "OPENLER_BACKUP_PASSPHRASE"
STEP_WORDS = {
    "open": "Opened the backup (passphrase right, nothing changed)",
    "key": "Brought back the learner's key (same DID)",
    "records": "Bringing back records",
    "presentations": "Brought back presentations",
    "shares": "Brought back shares (stopped, marked restored)",
    "preferences": "Brought back preferences",
}
REFUSALS = {
    "not_backup": "this file is not an OpenLER wallet backup",
    "truncated": "the file is incomplete (it ends too early)",
    "version": "the backup was made by a newer version of OpenLER",
    "passphrase": "the passphrase does not open this backup",
    "tampered": "the file was changed after it was made",
    "too_large": "the file is too large to be a wallet backup",
    "not_empty": "the wallet of this account already has records (a backup only goes "
                 "into an empty wallet)",
}

wallet_app = typer.Typer(help="Wallet commands: restore a learner's encrypted backup.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the wallet commands to the root app."""
    app.add_typer(wallet_app, name="wallet")


@wallet_app.command("restore")
def restore(file: Annotated[Path, typer.Argument(help="The backup file (.json).")],
            email: Annotated[str, typer.Option(help="The account to restore into.")]) -> None:
    """Restore an encrypted wallet backup into an account's empty wallet."""
    from openler.accounts.service import normalise_email
    from openler.cli.issuer_commands import _settings
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.storage import db as storage_db
    from openler.storage import repositories as repo
    from openler.wallet import backup
    from openler.wallet.crypto import MasterKey
    from openler.wallet.service import WalletConfig

    console = Console(stderr=True)
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_UNUSABLE) from None
    settings = _settings()
    engine = storage_db.make_engine(settings.database_url)
    sessions = storage_db.make_sessionmaker(engine)
    try:
        with sessions() as db:
            user = repo.get_user_by_email(db, email=normalise_email(email))
            if user is None:
                typer.echo(f"error: no account has the email {email}", err=True)
                raise typer.Exit(EXIT_UNUSABLE)
            passphrase = os.environ.get(PASSPHRASE_VARIABLE) or typer.prompt(
                "Passphrase of the backup", hide_input=True)
            config = WalletConfig(master=MasterKey(settings.secret_key), issuer=IssuerConfig(
                base=PublicBase.parse(settings.public_url or "http://localhost"),
                vault=KeyVault(settings.secret_key)))
            with Progress(TextColumn("{task.description}"), BarColumn(),
                          MofNCompleteColumn(), console=console) as bar:
                tasks: dict[str, TaskID] = {}

                def show(step: str, done: int, total: int) -> None:
                    if step not in tasks:
                        tasks[step] = bar.add_task(STEP_WORDS.get(step, step),
                                                   total=max(total, 1))
                    bar.update(tasks[step], completed=done if total else 1,
                               total=max(total, 1))

                try:
                    summary = backup.restore_backup(db, config=config, user_id=user.id,
                                                    data=data, passphrase=passphrase,
                                                    now=datetime.now(UTC), progress=show)
                except backup.BackupError as exc:
                    db.rollback()
                    typer.echo(f"refused: {REFUSALS.get(exc.code, exc.code)}; nothing changed",
                               err=True)
                    raise typer.Exit(EXIT_REFUSED) from None
            db.commit()
    finally:
        engine.dispose()
    typer.echo(f"Restored into {email}: {summary.records} records "
               f"({summary.self_reported} self-reported), {summary.presentations} "
               f"presentations, {summary.shares} shares (stopped, marked restored); "
               f"DID {summary.did}")
