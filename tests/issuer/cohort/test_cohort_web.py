"""The cohort pages: upload, report, choice, progress, cancel, tenancy, languages."""

from __future__ import annotations

import re
import time

from cohort_helpers import cohort_csv
from sqlalchemy import select

from openler.accounts import service
from openler.storage.tables import User
from openler.storage.tables_cohort import CohortJob

JOB_URL = re.compile(r"/orgs/\w+/cohorts/(\w+)$")


def upload(client, web, org_id, content: bytes, name="cohort.csv"):
    token = web.csrf_of(client, f"/orgs/{org_id}/cohorts")
    return client.post(f"/orgs/{org_id}/cohorts", data={"csrf_token": token},
                       files={"file": (name, content, "text/csv")}, follow_redirects=False)


def wait_until_finished(client, url: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not client.get(f"{url}/progress.json").json()["active"]:
            return client.get(url).text
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_upload_report_choose_valid_rows_and_finish(client, web, org_id, achievement_id,
                                                    sessions):
    web.sign_in(client, "owner@college.example")
    content = cohort_csv(achievement_id, 5) + b"nobody,%s,A,bad\r\n" % achievement_id.encode()
    response = upload(client, web, org_id, content)
    assert response.status_code == 303
    url = response.headers["location"]
    job_id = JOB_URL.search(url).group(1)
    report = client.get(url).text
    assert "Line 7, column email: this is not an email address." in report
    assert "Upload a corrected file" in report and "Issue only the valid lines (5)" in report
    with sessions() as db:
        assert db.get(CohortJob, job_id).status == "validated"  # nothing signed yet
    token = web.csrf_of(client, url)
    started = client.post(f"{url}/start", data={"csrf_token": token, "issue_valid_rows": "yes"},
                          follow_redirects=False)
    assert started.status_code == 303
    done = wait_until_finished(client, url)
    assert '<progress id="job-progress" max="5" value="5">' in done
    assert "5 of 5 lines done: 5 issued, 0 not issued." in done
    assert done.count("learner") == 5


def test_all_rows_are_needed_unless_the_issuer_chooses(client, web, org_id, achievement_id,
                                                       sessions):
    web.sign_in(client, "owner@college.example")
    content = cohort_csv(achievement_id, 2) + b"nobody,%s,A,bad\r\n" % achievement_id.encode()
    url = upload(client, web, org_id, content).headers["location"]
    token = web.csrf_of(client, url)
    client.post(f"{url}/start", data={"csrf_token": token}, follow_redirects=False)
    with sessions() as db:
        assert db.get(CohortJob, JOB_URL.search(url).group(1)).status == "validated"


def test_progress_page_shows_counts_never_reloads_itself_and_can_cancel(client, web, org_id, achievement_id,
                                                       sessions):
    web.sign_in(client, "owner@college.example")
    url = upload(client, web, org_id, cohort_csv(achievement_id, 3)).headers["location"]
    job_id = JOB_URL.search(url).group(1)
    with sessions() as db:  # queued but not started by a worker: the page shows progress
        db.get(CohortJob, job_id).status = "queued"
        db.get(CohortJob, job_id).public_base = "https://badges.example.org"
        db.commit()
    page = client.get(url).text
    # No automatic reload (WCAG 2.2.1): a link refreshes without JavaScript, and the
    # page's script polls progress.json to update the bar in place.
    assert 'http-equiv="refresh"' not in page and 'id="refresh-now"' in page
    assert '<progress id="job-progress" max="3" value="0">' in page
    assert f'data-progress-url="{url}/progress.json"' in page
    progress = client.get(f"{url}/progress.json").json()
    assert progress["active"] is True and progress["done"] == 0 and progress["total"] == 3
    assert progress["status"] == "queued" and "0 of 3 lines done" in progress["progress_text"]
    token = web.csrf_of(client, url)
    client.post(f"{url}/cancel", data={"csrf_token": token})
    page = client.get(url).text
    assert "Cancelled" in page and 'http-equiv="refresh"' not in page


def test_file_level_problems_are_shown_on_the_upload_page(client, web, org_id, achievement_id):
    web.sign_in(client, "owner@college.example")
    response = upload(client, web, org_id, b"")
    assert response.status_code == 400
    assert "The file is empty." in response.text and 'aria-invalid="true"' in response.text
    response = upload(client, web, org_id, b"name,grade\nAda,A\n")
    assert "The first line must be the header" in response.text


def test_template_download(client, web, org_id, achievement_id):
    web.sign_in(client, "owner@college.example")
    response = client.get(f"/orgs/{org_id}/cohorts/template.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("email,did,achievement,valid_from,valid_until,result:grade")


def test_another_organization_gets_404_and_checking_staff_403(client, web, org_id,
                                                              achievement_id, accounts, make_client,
                                                              sessions):
    web.sign_in(client, "owner@college.example")
    url = upload(client, web, org_id, cohort_csv(achievement_id, 1)).headers["location"]
    _, other_org = accounts.org_owner("owner@other.example", "Other College")
    stranger = make_client()
    web.sign_in(stranger, "owner@other.example")
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/orgs/{org_id}/cohorts").status_code == 404
    token = web.csrf_of(stranger, f"/orgs/{other_org}/cohorts")
    assert stranger.post(f"{url}/cancel", data={"csrf_token": token}).status_code == 404
    job_id = JOB_URL.search(url).group(1)
    assert stranger.get(f"/orgs/{other_org}/cohorts/{job_id}").status_code == 404
    accounts.learner("checker@college.example")
    with sessions() as s:
        owner = s.scalars(select(User).where(User.email == "owner@college.example")).one()
        service.add_member(s, user=owner, org_id=org_id, email="checker@college.example",
                           role="verifier_staff")
        s.commit()
    checker = make_client()
    web.sign_in(checker, "checker@college.example")
    assert checker.get(f"/orgs/{org_id}/cohorts").status_code == 403


def test_spanish_report(client, web, org_id, achievement_id):
    web.sign_in(client, "owner@college.example")
    client.get("/language/es")
    content = b"email,achievement\nnadie,%s\n" % achievement_id.encode()
    url = upload(client, web, org_id, content).headers["location"]
    page = client.get(url).text
    assert "Línea 2, columna email: esto no es una dirección de correo electrónico." in page


def test_a_job_left_running_is_resumed_when_the_app_starts(app, sessions, org_id,
                                                           achievement_id, clock):
    from fastapi.testclient import TestClient

    from openler.issuer.cohort import jobs

    content = cohort_csv(achievement_id, 4)
    with sessions() as db:
        checked = jobs.check(db, org_id=org_id, content=content)
        job = jobs.create_job(db, org_id=org_id, user_id=None, filename="c.csv",
                              content=content, checked=checked, now=clock())
        job.status, job.public_base = "running", "https://badges.example.org"
        job.heartbeat_at = clock()
        db.commit()
        job_id = job.id
    clock.advance(minutes=5)
    with TestClient(app):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with sessions() as db:
                if db.get(CohortJob, job_id).status == "done":
                    break
            time.sleep(0.05)
    with sessions() as db:
        found = db.get(CohortJob, job_id)
        assert (found.status, found.issued_count) == ("done", 4)
