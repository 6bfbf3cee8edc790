"""Builders shared by the cohort tests (imported by name: tests have no packages)."""

from __future__ import annotations

BASE = "https://badges.example.org"


def cohort_csv(achievement_id: str, n: int, *, delimiter: str = ",", start: int = 0) -> bytes:
    """A valid file of n learners with row ids."""
    header = delimiter.join(["email", "achievement", "result:grade", "row_id"])
    lines = [header] + [delimiter.join([f"learner{i}@example.com", achievement_id, "A", f"r{i}"])
                        for i in range(start, start + n)]
    return ("\r\n".join(lines) + "\r\n").encode()
