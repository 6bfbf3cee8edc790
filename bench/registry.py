"""A registry of benchmark functions and a median-of-repeats timer."""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    """One reported number: ``BENCH <name> <value> <unit>``."""

    name: str
    value: float
    unit: str

    def line(self) -> str:
        """The machine-readable line other tools parse."""
        return f"BENCH {self.name} {self.value:.4g} {self.unit}"


BenchFn = Callable[[], Iterable[Figure]]
REGISTRY: dict[str, BenchFn] = {}


def register(group: str) -> Callable[[BenchFn], BenchFn]:
    """Register a function yielding Figures under a group name (e.g. "core")."""

    def wrap(fn: BenchFn) -> BenchFn:
        REGISTRY[group] = fn
        return fn

    return wrap


def time_ms(fn: Callable[[], object], *, repeats: int = 7, budget_s: float = 0.25) -> float:
    """Median over ``repeats`` of the mean time per call in ms, loops sized to ``budget_s``."""
    timer = timeit.Timer(fn)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= budget_s / 5 or number >= 1_000_000:
            break
        number *= 2
    number = max(1, int(number * (budget_s / max(elapsed, 1e-9)) / 1))
    runs = timer.repeat(repeat=repeats, number=number)
    return statistics.median(runs) / number * 1000.0
