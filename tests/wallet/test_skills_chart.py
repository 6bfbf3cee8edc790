"""Geometry of the skills chart: bars scaled to the skill with most records, split into
verified, not verified and self-reported parts that add up, labels shortened for narrow
screens, and only the first skills drawn (the table lists the rest)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openler.wallet.skills_chart import FULL, LABEL_CHARS, ROW, chart, shorten
from openler.wallet.skills_profile import Evidence, SkillEntry


def _entry(name: str, verified: int, unverified: int, mine: int) -> SkillEntry:
    kinds = [(True, False)] * verified + [(False, False)] * unverified + [(False, True)] * mine
    evidence = tuple(Evidence(f"{n:032x}", f"R{n}", "Issuer", v, s, "2026-01-01", f"urn:{n}")
                     for n, (v, s) in enumerate(kinds))
    return SkillEntry(key=f"name:{name}", name=name, kind="skill", framework="", code="",
                      url="", evidence=evidence)


def test_bars_scale_to_the_longest_and_split_by_evidence():
    drawn = chart([_entry("Welding", 2, 1, 1), _entry("Cooking", 1, 0, 0),
                   _entry("Singing", 0, 0, 2)])
    assert drawn.height == 3 * ROW and drawn.left_out == 0
    first = drawn.bars[0]
    assert first.label == "Welding" and first.total == 4
    assert [(s.part, s.count) for s in first.segments] == [
        ("verified", 2), ("unverified", 1), ("self_reported", 1)]
    assert [s.width for s in first.segments] == [FULL / 2, FULL / 4, FULL / 4]
    assert [s.x for s in first.segments] == [0, FULL / 2, FULL * 3 / 4]
    assert [(s.part, s.width) for s in drawn.bars[1].segments] == [("verified", FULL / 4)]
    assert [(s.part, s.x) for s in drawn.bars[2].segments] == [("self_reported", 0)]
    assert drawn.bars[1].label_y == first.label_y + ROW
    assert first.label_y < first.bar_y


def test_only_the_first_skills_are_drawn():
    entries = [_entry(f"Skill {n}", 1, 0, 0) for n in range(15)]
    drawn = chart(entries, limit=12)
    assert len(drawn.bars) == 12 and drawn.left_out == 3
    assert chart([]).bars == () and chart([]).height == 0


def test_long_names_are_shortened_at_a_word():
    name = "Operate and maintain industrial refrigeration systems safely"
    short = shorten(name)
    assert len(short) <= LABEL_CHARS and short.endswith("…")
    assert name.startswith(short[:-1]) and not short[:-1].endswith(" ")
    assert shorten("  Welding   basics ") == "Welding basics"


@settings(max_examples=80, deadline=None)
@given(counts=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
                       .filter(lambda c: sum(c) > 0), min_size=1, max_size=8))
def test_parts_fill_each_bar_in_proportion(counts):
    entries = [_entry(f"S{n}", *c) for n, c in enumerate(counts)]
    longest = max(sum(c) for c in counts)
    for bar, c in zip(chart(entries).bars, counts, strict=True):
        assert sum(s.count for s in bar.segments) == sum(c)
        end = bar.segments[-1].x + bar.segments[-1].width
        assert abs(end - FULL * sum(c) / longest) < 0.05
        assert end <= FULL + 0.01
        for left, right in zip(bar.segments, bar.segments[1:], strict=False):
            assert abs(left.x + left.width - right.x) < 0.02
