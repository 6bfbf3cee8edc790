"""The list page's logic: grouping kept records by issuer, type (self-reported apart) or year,
and searching name, issuer, skills and description without regard to case or accents."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from openler.wallet import listing
from openler.wallet.models import CheckReport, Record, RecordSummary, Skill

ARRIVAL = CheckReport("verified", (), "2026-01-01T00:00:00")


def _record(rid: str, *, name: str = "Course", issuer: str = "Harbour Institute",
            issuer_id: str = "did:key:z1", kind: str = "Certificate", issued: str = "2026-02-01",
            skills: tuple[str, ...] = (), description: str = "", state: str = "kept",
            source: str = "import", credential: dict | str | None = None,
            fmt: str = "ldp_vc") -> Record:
    summary = RecordSummary(issuer_id=issuer_id, issuer_name=issuer, achievement_name=name,
                            achievement_type=kind, description=description,
                            skills=tuple(Skill(name=s) for s in skills), issued_on=issued)
    return Record(id=rid, state=state, received_at=datetime(2026, 3, 1, tzinfo=UTC),
                  credential=credential if credential is not None else {},
                  summary=summary, arrival=ARRIVAL, source=source, format=fmt)


RECORDS = [
    _record("a", name="Électricité navale", issuer="Zeta College", issuer_id="https://z",
            kind="Badge", issued="2024-05-01", skills=("Wire a boat",)),
    _record("b", name="Boat engines", issuer="alpha academy", issuer_id="https://a",
            issued="2026-01-01", description="Diesel and petrol engines."),
    _record("c", name="Food bank volunteer", issuer="Ana", issuer_id="did:key:me",
            kind="", issued="2025-07-07", source="self"),
    _record("d", name="Forklift", issuer="", issuer_id="did:key:zforklift", kind="",
            issued="", credential={"type": ["VerifiableCredential", "OpenBadgeCredential"]}),
    _record("e", name="Waiting", state="pending"),
    _record("f", name="Crane safety", issuer="Zeta College", issuer_id="https://z",
            kind="BachelorDegree", issued="2026-06-01"),
]


def _ids(groups):
    return [(g.kind, g.label, [r.id for r in g.records]) for g in groups]


def test_grouping_by_issuer_is_alphabetical_and_newest_first():
    assert _ids(listing.group(RECORDS, "issuer")) == [
        ("issuer", "alpha academy", ["b"]),
        ("issuer", "Ana", ["c"]),
        ("issuer", "Zeta College", ["f", "a"]),
        ("issuer", "did:key:zforklift", ["d"]),
    ]


def test_grouping_by_type_keeps_self_reported_apart():
    assert _ids(listing.group(RECORDS, "type")) == [
        ("type", "Bachelor Degree", ["f"]),
        ("type", "Badge", ["a"]),
        ("type", "Certificate", ["b"]),
        ("type", "Open Badge Credential", ["d"]),
        ("self", "", ["c"]),
    ]


def test_grouping_by_year_is_newest_first_with_undated_last():
    assert _ids(listing.group(RECORDS, "date")) == [
        ("year", "2026", ["f", "b"]),
        ("year", "2025", ["c"]),
        ("year", "2024", ["a"]),
        ("undated", "", ["d"]),
    ]


def test_pending_records_are_never_grouped():
    for by in listing.GROUPINGS:
        assert "e" not in {r.id for g in listing.group(RECORDS, by) for r in g.records}


def test_unknown_grouping_falls_back_to_issuer():
    assert listing.grouping("nonsense") == "issuer" and listing.grouping(None) == "issuer"
    assert listing.grouping("date") == "date"


def test_search_ignores_case_and_accents_and_needs_every_word():
    def found(query):
        return [r.id for r in listing.search(RECORDS, query)]

    assert found("electricite") == ["a"]
    assert found("ÉLECTRICITÉ NAVALE") == ["a"]
    assert found("wire boat") == ["a"]  # a skill
    assert found("diesel") == ["b"]  # the description
    assert found("zeta") == ["a", "f"]  # the issuer's name
    assert found("zeta crane") == ["f"]
    assert found("astronomy") == []
    assert len(found("   ")) == len(RECORDS)


def test_readable_type_names():
    assert listing.readable_type("BachelorDegree") == "Bachelor Degree"
    assert listing.readable_type("https://example.org/credentials/forklift_licence") \
        == "Forklift licence"
    assert listing.readable_type("") == ""


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_lowercase(text):
    once = listing.fold(text)
    assert listing.fold(once) == once
    assert once == once.casefold()


@given(st.lists(st.sampled_from(RECORDS), max_size=12), st.sampled_from(listing.GROUPINGS))
def test_grouping_keeps_every_kept_record_once(records, by):
    grouped = [r.id for g in listing.group(records, by) for r in g.records]
    assert sorted(grouped) == sorted(r.id for r in records if r.state == "kept")
