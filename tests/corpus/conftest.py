"""Fixtures for the verification corpus: the fixture ports, and Node for JS-signed cases.

The Digital Bazaar libraries come from the npm registry (``npm ci`` in
tests/interop/js against its committed lock file, once per session, shared with
the interop tests through the same lock); the runner and the install check are
the interop suite's own, loaded from its conftest by path.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from build_corpus import DATA_DIR

_INTEROP = Path(__file__).resolve().parents[1] / "interop" / "conftest.py"


def _interop() -> Any:
    spec = importlib.util.spec_from_file_location("interop_conftest_for_corpus", _INTEROP)
    assert spec is not None and spec.loader is not None
    module = sys.modules.get(spec.name)
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def ports() -> dict[str, Any]:
    """The committed DID documents, failing hosts and status lists."""
    return json.loads((DATA_DIR / "ports.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def node(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A NodeRunner over tests/interop/js, with node_modules installed from the lock file."""
    interop = _interop()
    interop._require("node")
    npm = interop._require("npm")
    modules = interop.JS_DIR / "node_modules"
    lock_path = Path(tempfile.gettempdir()) / "openler-interop-npm-ci.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not interop._installed_matches_lock(modules):
            proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=interop.JS_DIR,
                                  capture_output=True, timeout=600, check=False)
            if proc.returncode != 0:
                pytest.fail("`npm ci` in tests/interop/js failed:\n"
                            + proc.stderr.decode("utf-8", "replace")[-4000:], pytrace=False)
    return interop.NodeRunner(node=interop._require("node"),
                              tmp=tmp_path_factory.mktemp("corpus-js"))
