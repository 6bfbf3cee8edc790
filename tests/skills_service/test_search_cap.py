"""The search's candidate cap never drops exact or prefix label matches (issue 7, item 2:
a person typing a skill's name finds it even when thousands of labels share a word)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from openler.skills_service import frameworks_case, search
from openler.storage.tables import Organization

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _framework(db, crowd: int) -> str:
    """``crowd`` labels with a word starting "zeta", then, stored last, the exact label
    "Zeta" and a label starting with it (labels that sort late, after every other)."""
    items = [{"uri": f"https://case.example.edu/crowd/{n}", "humanCodingScheme": f"C.{n}",
              "fullStatement": f"Alpha zetaform handling {n:05d}"} for n in range(crowd)]
    items += [{"uri": "https://case.example.edu/exact", "humanCodingScheme": "Z.1",
               "fullStatement": "Zeta"},
              {"uri": "https://case.example.edu/prefix", "humanCodingScheme": "Z.2",
               "fullStatement": "Zeta wrangling in the workshop"}]
    org = Organization(name="Uni", kind="school", created_at=NOW)
    db.add(org)
    db.flush()
    doc = {"CFDocument": {"uri": "https://case.example.edu/d", "title": "Crowded",
                          "language": "en"}, "CFItems": items}
    frameworks_case.import_case(db, org_id=org.id, data=json.dumps(doc).encode(), now=NOW)
    db.commit()
    return org.id


def test_exact_and_prefix_labels_survive_a_full_candidate_cap(db):
    org_id = _framework(db, search.CANDIDATES + 100)
    started = time.perf_counter()
    hits = search.search(db, query="zeta", language="en", org_id=org_id)
    took = time.perf_counter() - started
    assert [h.label for h in hits[:2]] == ["Zeta", "Zeta wrangling in the workshop"]
    assert [h.rank for h in hits[:2]] == [0, 1]
    assert len(hits) == 20 and all(h.rank == 2 for h in hits[2:])
    assert took < 5  # two thousand rows read, not a table scan per hit
    full = search.search(db, query="ZETA wrangling", language="en", org_id=org_id)
    assert full[0].uri == "https://case.example.edu/prefix"


def test_a_smaller_cap_keeps_them_too(db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 5)
    org_id = _framework(db, 30)
    hits = search.search(db, query="zeta", language="en", org_id=org_id, limit=3)
    assert [h.uri.rsplit("/", 1)[1] for h in hits[:2]] == ["exact", "prefix"]
    assert len(hits) == 3
