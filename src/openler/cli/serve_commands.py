"""`openler serve` and `openler db upgrade` (application)."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from openler.settings import Settings


def register(app: typer.Typer) -> None:
    """Attach the application commands to the root app."""
    app.command("serve")(serve)
    db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    app.add_typer(db_app, name="db")


def serve(
    demo: bool = typer.Option(False, "--demo", help="Create the database and load demo data."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Serve the OpenLER web app (settings from OPENLER_* environment variables)."""
    import uvicorn

    from openler.settings import Settings
    from openler.storage import db as storage_db
    from openler.web.app import create_app

    settings = Settings()
    if "OPENLER_SECRET_KEY" not in os.environ:
        # Keep sessions valid across restarts of a local server.
        settings = settings.model_copy(update={"secret_key": _local_secret_key()})
    url = f"http://{host}:{port}"
    if demo and not settings.public_url:
        # Demo credentials name this server in their did:web; keep it the same whichever
        # address the browser uses, so they keep verifying on this instance.
        settings = settings.model_copy(update={"public_url": url})
    engine = storage_db.make_engine(settings.database_url)
    storage_db.upgrade(engine)
    if demo:
        from openler.demo import DEMO_USERS, load_demo

        with storage_db.make_sessionmaker(engine)() as session:
            load_demo(session, now=datetime.now(UTC))
            session.commit()
            _load_demo_wallet(session, settings)
    engine.dispose()
    typer.echo(f"OpenLER is running at {url}  (press Ctrl+C to stop)")
    typer.echo(f"Database: {settings.database_url}")
    if demo:
        typer.echo("Sign in at " + url + "/sign-in as any of these demo users:")
        for user in DEMO_USERS:
            typer.echo(f"  - {user.role}: {user.email}  password: {user.password}")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def _load_demo_wallet(session: Session, settings: Settings) -> None:
    """The demo learner's wallet, filled once (records from the demo college, one entry)."""
    from openler.demo import DEMO_USERS, ISSUER_NAME
    from openler.demo_wallet import load_demo_wallet
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.wallet.crypto import MasterKey
    from openler.wallet.service import WalletConfig

    secret, public_url = settings.secret_key, settings.public_url or ""
    issuer = IssuerConfig(base=PublicBase.parse(public_url), vault=KeyVault(secret))
    learner = next(u for u in DEMO_USERS if u.role == "Learner")
    load_demo_wallet(session, config=WalletConfig(master=MasterKey(secret), issuer=issuer),
                     learner_email=learner.email, issuer_name=ISSUER_NAME,
                     now=datetime.now(UTC))
    session.commit()


def _local_secret_key() -> str:
    """A random session key kept in ./var/secret.key (readable by the owner only)."""
    path = Path("var") / "secret.key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def db_upgrade() -> None:
    """Bring the database named by OPENLER_DATABASE_URL to the latest schema."""
    from openler.settings import Settings
    from openler.storage import db as storage_db

    settings = Settings()
    engine = storage_db.make_engine(settings.database_url)
    storage_db.upgrade(engine)
    engine.dispose()
    typer.echo("The database schema is up to date.")
