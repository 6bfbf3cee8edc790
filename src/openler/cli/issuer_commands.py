"""`openler issuer import-csv`, `worker` and `resume-jobs` (cohort issuing).

  issuer import-csv --org ORG_ID FILE [--issue-valid-rows] [--public-url URL]
      exit 0 all chosen rows handled, 1 the file has problems (nothing issued),
      2 unusable (no such organization, unreadable file, no public URL)
  issuer worker [--once] [--interval SECONDS]
      run queued jobs and take over jobs whose worker died (at once when that
      process is gone from this host, else after a stale heartbeat); forever,
      or with --once until none is left. SIGTERM/Ctrl-C stops between batches
      (exit 0, the job is queued again); a second one stops at once (exit 130).
      Exit 2 when a job failed.
  issuer resume-jobs   the same as `issuer worker --once`

Settings come from OPENLER_* variables, like `openler serve` (same database and,
without OPENLER_SECRET_KEY, the same ./var/secret.key), so keys made here and by
the web app are the same.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def _delivery(sessions: Any, settings: Any, busy: threading.Event) -> Iterator[None]:
    """Claim offers for this process's jobs: mail over SMTP when configured (a sender
    thread for the command's life), else kept in the outbox, as the web app does."""
    from openler.issuer.cohort import runner
    from openler.issuer.delivery.mail import smtp_settings_of
    from openler.web.i18n import translations_for

    with runner.delivering(sessions, smtp=smtp_settings_of(settings), clock=_now,
                           busy=busy.is_set, days=settings.claim_offer_days,
                           translator=lambda lang: translations_for(lang).gettext):
        yield


def _run(sessions: Any, job_id: str, total: int, config: Any, console: Console) -> str:
    from openler.issuer.cohort import jobs, runner

    with Progress(TextColumn("Issuing"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[issued]} issued, {task.fields[failed]} not issued"),
                  TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task("issue", total=total, issued=0, failed=0)

        def show(p: jobs.Progress) -> None:
            runner.mail_committed()
            progress.update(task, completed=p.done, issued=p.issued, failed=p.failed)

        try:  # as runner.py does: each batch's awards get their offers in its transaction
            return jobs.run_job(sessions, job_id=job_id, config=config, clock=_now,
                                on_progress=show, after_awards=runner.offer_hook(
                                    base_url=config.base.url, clock=_now))
        finally:
            runner.mail_committed()


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
        issuing = threading.Event()
        issuing.set()
        with _delivery(sessions, settings, issuing):
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


@issuer_app.command("worker")
def worker_command(
    once: Annotated[bool, typer.Option(
        "--once", help="Run the jobs waiting now (and those they leave), then exit.")] = False,
    interval: Annotated[float, typer.Option(
        "--interval", min=0.1, help="Seconds between looks for new jobs (without --once).")] = 5.0,
) -> None:
    """Run cohort jobs: queued ones, and running ones whose worker died. SIGTERM or Ctrl-C
    stops after the batch in progress is saved; the job then waits for the next worker."""
    _work(once=once, interval=interval)


@issuer_app.command("resume-jobs")
def resume_jobs() -> None:
    """Finish cohort jobs that were queued or interrupted (same as `worker --once`)."""
    _work(once=True, interval=0.0)


def _work(*, once: bool, interval: float) -> None:
    from openler.issuer.cohort import liveness
    from openler.issuer.cohort import worker as cohort_worker
    from openler.issuer.keys import KeyVault
    from openler.storage import db as storage_db

    settings = _settings()
    stop = threading.Event()
    # Signals are caught from before the database upgrade: a Ctrl-C while it runs lets it
    # finish (and then stops) instead of breaking off inside a migration.
    with _stop_on_signals(stop):
        engine = storage_db.make_engine(settings.database_url)
        try:
            storage_db.upgrade(engine)
            sessions = storage_db.make_sessionmaker(engine)
            console = Console()
            typer.echo(f"Cohort worker {liveness.this_worker()}: " + (
                "running the waiting jobs." if once else f"looking for jobs every {interval:g} s."))
            issuing = threading.Event()  # the mail sender keeps to a small share while it is set
            with _delivery(sessions, settings, issuing):
                results = cohort_worker.work(sessions, vault=KeyVault(settings.secret_key),
                                             clock=_now, stop=stop, once=once,
                                             interval=interval, events=_Report(console, issuing))
        except KeyboardInterrupt:
            typer.echo("Stopped at once; the unsaved batch will be issued again by the next "
                       "worker.")
            raise typer.Exit(130) from None
        finally:
            engine.dispose()
    if not results:
        typer.echo("No cohort job is waiting.")
    if stop.is_set():
        typer.echo("Stopped.")
    if "failed" in results.values():
        raise typer.Exit(EXIT_UNUSABLE)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM or Ctrl-C asks for a stop between batches; a second one stops at once."""
    def ask(signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        typer.echo(f"{signal.Signals(signum).name}: stopping after the current batch.", err=True)

    previous = {sig: signal.signal(sig, ask) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Report:
    """Draw a Rich progress bar on a terminal; elsewhere (logs, services) print a line every few seconds."""

    EVERY_S = 5.0

    def __init__(self, console: Console, issuing: threading.Event) -> None:
        self.console = console
        self.issuing = issuing
        self.bar: Progress | None = None
        self.task: Any = None
        self.last = 0.0

    def started(self, job: Any) -> None:
        self.issuing.set()
        typer.echo(f"Job {job.id} ({job.filename}): {job.done_before}/{job.total} rows already done.")
        if self.console.is_terminal:
            self.bar = Progress(TextColumn("Issuing"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[issued]} issued, "
                                           "{task.fields[failed]} not issued"),
                                TimeRemainingColumn(), console=self.console)
            self.bar.start()
            self.task = self.bar.add_task("issue", total=job.total, completed=job.done_before,
                                          issued=0, failed=0)
        self.last = time.monotonic()

    def progress(self, job: Any, p: Any) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=p.done, issued=p.issued, failed=p.failed)
        elif time.monotonic() - self.last >= self.EVERY_S:
            self.last = time.monotonic()
            typer.echo(f"Job {job.id}: {p.done}/{p.total} rows, {p.issued} issued, "
                       f"{p.failed} not issued.")

    def ended(self, job: Any, status: str) -> None:
        self.issuing.clear()
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        text = {"stopped": "stopped between batches; it is queued and the next worker goes on "
                           "after the last saved row",
                "taken": "another worker took it first"}.get(status, status)
        typer.echo(f"Job {job.id}: {text}.")
