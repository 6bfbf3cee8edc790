"""The W3C RDFC-1.0 test suite (rdf-canon tests/manifest.jsonld): evaluation tests
byte for byte, map tests label for label, poison graphs refused quickly."""

from __future__ import annotations

import json
import time

import pytest

from helpers import shared_dir
from openler.core.errors import CanonicalizationError
from openler.core.jsonld import canonize_quads, parse_nquads
from openler.core.jsonld.rdfc10 import canonical_labels

SUITE = shared_dir() / "vectors" / "rdf-canon"
ENTRIES = json.loads((SUITE / "manifest.jsonld").read_text())["entries"]
HASHES = {"SHA256": "sha256", "SHA384": "sha384"}


def _entries(kind: str) -> list[dict]:
    chosen = [e for e in ENTRIES if e["type"] == f"rdfc:{kind}"]
    assert chosen, kind
    return chosen


def _hash(entry: dict) -> str:
    return HASHES[entry.get("hashAlgorithm", "SHA256")]


@pytest.mark.parametrize("entry", _entries("RDFC10EvalTest"), ids=lambda e: e["id"])
def test_eval(entry: dict) -> None:
    given = (SUITE / entry["action"]).read_text()
    expected = (SUITE / entry["result"]).read_text()
    assert canonize_quads(given, hash_name=_hash(entry)) == expected


@pytest.mark.parametrize("entry", _entries("RDFC10MapTest"), ids=lambda e: e["id"])
def test_issued_identifiers_map(entry: dict) -> None:
    quads = parse_nquads((SUITE / entry["action"]).read_text())
    _, labels = canonical_labels(quads, hash_name=_hash(entry))
    expected = json.loads((SUITE / entry["result"]).read_text())
    assert {k.removeprefix("_:"): v.removeprefix("_:") for k, v in labels.items()} == expected


@pytest.mark.parametrize("entry", _entries("RDFC10NegativeEvalTest"), ids=lambda e: e["id"])
def test_poison_graph_is_refused_quickly(entry: dict) -> None:
    given = (SUITE / entry["action"]).read_text()
    started = time.perf_counter()
    with pytest.raises(CanonicalizationError, match="work limit"):
        canonize_quads(given)
    assert time.perf_counter() - started < 2.0


def test_input_order_and_labels_do_not_change_the_result() -> None:
    given = (SUITE / "rdfc10" / "test044-in.nq").read_text()
    lines = given.splitlines(keepends=True)
    relabelled = "".join(reversed(lines)).replace("_:", "_:zz")
    assert canonize_quads(relabelled) == canonize_quads(given)


def test_canonical_output_is_a_fixpoint() -> None:
    expected = (SUITE / "rdfc10" / "test020-rdfc10.nq").read_text()
    assert canonize_quads(expected) == expected


def test_explicit_work_limit_applies() -> None:
    given = (SUITE / "rdfc10" / "test044-in.nq").read_text()
    with pytest.raises(CanonicalizationError):
        canonize_quads(given, max_work=5)


def test_malformed_nquads_are_rejected() -> None:
    with pytest.raises(CanonicalizationError):
        parse_nquads("<urn:a> <urn:b> .\n")
