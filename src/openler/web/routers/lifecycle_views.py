"""Presentation helpers for the lifecycle pages: translated labels and the dashboard's
server-rendered SVG bar charts.

Charts follow WCAG 2.2 1.1.1 (a text alternative via <title>/<desc>, plus a data
table on the page) and 1.4.1 (each bar has a text label and its own fill pattern,
so colour is never the only cue); 1.4.11 (bar colours contrast 3:1 with white).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from openler.issuer.dashboard import SHOWN_KINDS, AchievementFigures
from openler.web.i18n import N_, gettext

KIND_LABELS = {
    "issued": N_("Issued"), "claimed": N_("Claimed"), "shared": N_("Shared"),
    "verified": N_("Verified"), "suspended": N_("Suspended"), "revoked": N_("Revoked"),
}
ACTION_LABELS = {
    "achievement_created": N_("Achievement created"),
    "achievement_edited": N_("Achievement edited"),
    "achievement_retired": N_("Achievement retired"),
    "achievement_restored": N_("Achievement brought back"),
    "award_issued": N_("Credential issued"),
    "cohort_started": N_("Group issue started"),
    "cohort_cancelled": N_("Group issue cancelled"),
    "credential_revoked": N_("Credential revoked"),
    "credential_suspended": N_("Credential suspended"),
    "credential_unsuspended": N_("Suspension lifted"),
    "credential_reissued": N_("Credential reissued"),
    "api_token_created": N_("API token created"),
    "api_token_revoked": N_("API token revoked"),
    "key_rotated": N_("Signing key replaced"),
}
# Fill colour (at least 3:1 against white) and a pattern drawn over it, per kind.
STYLES = {
    "issued": ("#1d4ed8", ""),
    "claimed": ("#047857", '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>'),
    "shared": ("#6d28d9", '<circle cx="4" cy="4" r="1.6" fill="#fff"/>'),
    "verified": ("#374151", '<path d="M0,4 H8 M4,0 V8" stroke="#fff" stroke-width="1.5"/>'),
    "suspended": ("#92400e", '<path d="M0,2 H8 M0,6 H8" stroke="#fff" stroke-width="1.2"/>'),
    "revoked": ("#be123c", '<path d="M0,0 L8,8" stroke="#fff" stroke-width="2"/>'),
}
ROW, LABEL_W, BAR_W, GAP = 22, 190, 280, 8


def kind_label(kind: str) -> str:
    """The translated name of an event kind."""
    return gettext(KIND_LABELS.get(kind, kind))


def action_label(action: str) -> str:
    """The translated name of an audit action."""
    return gettext(ACTION_LABELS.get(action, action))


def figure_text(count: int | None) -> str:
    """A figure, or "fewer than 5" when it is suppressed."""
    return gettext("fewer than 5") if count is None else str(count)


def chart(fig: AchievementFigures, index: int) -> Markup:
    """An inline SVG bar chart of one achievement's monthly counts."""
    prefix = f"chart-{index}"
    rows = [(m, k) for m in fig.months for k in SHOWN_KINDS]
    largest = max(fig.largest, 1)
    height = len(rows) * ROW + GAP
    width = LABEL_W + BAR_W + 110
    summary = "; ".join(
        f"{m}: " + ", ".join(f"{kind_label(k)} {figure_text(fig.cell(m, k).count)}"
                             for k in SHOWN_KINDS)
        for m in fig.months)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(gettext("Credentials of %(name)s per month") % {"name": fig.name})}</title>',
        f'<desc id="{prefix}-desc">{escape(summary)}</desc>',
        "<defs>",
    ]
    for kind, (colour, mark) in STYLES.items():
        parts.append(f'<pattern id="{prefix}-{kind}" width="8" height="8" '
                     f'patternUnits="userSpaceOnUse"><rect width="8" height="8" '
                     f'fill="{colour}"/>{mark}</pattern>')
    parts.append("</defs>")
    for n, (month, kind) in enumerate(rows):
        y = GAP // 2 + n * ROW
        count = fig.cell(month, kind).count
        label = f"{month} · {kind_label(kind)}"
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" '
                     f'font-size="12" fill="#1f2937">{escape(label)}</text>')
        length = 0 if count is None else round(BAR_W * count / largest)
        if length:
            parts.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{length}" height="{ROW - 6}" '
                         f'fill="url(#{prefix}-{kind})" stroke="#111827" stroke-width="0.5"/>')
        parts.append(f'<text x="{LABEL_W + length + 6}" y="{y + 15}" font-size="12" '
                     f'fill="#1f2937">{escape(figure_text(count))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
