"""Geometry of the skills profile's bar chart, drawn as inline SVG by the page.

One horizontal bar per skill, as long as the number of kept records behind it,
split into verified, not verified and self-reported parts (the page tells them
apart by fill pattern and a worded legend, never by colour alone). Widths are
percentages of the chart's width, so the bars reflow at any screen size while
the labels keep their size; the data table on the page is the chart's text
alternative. No web imports: the page only draws what this returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openler.wallet.skills_profile import SkillEntry

ROW = 52  # pixels per skill: a label line, then the bar
LABEL_BASELINE = 17
BAR_TOP = 23
BAR_HEIGHT = 20
LABEL_CHARS = 34  # longer names are shortened here; the table gives them in full
DEFAULT_LIMIT = 12
FULL = 99.0  # percent of the width for the longest bar (its outline stays inside)


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a bar: which kind of evidence, where it starts and how wide (percent)."""

    part: str  # "verified", "unverified" or "self_reported"
    count: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Bar:
    """One skill's row in the chart."""

    key: str
    label: str
    total: int
    label_y: int
    bar_y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """Every bar, the drawing's height, and how many skills only the table lists."""

    bars: tuple[Bar, ...]
    height: int
    bar_height: int
    left_out: int


def shorten(name: str, limit: int = LABEL_CHARS) -> str:
    """The name as it fits on a narrow screen (cut at a word where possible)."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + "…"


def chart(entries: Sequence[SkillEntry], *, limit: int = DEFAULT_LIMIT) -> Chart:
    """Bars for the first ``limit`` skills (the profile's order), scaled to the longest."""
    shown = list(entries[:limit])
    longest = max((len(e.evidence) for e in shown), default=0)
    bars = []
    for row, entry in enumerate(shown):
        parts = (("verified", entry.verified_count), ("unverified", entry.unverified_count),
                 ("self_reported", entry.self_reported_count))
        x = 0.0
        segments = []
        for part, count in parts:
            if count:
                width = round(FULL * count / longest, 2)
                segments.append(Segment(part, count, round(x, 2), width))
                x += width
        top = row * ROW
        bars.append(Bar(key=entry.key, label=shorten(entry.name), total=len(entry.evidence),
                        label_y=top + LABEL_BASELINE, bar_y=top + BAR_TOP,
                        segments=tuple(segments)))
    return Chart(bars=tuple(bars), height=len(bars) * ROW, bar_height=BAR_HEIGHT,
                 left_out=max(0, len(entries) - len(shown)))
