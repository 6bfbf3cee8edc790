"""`python -m bench`: run every registered benchmark group, then print BENCH lines.

Single process, single thread, no network. Human-readable lines first; the
last lines are exactly ``BENCH <name> <value> <unit>``, one per figure.
"""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
from pathlib import Path

from bench.registry import REGISTRY, Figure


def discover() -> list[str]:
    """Every ``bench/*_bench.py`` module: adding a file adds its figures."""
    here = [str(Path(__file__).parent)]
    return [f"bench.{m.name}" for m in pkgutil.iter_modules(here) if m.name.endswith("_bench")]


def main(argv: list[str]) -> int:
    """Run the groups named on the command line (all when none)."""
    for name in discover():
        importlib.import_module(name)
    wanted = argv or sorted(REGISTRY)
    print(f"OpenLER benchmarks on Python {platform.python_version()} ({platform.machine()}), "
          "one core, in-process, median of 7 repeats")
    figures: list[Figure] = []
    for group in wanted:
        results = list(REGISTRY[group]())
        for figure in results:
            print(f"  {figure.name:<24} {figure.value:10.4f} {figure.unit}")
        figures.extend(results)
    for figure in figures:
        print(figure.line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
