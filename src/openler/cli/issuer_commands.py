"""`openler issuer import-csv` and `openler issuer resume-jobs` (cohort issuing).

  issuer import-csv --org ORG_ID FILE [--issue-valid-rows] [--public-url URL]
      exit 0 all chosen rows handled, 1 the file has problems (nothing issued),
      2 unusable (no such organization, unreadable file, no public URL)
  issuer resume-jobs   run queued jobs and jobs whose worker died (stale heartbeat)

Settings come from OPENLER_* variables, like `openler serve` (same database and,
without OPENLER_SECRET_KEY, the same ./var/secret.key), so keys made here and by
the web app are the same.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

EXIT_DONE, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2

issuer_app = typer.Typer(help="Issuer commands: issue a cohort from a CSV file.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the issuer commands to the root app."""
    app.add_typer(issuer_app, name="issuer")


def _now() -> datetime:
    return datetime.now(UTC)


def _settings() -> Any:
    from openler.cli.serve_commands import _local_secret_key
    from openler.settings import Settings

    settings = Settings()
    if "OPENLER_SECRET_KEY" not in os.environ:
        settings = settings.model_copy(update={"secret_key": _local_secret_key()})
    return settings


def _fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _run(sessions: Any, job_id: str, total: int, config: Any, console: Console) -> str:
    from openler.issuer.cohort import jobs

    with Progress(TextColumn("Issuing"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[issued]} issued, {task.fields[failed]} not issued"),
                  TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task("issue", total=total, issued=0, failed=0)

        def show(p: jobs.Progress) -> None:
            progress.update(task, completed=p.done, issued=p.issued, failed=p.failed)

        return jobs.run_job(sessions, job_id=job_id, config=config, clock=_now,
                            on_progress=show)


@issuer_app.command("import-csv")
def import_csv(
    file: Annotated[Path, typer.Argument(help="The cohort CSV file (see docs/cohort-csv.md).")],
    org: Annotated[str, typer.Option("--org", help="The issuing organization's id.")],
    issue_valid_rows: Annotated[bool, typer.Option(
        "--issue-valid-rows", help="Issue the valid rows even if other rows have problems.")] = False,
    public_url: Annotated[str | None, typer.Option(
        "--public-url", help="This instance's public URL (default OPENLER_PUBLIC_URL).")] = None,
) -> None:
    """Check every row, then issue the file as one resumable job with a progress bar."""
    from openler.issuer.cohort import jobs
    from openler.issuer.cohort.csvfile import CohortFileError
    from openler.issuer.cohort.messages import award_message, row_message
    from openler.issuer.cohort.runner import config_for
    from openler.issuer.keys import KeyVault
    from openler.storage import db as storage_db
    from openler.storage.tables import Organization

    settings = _settings()
    base = public_url or settings.public_url
    if not base:
        raise _fail("set OPENLER_PUBLIC_URL or --public-url: credentials name the issuer by it")
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from None
    console = Console(stderr=False)
    engine = storage_db.make_engine(settings.database_url)
    storage_db.upgrade(engine)
    sessions = storage_db.make_sessionmaker(engine)
    try:
        with sessions() as db:
            if db.get(Organization, org) is None:
                raise _fail(f"no organization has the id {org}")
            try:
                checked = jobs.check(db, org_id=org, content=content)
            except CohortFileError as exc:
                raise _fail(exc.message) from None
            for p in checked.problems:
                typer.echo(row_message(p.line, p.column, p.code, p.params))
            typer.echo(f"{checked.total_rows} rows: {len(checked.rows)} valid, "
                       f"{checked.invalid_lines} with problems.")
            if checked.problems and not issue_valid_rows:
                typer.echo("Nothing was issued. Fix the file, or run again with "
                           "--issue-valid-rows to issue only the valid rows.")
                raise typer.Exit(EXIT_PROBLEMS)
            if not checked.rows:
                raise _fail("no row of this file can be issued", EXIT_PROBLEMS)
            job = jobs.create_job(db, org_id=org, user_id=None, filename=file.name,
                                  content=content, checked=checked, now=_now())
            jobs.start_job(db, org_id=org, job_id=job.id, issue_valid_rows=True,
                           public_base=base, now=_now())
            db.commit()
            job_id, total = job.id, job.to_issue
        config = config_for(base, KeyVault(settings.secret_key))
        status = _run(sessions, job_id, total, config, console)
        with sessions() as db:
            done = jobs.get_job(db, org_id=org, job_id=job_id)
            typer.echo(f"Job {job_id}: {status}. {done.issued_count} issued, "
                       f"{done.failed_count} not issued.")
            for item in jobs.items(db, job_id=job_id, limit=100_000):
                if item.outcome == "failed":
                    typer.echo(f"Line {item.line}: not issued: {award_message(item.message)}.")
    finally:
        engine.dispose()
    if status != "done":
        raise typer.Exit(EXIT_UNUSABLE)


@issuer_app.command("resume-jobs")
def resume_jobs() -> None:
    """Finish cohort jobs that were queued or interrupted (stale heartbeat)."""
    from openler.issuer.cohort import jobs
    from openler.issuer.cohort.runner import config_for
    from openler.issuer.keys import KeyVault
    from openler.storage import db as storage_db

    settings = _settings()
    engine = storage_db.make_engine(settings.database_url)
    storage_db.upgrade(engine)
    sessions = storage_db.make_sessionmaker(engine)
    vault = KeyVault(settings.secret_key)
    console = Console()
    try:
        with sessions() as db:
            waiting = [(j, db.get(jobs.CohortJob, j)) for j in jobs.resumable(db, now=_now())]
        if not waiting:
            typer.echo("No cohort job is waiting.")
        for job_id, job in waiting:
            if job is None or not job.public_base:
                continue
            status = _run(sessions, job_id, job.to_issue, config_for(job.public_base, vault),
                          console)
            typer.echo(f"Job {job_id}: {status}.")
    finally:
        engine.dispose()
