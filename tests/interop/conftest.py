"""Digital Bazaar's JavaScript VC libraries as an independent reference.

The Node scripts in ``js/`` (pinned versions in js/package.json and its
package-lock.json) verify, sign and canonicalize credentials. ``npm ci`` runs
once per session when ``js/node_modules`` is missing. Missing Node or npm is a
failure, not a skip: these tests are the acceptance check that OpenLER's
credentials verify in another implementation.

The JS document loader answers only from a mapping file written here: every
bundled context URL -> OpenLER's own context file (the same bytes), and the
DID documents a test passes (did:web); did:key is derived on the JS side.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from openler.core.jsonld import BUNDLED_CONTEXTS

JS_DIR = Path(__file__).resolve().parent / "js"
NODE_TIMEOUT = 120


def _contexts_mapping() -> dict[str, str]:
    folder = resources.files("openler.core.jsonld").joinpath("contexts")
    return {url: str(Path(str(folder.joinpath(entry.filename))))
            for url, entry in BUNDLED_CONTEXTS.items()}


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"The interop tests need {tool!r} (Node.js 18+ and npm) on PATH: install "
                    "them (scripts/setup does, or `apt-get install nodejs npm`).",
                    pytrace=False)
    return path


@dataclass
class NodeRunner:
    """Runs one of the js/*.mjs scripts on a JSON payload and returns its JSON answer."""

    node: str
    tmp: Path

    def run(self, script: str, payload: Any, *, documents: dict[str, Any] | None = None,
            extra: tuple[str, ...] = ()) -> Any:
        """Why: one Node start-up per batch keeps the interop set fast."""
        mapping = self.tmp / f"mapping-{script}.json"
        mapping.write_text(json.dumps({"contexts": _contexts_mapping(),
                                       "documents": documents or {}}), encoding="utf-8")
        proc = subprocess.run(
            [self.node, str(JS_DIR / script), "--mapping", str(mapping), *extra, "-"],
            input=json.dumps(payload).encode("utf-8"), capture_output=True,
            cwd=JS_DIR, timeout=NODE_TIMEOUT, check=False)
        if proc.returncode != 0:
            raise AssertionError(f"node {script} failed ({proc.returncode}):\n"
                                 f"{proc.stderr.decode('utf-8', 'replace')[-4000:]}")
        return json.loads(proc.stdout)

    def verify(self, credentials: list[dict[str, Any]], *,
               documents: dict[str, Any] | None = None, now: str | None = None
               ) -> list[dict[str, Any]]:
        """The JS verdict for each credential, in order."""
        extra = ("--now", now) if now else ()
        return self.run("verify.mjs", credentials, documents=documents, extra=extra)


def _installed_matches_lock(modules: Path) -> bool:
    """Whether node_modules holds exactly the versions package-lock.json pins."""
    hidden = modules / ".package-lock.json"  # npm's record of what it installed
    if not hidden.is_file():
        return False

    def versions(path: Path) -> dict[str, str]:
        packages = json.loads(path.read_text(encoding="utf-8")).get("packages", {})
        return {k: v.get("version", "") for k, v in packages.items() if k}

    return versions(hidden) == versions(JS_DIR / "package-lock.json")


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """js/node_modules, installed from the committed lock file when missing or stale."""
    _require("node")
    npm = _require("npm")
    modules = JS_DIR / "node_modules"
    lock_path = Path(tempfile.gettempdir()) / "openler-interop-npm-ci.lock"
    with lock_path.open("w") as lock:  # concurrent test runs in one tree: one npm ci
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed_matches_lock(modules):
            proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR,
                                  capture_output=True, timeout=600, check=False)
            if proc.returncode != 0:
                pytest.fail("`npm ci` in tests/interop/js failed:\n"
                            + proc.stderr.decode("utf-8", "replace")[-4000:], pytrace=False)
    return modules


@pytest.fixture(scope="session")
def js(node_modules: Path, tmp_path_factory: pytest.TempPathFactory) -> NodeRunner:
    return NodeRunner(node=_require("node"), tmp=tmp_path_factory.mktemp("interop"))


@pytest.fixture(scope="session")
def js_verify(js: NodeRunner) -> Callable[..., list[dict[str, Any]]]:
    return js.verify
