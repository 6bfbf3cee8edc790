"""Claim paths used to say what is disclosable and what to disclose.

A path names a claim from the top of the payload: ``"given_name"``,
``"address.street_address"``, ``"nationalities.1"`` or ``"nationalities[1]"``
(an integer segment is an array index), or a tuple such as
``("address", "street_address")``. This mirrors the claim-path idea of the
SD-JWT VC draft (section 3.2.2) in a form that is easy to type on a command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Path = tuple[str | int, ...]
_INDEX = re.compile(r"\[(\d+)\]")


def parse_path(path: str | Iterable[str | int]) -> Path:
    """Normalise one path to a tuple of keys and indices."""
    if isinstance(path, str):
        segments: list[str | int] = []
        for raw in _INDEX.sub(r".\1", path).split("."):
            if raw == "":
                continue
            segments.append(int(raw) if raw.isdigit() else raw)
        return tuple(segments)
    return tuple(path)


def parse_paths(paths: Iterable[str | Iterable[str | int]] | None) -> frozenset[Path]:
    """Normalise a collection of paths."""
    return frozenset(parse_path(p) for p in (paths or ()))


def format_path(path: Path) -> str:
    """The dotted form of a path, for messages and reports."""
    return ".".join(str(p) for p in path)
