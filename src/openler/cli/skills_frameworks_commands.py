"""`openler skills import-onet|import-case|import-rsd|load-esco|import-esco`: load frameworks.

  skills import-onet [DIR]            O*NET text files (default: the bundled demo subset)
  skills import-case FILE --org ORG   an organization's framework as 1EdTech CASE JSON
  skills import-rsd FILE --org ORG    an organization's Rich Skill Descriptor collection
  skills load-esco                    the bundled ESCO skills and occupations (English
                                      labels, Spanish labels of a subset of skills)
  skills import-esco DIR [--language es]
                                      ESCO's official CSV download in one language
                                      (skills_es.csv, occupations_es.csv,
                                      occupationSkillRelations_es.csv: whichever are there)
  skills import-crosswalk FILE --name NAME
                                      a crosswalk between frameworks as CSV (source,
                                      target, SKOS relation), e.g. ESCO-O*NET

Settings come from OPENLER_* variables (the same database as `openler serve`).
Exit 0 done, 1 refused (the source has problems: each is printed, nothing is written),
2 unusable (unreadable file, unknown organization).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from openler.skills_service.frameworks import ImportReport

EXIT_REFUSED = 1
EXIT_UNUSABLE = 2


def register(app: typer.Typer) -> None:
    """Attach the framework commands to the `skills` group made by skills_commands."""
    from openler.cli.skills_commands import skills_app

    skills_app.command("import-onet")(import_onet)
    skills_app.command("import-case")(import_case)
    skills_app.command("import-rsd")(import_rsd)
    skills_app.command("load-esco")(load_esco)
    skills_app.command("import-esco")(import_esco)
    skills_app.command("import-crosswalk")(import_crosswalk)


@contextmanager
def _session() -> Iterator[Session]:
    from openler.cli.issuer_commands import _settings
    from openler.storage import db as storage_db

    engine = storage_db.make_engine(_settings().database_url)
    try:
        with storage_db.make_sessionmaker(engine)() as db:
            yield db
    finally:
        engine.dispose()


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=None)

        def show(done: int, total: int) -> None:
            progress.update(task, completed=done, total=max(total, 1))

        yield show


def _run(label: str, action: Callable[[Session, Callable[[int, int], None]], ImportReport],
         ) -> None:
    from openler.skills_service.frameworks import FrameworkImportError

    with _session() as db, _bar(label) as show:
        try:
            report = action(db, show)
        except FrameworkImportError as exc:
            _refuse(db, [f"{'error' if p.fatal else 'warning'}: {p}" for p in exc.problems])
        db.commit()
    for problem in report.problems:
        typer.echo(f"warning: {problem}", err=True)
    typer.echo(f"{report.created} created, {report.updated} updated, {report.unchanged} "
               f"unchanged, {report.relations} occupation-skill links.")


def _refuse(db: Session, lines: list[str]) -> NoReturn:
    """Write nothing, print each problem, and exit as refused."""
    db.rollback()
    for line in lines:
        typer.echo(line, err=True)
    typer.echo("refused: nothing was imported", err=True)
    raise typer.Exit(EXIT_REFUSED)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_UNUSABLE) from None


def _check_org(db: Session, org_id: str) -> None:
    from openler.storage.tables import Organization

    if db.get(Organization, org_id) is None:
        typer.echo(f"error: no organization has the id {org_id}", err=True)
        raise typer.Exit(EXIT_UNUSABLE)


def import_onet(directory: Annotated[Path | None, typer.Argument(
        help="Folder with Occupation Data.txt, Skills.txt, Technology Skills.txt "
             "(default: the bundled demo subset).")] = None) -> None:
    """Import O*NET occupations, skills and technology skills from its text files."""
    from openler.skills_service import frameworks_onet

    folder = directory or frameworks_onet.DEMO_DIR
    if not folder.is_dir():
        typer.echo(f"error: {folder} is not a folder", err=True)
        raise typer.Exit(EXIT_UNUSABLE)
    _run("O*NET", lambda db, show: frameworks_onet.import_onet(
        db, directory=folder, now=datetime.now(UTC), progress=show))


def import_case(file: Annotated[Path, typer.Argument(help="The CASE package (.json).")],
                org: Annotated[str, typer.Option("--org", help="The organization's id.")],
                ) -> None:
    """Import an organization's framework from a 1EdTech CASE JSON package."""
    from openler.skills_service import frameworks_case

    data = _read(file)

    def action(db: Session, show: Callable[[int, int], None]) -> Any:
        _check_org(db, org)
        report = frameworks_case.import_case(db, org_id=org, data=data, now=datetime.now(UTC))
        show(report.total, report.total)
        return report

    _run("CASE", action)


def import_rsd(file: Annotated[Path, typer.Argument(help="The RSD collection (.json).")],
               org: Annotated[str, typer.Option("--org", help="The organization's id.")],
               language: Annotated[str, typer.Option(help="Language of its labels.")] = "en",
               ) -> None:
    """Import an organization's Rich Skill Descriptor collection (OSMT JSON)."""
    from openler.skills_service import frameworks_rsd

    data = _read(file)

    def action(db: Session, show: Callable[[int, int], None]) -> Any:
        _check_org(db, org)
        report = frameworks_rsd.import_rsd(db, org_id=org, data=data, now=datetime.now(UTC),
                                           language=language)
        show(report.total, report.total)
        return report

    _run("RSD", action)


def load_esco() -> None:
    """Load the bundled ESCO skills and occupations into the frameworks tables."""
    from openler.skills_service import frameworks

    _run("ESCO", lambda db, show: frameworks.load_esco(db, now=datetime.now(UTC),
                                                        progress=show))


def import_esco(directory: Annotated[Path, typer.Argument(
        help="Folder with ESCO's CSV files of one language: skills_<lang>.csv, "
             "occupations_<lang>.csv, occupationSkillRelations_<lang>.csv.")],
                language: Annotated[str, typer.Option(
                    help="Language of the files, as in their names (en, es, ...).")] = "en",
                ) -> None:
    """Import ESCO's official CSV files; adds that language's labels, keeps the others."""
    from openler.skills_service import frameworks_esco

    if not directory.is_dir():
        typer.echo(f"error: {directory} is not a folder", err=True)
        raise typer.Exit(EXIT_UNUSABLE)
    _run(f"ESCO ({language})", lambda db, show: frameworks_esco.import_esco(
        db, directory=directory, language=language, now=datetime.now(UTC), progress=show))


def import_crosswalk(file: Annotated[Path, typer.Argument(
        help="CSV with a source, a target and a relation column (SKOS: exactMatch, "
             "closeMatch, broadMatch, narrowMatch, relatedMatch).")],
                     name: Annotated[str, typer.Option(
                         help="What the crosswalk is called on pages, e.g. "
                              "\"ESCO-O*NET 2022\"; importing the same name replaces it.")],
                     ) -> None:
    """Import a crosswalk: exact and close matches then count as the same skill."""
    from openler.skills_service import crosswalks

    try:
        text = _read(file).decode("utf-8")
    except UnicodeDecodeError:
        typer.echo(f"error: {file} is not UTF-8 text", err=True)
        raise typer.Exit(EXIT_UNUSABLE) from None
    with _session() as db:
        try:
            kept = crosswalks.import_crosswalk(db, name=name, links=crosswalks.parse(text),
                                               now=datetime.now(UTC))
        except crosswalks.CrosswalkError as exc:
            _refuse(db, [f"error: {problem}" for problem in exc.problems])
        db.commit()
    typer.echo(f"{kept} pairs in the crosswalk “{' '.join(name.split())}”.")
