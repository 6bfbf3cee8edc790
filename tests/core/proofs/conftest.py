"""Fixtures for Data Integrity tests."""

from __future__ import annotations

import pytest
from di_fixtures import vector_loader

from openler.core.jsonld import DocumentLoader


@pytest.fixture(scope="session")
def loader() -> DocumentLoader:
    return vector_loader()
