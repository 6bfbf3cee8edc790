"""Helpers for Data Integrity tests: the data folder and a loader that also serves
the two example contexts the W3C vectors use (see data/SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

from openler.core.jsonld import DocumentLoader

DATA = Path(__file__).resolve().parent / "data"
VECTORS = Path(__file__).resolve().parents[3].parent / "shared" / "vectors"


def vector_loader() -> DocumentLoader:
    """The strict loader plus the vectors' example contexts."""
    return DocumentLoader(
        extra={
            "https://www.w3.org/ns/credentials/examples/v2": json.loads(
                (DATA / "credentials-examples-v2.jsonld").read_text()
            ),
            "https://w3id.org/citizenship/v4rc1": json.loads(
                (DATA / "citizenship-v4rc1.jsonld").read_text()
            ),
        }
    )
