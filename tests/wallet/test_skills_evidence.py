"""Evidence strength and recency, in memory: assessed result > verified completion >
endorsement (only when its own check passed) > self-reported, failed and unchecked records
last and never counted; endorsements kept as records or embedded in the credential, the
achievement or the issuer profile back the skills of what they endorse; the most recent
date, expiry, recency in words (English and Spanish), and the orders the page offers."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from openler.wallet.models import CheckReport, Record
from openler.wallet.skills_curation import ordered
from openler.wallet.skills_evidence import (
    COUNTED,
    NO_STRENGTH,
    STRENGTHS,
    expired,
    rank,
    recency_words,
    record_strength,
)
from openler.wallet.skills_profile import build
from openler.wallet.summary import summarize

COLLEGE = "did:web:college.example"
ME = "did:key:z6MkLearner"
ACHIEVEMENT = "https://college.example/achievements/weld"


def _credential(n: int, *, skills: list[str], result: bool = False, mine: bool = False,
                issued: str = "2024-03-01", until: str = "", issuer: str = COLLEGE,
                extra: dict[str, Any] | None = None,
                achievement_extra: dict[str, Any] | None = None) -> dict[str, Any]:
    issuer_id = ME if mine else issuer
    subject: dict[str, Any] = {
        "id": ME, "type": ["AchievementSubject"],
        "achievement": {"id": f"{ACHIEVEMENT}/{n}", "type": ["Achievement"], "name": f"Course {n}",
                        "alignment": [{"type": ["Alignment"], "targetName": s,
                                       "targetUrl": f"https://skills.example/{s.lower()}"}
                                      for s in skills], **(achievement_extra or {})}}
    if result:
        subject["result"] = [{"type": ["Result"], "value": "A"}]
    credential = {"id": f"urn:uuid:00000000-0000-0000-0000-{n:012d}",
                  "type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Example College"},
                  "validFrom": f"{issued}T00:00:00Z", "credentialSubject": subject,
                  **(extra or {})}
    if until:
        credential["validUntil"] = f"{until}T00:00:00Z"
    return credential


def _endorsement(n: int, endorsed: str, *, comment: str = "Rigorous.",
                 issued: str = "2025-06-01") -> dict[str, Any]:
    return {"id": f"urn:uuid:e0000000-0000-0000-0000-{n:012d}",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "issuer": {"id": "did:web:guild.example", "type": ["Profile"],
                       "name": "Welders Guild"},
            "validFrom": f"{issued}T00:00:00Z",
            "credentialSubject": {"id": endorsed, "type": ["EndorsementSubject"],
                                  "endorsementComment": comment}}


def _record(n: int, credential: dict[str, Any], outcome: str = "verified",
            source: str = "claim", state: str = "kept") -> Record:
    return Record(id=f"{n:032x}", state=state, received_at=datetime(2026, 2, 1),  # type: ignore[arg-type]
                  credential=credential, summary=summarize(credential),
                  arrival=CheckReport(outcome, (), ""), source=source)  # type: ignore[arg-type]


def _only(made, name="Welding"):
    return next(e for e in made.entries if e.name == name)


def test_kinds_strongest_first_and_failed_last():
    records = [
        _record(1, _credential(1, skills=["Welding"], mine=True, issued="2026-01-01"),
                source="self"),
        _record(2, _credential(2, skills=["Welding"], issued="2025-01-01"), "not_verified"),
        _record(3, _credential(3, skills=["Welding"], issued="2023-01-01")),
        _record(4, _credential(4, skills=["Welding"], result=True, issued="2020-01-01")),
        _record(5, _credential(5, skills=["Welding"], issued="2025-05-01"), "incomplete"),
    ]
    assert [record_strength(r) for r in records] == [
        "self_reported", "failed", "completion", "assessed", "not_checked"]
    welding = _only(build(records))
    assert [e.strength for e in welding.evidence] == [
        "assessed", "completion", "self_reported", "not_checked", "failed"]
    assert welding.strength == "assessed"
    # Failed and unchecked records never count: not as strength and not for recency.
    assert welding.last_on == "2026-01-01"
    assert [e.counts for e in welding.evidence] == [True, True, True, False, False]
    only_failed = _only(build([records[1]]))
    assert only_failed.strength == NO_STRENGTH and only_failed.last_on == "2025-01-01"


def test_a_self_reported_record_is_self_reported_whatever_its_check_says():
    mine = _record(1, _credential(1, skills=["Welding"], result=True, mine=True), "verified")
    evidence = _only(build([mine])).evidence[0]
    assert evidence.strength == "self_reported" and not evidence.verified


def test_kept_endorsements_back_what_they_endorse():
    course = _credential(1, skills=["Welding", "Brazing"])
    records = [
        _record(1, course),
        _record(2, _endorsement(2, f"{ACHIEVEMENT}/1")),  # the achievement
        _record(3, _endorsement(3, COLLEGE, comment="")),  # the issuer
        _record(4, _endorsement(4, course["id"]), "not_verified"),  # the credential: failed
        _record(5, _endorsement(5, "https://elsewhere.example/a")),  # something else
        _record(6, _endorsement(6, COLLEGE), source="self"),  # the learner's own word
        _record(7, _endorsement(7, COLLEGE), state="pending"),  # not kept
    ]
    made = build(records)
    assert [e.name for e in made.entries] == ["Brazing", "Welding"]
    welding = _only(made)
    assert [(e.strength, e.record_id[-1], e.endorses) for e in welding.evidence] == [
        ("completion", "1", ""), ("endorsement", "2", "achievement"),
        ("endorsement", "3", "issuer"), ("self_reported", "6", "issuer"),
        ("failed", "4", "credential")]
    endorsement = welding.evidence[1]
    assert endorsement.issuer_name == "Welders Guild" and endorsement.verified
    assert endorsement.record_name == "Course 1" and endorsement.endorsement_comment == "Rigorous."
    assert endorsement.dated_on == "2025-06-01" and not endorsement.embedded
    assert welding.last_on == "2025-06-01"
    assert welding.verified_count == 3 and welding.unverified_count == 1
    # An endorsement alone (its record gone) backs nothing.
    assert build(records[1:]).entries == ()


def test_only_an_endorsement_whose_own_check_passed_counts():
    endorsed = _record(1, _credential(1, skills=["Welding"], mine=True), source="self")
    made = build([endorsed, _record(2, _endorsement(2, f"{ACHIEVEMENT}/1"))])
    assert _only(made).strength == "endorsement"  # stronger than the learner's own word
    failed = build([endorsed, _record(2, _endorsement(2, f"{ACHIEVEMENT}/1"), "not_verified")])
    assert _only(failed).strength == "self_reported"


def test_embedded_endorsements_are_checked_and_must_endorse_their_holder():
    inner = _endorsement(10, f"{ACHIEVEMENT}/1", comment="Well taught.")
    stray = _endorsement(11, "https://elsewhere.example/a")  # endorses something else
    issuer_level = _endorsement(12, COLLEGE)
    credential = _credential(1, skills=["Welding"], achievement_extra={
        "endorsement": [inner, stray]})
    credential["issuer"]["endorsement"] = [issuer_level]
    record = _record(1, credential)
    seen: list[str] = []

    def check(document):
        seen.append(document["id"])
        return "verified" if document["id"] == inner["id"] else "not_verified"

    welding = _only(build([record], endorsement_check=check))
    assert sorted(seen) == sorted([inner["id"], issuer_level["id"]])
    assert [(e.strength, e.endorses, e.embedded) for e in welding.evidence] == [
        ("completion", "", False), ("endorsement", "achievement", True),
        ("failed", "issuer", True)]
    assert welding.evidence[1].record_id == record.id  # the record that carries it
    assert welding.evidence[1].credential_ref == inner["id"]
    # Without a checker an embedded endorsement is listed as not checked and does not count.
    unchecked = _only(build([record]))
    assert [e.strength for e in unchecked.evidence] == ["completion", "not_checked",
                                                         "not_checked"]


def test_expiry_and_recency_in_words():
    today = date(2026, 12, 1)
    assert expired("2026-11-30", today) and not expired("2026-12-01", today)
    assert not expired("", today) and not expired("not a date", today)
    assert recency_words("2023-11-20", today, "en_GB") == "3 years ago"
    assert recency_words("2023-11-20", today, "es") == "hace 3 años"
    assert recency_words("2026-11-01", today, "en_GB") == "1 month ago"
    assert recency_words("2026-12-01", today, "en_GB") == ""  # the page says "today"
    assert recency_words("garbage", today, "en_GB") == ""
    old = _record(1, _credential(1, skills=["Welding"], until="2025-01-01"))
    assert _only(build([old])).evidence[0].valid_until == "2025-01-01"


def test_arrival_date_when_the_credential_has_none():
    credential = _credential(1, skills=["Welding"])
    del credential["validFrom"]
    evidence = _only(build([_record(1, credential)])).evidence[0]
    assert evidence.issued_on == "" and evidence.dated_on == "2026-02-01"


def test_orders_for_the_page():
    records = [
        _record(1, _credential(1, skills=["Zinc plating"], mine=True, issued="2026-01-01"),
                source="self"),
        _record(2, _credential(2, skills=["Arc welding", "Brazing"], issued="2021-01-01")),
        _record(3, _credential(3, skills=["Brazing", "Casting"], result=True,
                               issued="2024-01-01")),
    ]
    entries = build(records).entries
    assert [e.name for e in entries] == ["Brazing", "Arc welding", "Casting", "Zinc plating"]
    assert [e.name for e in ordered(entries, "strength")] == [
        "Brazing", "Casting", "Arc welding", "Zinc plating"]
    assert [e.name for e in ordered(entries, "recent")] == [
        "Zinc plating", "Brazing", "Casting", "Arc welding"]
    assert [e.name for e in ordered(entries, "name")] == [
        "Arc welding", "Brazing", "Casting", "Zinc plating"]
    assert ordered(entries, "anything") == entries
    featured = build(records, featured_keys=["name:zinc plating"]).entries
    assert featured[0].name == "Zinc plating" and featured[0].featured
    assert not any(e.featured for e in featured[1:])


_kind = st.sampled_from(["assessed", "completion", "self_reported", "failed", "not_checked"])


def _of_kind(n: int, kind: str) -> Record:
    outcome = {"failed": "not_verified", "not_checked": "incomplete"}.get(kind, "verified")
    return _record(n, _credential(n, skills=["Welding"], result=kind == "assessed",
                                  mine=kind == "self_reported",
                                  issued=f"20{10 + n % 15}-0{1 + n % 9}-01"),
                   outcome, "self" if kind == "self_reported" else "claim")


@settings(max_examples=50, deadline=None)
@given(kinds=st.lists(_kind, min_size=1, max_size=8), seed=st.integers(0, 1000))
def test_strength_is_the_strongest_counted_evidence(kinds, seed):
    records = [_of_kind(n, k) for n, k in enumerate(kinds)]
    random.Random(seed).shuffle(records)
    entry = _only(build(records))
    strengths = [e.strength for e in entry.evidence]
    assert strengths == sorted(strengths, key=rank)  # strongest first, failed last
    counted = [k for k in kinds if k in COUNTED]
    assert entry.strength == (min(counted, key=STRENGTHS.index) if counted else NO_STRENGTH)
    dates = [e.dated_on for e in entry.evidence if e.counts] or [
        e.dated_on for e in entry.evidence]
    assert entry.last_on == max(dates)
