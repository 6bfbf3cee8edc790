"""`openler serve --demo` as a user runs it: a subprocess that creates ./var/openler.db,
loads the demo data, prints the demo sign-ins, and serves; running it twice is fine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from openler.demo import DEMO_USERS

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_demo(cwd: Path) -> tuple[str, int, subprocess.Popen]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENLER_")}
    openler = Path(sys.executable).parent / "openler"
    proc = subprocess.Popen(
        [str(openler), "serve", "--demo", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return f"http://127.0.0.1:{port}", port, proc
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(
        "openler serve --demo did not start:\n" + (proc.stdout.read() if proc.stdout else "")
    )


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def test_serve_demo_end_to_end(tmp_path):
    url, _port, proc = _run_demo(tmp_path)
    try:
        for user in DEMO_USERS:
            with httpx.Client(base_url=url) as browser:
                page = browser.get("/sign-in").text
                token = page.split('name="csrf_token" value="')[1].split('"')[0]
                response = browser.post(
                    "/sign-in",
                    data={"csrf_token": token, "email": user.email, "password": user.password},
                )
                assert response.status_code == 303, user.email
                home = browser.get("/").text
                if "riverside" in user.email:
                    assert "Riverside Community College" in home
                    org = home.split('href="/orgs/')[1].split('"')[0]
                    catalog = browser.get(f"/orgs/{org}").text
                    assert catalog.count("/achievements/") == 5
                if user.role == "Learner":  # the demo wallet holds records, already checked
                    wallet = browser.get("/wallet").text
                    assert "Certified Nursing Assistant Program" in wallet
                    assert "Workplace Communication" in wallet
                    assert "Weekend volunteer at the Riverside food bank" in wallet
                    assert "Introduction to Python Programming" in wallet
                    assert wallet.count("Checked when it arrived: genuine") == 3
                    record = wallet.split('href="/wallet/records/')[1].split('"')[0]
                    detail = browser.get(f"/wallet/records/{record}").text
                    assert "Not revoked or suspended" in detail
                    skills = browser.get("/wallet/skills").text
                    assert "infection control" in skills and "Teamwork" in skills
                    # Pathways: the demo frameworks are loaded and the nurse gap shows
                    found = browser.get("/wallet/pathways", params={"q": "nurse"}).text
                    nurse = found.split('">Registered Nurses</a>')[0].rsplit('href="', 1)[1]
                    pathway = browser.get(nurse).text
                    assert "You already show 4 of 8 skills for this occupation." in pathway
                    assert "Clinical Judgment and Patient Safety" in pathway
    finally:
        output = _stop(proc)
    assert (tmp_path / "var" / "openler.db").exists()
    assert (tmp_path / "var" / "secret.key").stat().st_mode & 0o077 == 0
    assert url in output
    for user in DEMO_USERS:
        assert user.email in output and user.password in output

    # A second run on the same database loads nothing twice.
    url, _port, proc = _run_demo(tmp_path)
    try:
        with httpx.Client(base_url=url) as browser:
            token = browser.get("/sign-in").text.split('name="csrf_token" value="')[1].split('"')[0]
            staff = DEMO_USERS[0]
            browser.post(
                "/sign-in",
                data={"csrf_token": token, "email": staff.email, "password": staff.password},
            )
            home = browser.get("/").text
            assert home.count("Riverside Community College") == 1
            org = home.split('href="/orgs/')[1].split('"')[0]
            assert browser.get(f"/orgs/{org}").text.count("/achievements/") == 5
        with httpx.Client(base_url=url) as browser:
            token = browser.get("/sign-in").text.split('name="csrf_token" value="')[1].split('"')[0]
            learner = next(u for u in DEMO_USERS if u.role == "Learner")
            browser.post(
                "/sign-in",
                data={"csrf_token": token, "email": learner.email, "password": learner.password},
            )
            wallet = browser.get("/wallet").text
            assert wallet.count("Weekend volunteer at the Riverside food bank") == 1
    finally:
        _stop(proc)
