"""Issue a 100,000-learner cohort CSV end to end through the real job code.

A temporary SQLite database is migrated, an organization and a graded
achievement are created, then a generated file (email, achievement, result,
row_id) is checked and issued by `openler.issuer.cohort.jobs.run_job` through
the real batch path (`openler.issuer.awards_batch.award_many`: signing, status
entries, schema check, one commit every batch). The figure is wall-clock seconds
for check + issue, run once (not median-of-7: one run is the measurement), plus
the per-row cost in wall-clock and in this process's CPU time (steadier on a
shared machine). OPENLER_BENCH_COHORT_ROWS overrides the row count for a quick
look; the figure name then says so.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.registry import Figure, register

ROWS = 100_000
BASE = "https://badges.example.org"


def cohort_file(achievement_id: str, n: int) -> bytes:
    """n valid learner lines with row ids."""
    lines = ["email,achievement,result:grade,row_id"]
    lines += [f"learner{i}@example.com,{achievement_id},{'ABC'[i % 3]},s{i}" for i in range(n)]
    return ("\r\n".join(lines) + "\r\n").encode()


def run_cohort(n: int, folder: Path) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds to check and issue n rows, and how many were issued."""
    from openler.accounts import service
    from openler.issuer import catalog
    from openler.issuer.catalog_input import AchievementInput, ResultDescriptionInput
    from openler.issuer.cohort import jobs
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.storage import db as storage_db

    engine = storage_db.make_engine(f"sqlite:///{folder / 'bench.db'}")
    storage_db.upgrade(engine)
    sessions = storage_db.make_sessionmaker(engine)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    config = IssuerConfig(base=PublicBase.parse(BASE), vault=KeyVault("bench-secret"))
    with sessions() as db:
        user = service.sign_up(db, password="bench password 1", now=now, email="o@bench.example",
                               name="Owner", account_kind="organization",
                               organization_name="Bench College", organization_kind="issuer")
        db.commit()
        org_id = service.memberships(db, user=user)[0].organization_id
        achievement = catalog.create_achievement(
            db, config=config, org_id=org_id, now=now, data=AchievementInput(
                name="Bench skill", description="Benchmarked.", criteria="Run it.",
                result_descriptions=[ResultDescriptionInput(
                    name="grade", result_type="LetterGrade", allowed_values="A,B,C")]))
        db.commit()
        achievement_id = achievement.id
    content = cohort_file(achievement_id, n)
    started, cpu_started = time.perf_counter(), time.process_time()
    with sessions() as db:
        checked = jobs.check(db, org_id=org_id, content=content)
        job = jobs.create_job(db, org_id=org_id, user_id=None, filename="bench.csv",
                              content=content, checked=checked, now=now)
        jobs.start_job(db, org_id=org_id, job_id=job.id, issue_valid_rows=False,
                       public_base=BASE, now=now)
        db.commit()
        job_id = job.id
    status = jobs.run_job(sessions, job_id=job_id, config=config, clock=lambda: now)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    with sessions() as db:
        issued = jobs.get_job(db, org_id=org_id, job_id=job_id).issued_count
    engine.dispose()
    if status != "done" or issued != n:
        raise RuntimeError(f"cohort bench: job ended {status} with {issued} of {n} issued")
    return elapsed, cpu, issued


@register("issuer_cohort")
def bench_cohort() -> list[Figure]:
    """issuer.cohort_100k_s (and the per-row cost it implies)."""
    n = int(os.environ.get("OPENLER_BENCH_COHORT_ROWS", ROWS))
    with tempfile.TemporaryDirectory() as folder:
        seconds, cpu, issued = run_cohort(n, Path(folder))
    name = "issuer.cohort_100k_s" if n == ROWS else f"issuer.cohort_{n}_rows_s"
    return [Figure(name, seconds, "s"), Figure("issuer.cohort_row_ms", seconds / issued * 1000, "ms"),
            Figure("issuer.cohort_row_cpu_ms", cpu / issued * 1000, "ms")]
