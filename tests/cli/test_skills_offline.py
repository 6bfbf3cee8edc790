"""The suggestion model and every bundled framework load with no network (issue 7, acceptance 1).

Each step runs in its own Python process whose sockets refuse every Internet
connection (IPv4 and IPv6; local Unix sockets stay allowed), with no proxy or hub
variables set, as a fresh machine without network would: the database is a new
SQLite file migrated by `openler db upgrade`, then ESCO and the O*NET demo subset
are loaded by their commands, and the embedding model is loaded from the installed
package and used once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = """
import socket, sys
_connect = socket.socket.connect
def _refuse(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        sys.stderr.write("NETWORK ATTEMPT %r\\n" % (address,))
        raise OSError("network is off in this test")
    return _connect(self, address)
socket.socket.connect = _refuse
socket.socket.connect_ex = lambda self, address: _refuse(self, address) or 0
def _resolve(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT resolve %r\\n" % (args[:1],))
    raise socket.gaierror("network is off in this test")
socket.getaddrinfo = _resolve
"""

CLI = GUARD + "from openler.cli.main import app\nsys.argv[0] = 'openler'\napp()\n"

ENCODE = GUARD + """
import json
from openler.skills.encoder import Encoder
vectors = Encoder().encode(["operate a forklift", "drive forklifts"])
print(json.dumps(float(vectors[0] @ vectors[1])))
"""


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy") and not k.startswith(("HF_", "OPENLER_"))}
    env["OPENLER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'offline.db'}"
    env["HOME"] = str(tmp_path)  # no user caches from earlier runs
    return env


def _run(script: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, text=True,
                          capture_output=True, timeout=600, check=False)
    assert "NETWORK ATTEMPT" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_frameworks_load_without_network(offline_env: dict[str, str], tmp_path: Path) -> None:
    _run(CLI, ["db", "upgrade"], offline_env)
    _run(CLI, ["skills", "load-esco"], offline_env)
    _run(CLI, ["skills", "import-onet"], offline_env)

    import sqlite3

    with sqlite3.connect(tmp_path / "offline.db") as db:
        counts = dict(db.execute(
            "SELECT f.key, count(i.id) FROM skill_frameworks f JOIN skill_framework_items i "
            "ON i.framework_id = f.id GROUP BY f.key").fetchall())
    assert counts, "no framework was written"
    esco = next(v for k, v in counts.items() if "esco" in k.lower())
    onet = next(v for k, v in counts.items() if "onet" in k.lower() or "o*net" in k.lower())
    assert esco > 13_000
    assert onet > 10


def test_model_loads_and_embeds_without_network(offline_env: dict[str, str]) -> None:
    done = _run(ENCODE, [], offline_env)
    similarity = json.loads(done.stdout.strip().splitlines()[-1])
    assert 0.5 < similarity <= 1.0  # a real embedding: two phrasings of one skill are close


def test_the_guard_itself_refuses_a_connection(offline_env: dict[str, str]) -> None:
    script = GUARD + "import urllib.request\nurllib.request.urlopen('http://example.org', timeout=2)\n"
    done = subprocess.run([sys.executable, "-c", script], env=offline_env, text=True,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "NETWORK ATTEMPT" in done.stderr
