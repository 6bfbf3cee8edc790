"""Builders shared by the cohort tests (imported by name: tests have no packages)."""

from __future__ import annotations

BASE = "https://badges.example.org"


def cohort_csv(achievement_id: str, n: int, *, delimiter: str = ",", start: int = 0) -> bytes:
    """A valid file of n learners with row ids."""
    header = delimiter.join(["email", "achievement", "result:grade", "row_id"])
    lines = [header] + [delimiter.join([f"learner{i}@example.com", achievement_id, "A", f"r{i}"])
                        for i in range(start, start + n)]
    return ("\r\n".join(lines) + "\r\n").encode()


def queue_job(db, *, org_id: str, content: bytes, now, valid_rows: bool = False,
              filename: str = "c.csv"):
    """Check a file, make its job and queue it, as the upload page does (not committed)."""
    from openler.issuer.cohort import jobs

    checked = jobs.check(db, org_id=org_id, content=content)
    job = jobs.create_job(db, org_id=org_id, user_id=None, filename=filename, content=content,
                          checked=checked, now=now)
    return jobs.start_job(db, org_id=org_id, job_id=job.id, issue_valid_rows=valid_rows,
                          public_base=BASE, now=now)
