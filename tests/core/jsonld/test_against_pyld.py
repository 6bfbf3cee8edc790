"""Property tests: canonize() equals pyld's URDNA2015 output on generated OB 3.0
and CLR 2.0 credentials (pyld is the reference; it is slow, hence the slow mark
on the large run)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pyld import jsonld

from helpers import clr_credentials, ob3_credentials
from openler.core.jsonld import canonize, default_loader
from openler.core.jsonld.canon import _env
from openler.core.jsonld.to_rdf import document_quads

QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]


def reference(document: dict[str, Any]) -> str:
    return jsonld.normalize(document, {"algorithm": "URDNA2015",
                                       "format": "application/n-quads",
                                       "documentLoader": default_loader()})


def check(document: dict[str, Any]) -> None:
    document_quads(_env(default_loader()).root, document)  # the fast path, no fallback
    assert canonize(document) == reference(document)


@settings(max_examples=25, deadline=None, suppress_health_check=QUIET)
@given(ob3_credentials())
def test_ob3_matches_pyld_quick(document: dict[str, Any]) -> None:
    check(document)


@pytest.mark.slow
@settings(max_examples=800, deadline=None, suppress_health_check=QUIET)
@given(ob3_credentials())
def test_ob3_credentials_match_pyld(document: dict[str, Any]) -> None:
    check(document)


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=QUIET)
@given(clr_credentials())
def test_clr_credentials_match_pyld(document: dict[str, Any]) -> None:
    check(document)
