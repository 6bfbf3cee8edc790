"""`openler issuer import-csv` and `resume-jobs` through Typer's CliRunner."""

from __future__ import annotations

from cohort_helpers import BASE, cohort_csv, queue_job
from sqlalchemy import func, select
from typer.testing import CliRunner

from openler.cli.main import app
from openler.storage.tables_catalog import Award
from openler.storage.tables_cohort import CohortJob

RUNNER = CliRunner()


def env(database_url: str) -> dict[str, str]:
    return {"OPENLER_DATABASE_URL": database_url, "OPENLER_SECRET_KEY": "issuer-test-secret",
            "OPENLER_PUBLIC_URL": BASE}


def awards(sessions) -> int:
    with sessions() as db:
        return db.scalar(select(func.count()).select_from(Award))


def test_import_csv_reports_problems_and_issues_only_when_asked(tmp_path, database_url, sessions,
                                                               org_id, achievement_id):
    path = tmp_path / "cohort.csv"
    path.write_bytes(cohort_csv(achievement_id, 40) + b"oops,%s,A,z\r\n" % achievement_id.encode())
    refused = RUNNER.invoke(app, ["issuer", "import-csv", "--org", org_id, str(path)],
                            env=env(database_url))
    assert refused.exit_code == 1, refused.output
    assert "Line 42, column email: this is not an email address." in refused.output
    assert "--issue-valid-rows" in refused.output and awards(sessions) == 0
    done = RUNNER.invoke(app, ["issuer", "import-csv", "--org", org_id, str(path),
                               "--issue-valid-rows"], env=env(database_url))
    assert done.exit_code == 0, done.output
    assert "Issuing" in done.output and "40/40" in done.output  # the Rich bar's last frame
    assert "40 issued, 0 not issued." in done.output
    assert awards(sessions) == 40
    again = RUNNER.invoke(app, ["issuer", "import-csv", "--org", org_id, str(path),
                                "--issue-valid-rows"], env=env(database_url))
    assert again.exit_code == 0 and awards(sessions) == 40


def test_import_csv_unusable_input(tmp_path, database_url, org_id, achievement_id):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = RUNNER.invoke(app, ["issuer", "import-csv", "--org", org_id, str(path)],
                           env=env(database_url))
    assert result.exit_code == 2 and "The file is empty." in result.output
    path.write_bytes(cohort_csv(achievement_id, 1))
    result = RUNNER.invoke(app, ["issuer", "import-csv", "--org", "nope", str(path)],
                           env=env(database_url))
    assert result.exit_code == 2 and "no organization" in result.output


def test_resume_jobs_finishes_an_interrupted_job(database_url, sessions, org_id, achievement_id,
                                                 clock):
    content = cohort_csv(achievement_id, 6)
    with sessions() as db:
        job = queue_job(db, org_id=org_id, content=content, now=clock())
        job.status, job.heartbeat_at = "running", clock()  # a worker that died long ago
        db.commit()
        job_id = job.id
    result = RUNNER.invoke(app, ["issuer", "resume-jobs"], env=env(database_url))
    assert result.exit_code == 0, result.output
    assert f"Job {job_id}: done." in result.output
    with sessions() as db:
        assert db.get(CohortJob, job_id).issued_count == 6
    assert awards(sessions) == 6
    assert "No cohort job is waiting." in RUNNER.invoke(
        app, ["issuer", "resume-jobs"], env=env(database_url)).output
