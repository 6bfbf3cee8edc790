"""Search skills and occupations by label across frameworks (ESCO, O*NET, CASE, RSD).

Matches preferred and alternative labels in the asked language, case- and
accent-insensitively ("gestion" finds "Gestión"); labels in other languages match
too, ranked after, and hidden labels (search-only, e.g. ESCO's misspellings) last. Ranking: exact label, label starting with the query, a word of the
label starting with the query, then alternative labels the same way, then any other
occurrence; shorter labels first within a tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from openler.skills_service.frameworks import fold, hidden_labels
from openler.storage.tables_frameworks import FrameworkItem, SkillFramework

CANDIDATES = 2000


@dataclass(frozen=True, slots=True)
class Hit:
    """One found item, labelled in the asked language when it has one."""

    uri: str
    code: str
    kind: str
    label: str
    language: str
    framework: str
    framework_id: str
    description: str
    matched: str
    rank: int


def _tier(query: str, text: str) -> int | None:
    folded = fold(text)
    if folded == query:
        return 0
    if folded.startswith(query):
        return 1
    if any(word.startswith(query) for word in folded.split()) or f" {query}" in folded:
        return 2
    words = folded.split()
    if all(any(w.startswith(q) for w in words) for q in query.split()):
        return 3
    if query in folded:
        return 4
    return None


def _best(query: str, item: FrameworkItem, language: str) -> tuple[int, str] | None:
    ranked: list[tuple[int, str]] = []
    for lang, label in item.labels.items():
        tier = _tier(query, label)
        if tier is not None:
            ranked.append((tier + (0 if lang == language else 10), label))
    for lang, alternatives in item.alt_labels.items():
        for alternative in alternatives:
            tier = _tier(query, alternative)
            if tier is not None:
                ranked.append((min(tier + 2, 4) + 1 + (0 if lang == language else 10),
                               alternative))
    # A hidden label (a misspelling, an old term) finds the item after every shown label,
    # and the item is said to match by its own label: hidden labels are never shown.
    own = item.labels.get(language) or next(iter(item.labels.values()), "")
    for lang, hidden in hidden_labels(item.extra).items():
        for label in hidden:
            tier = _tier(query, label)
            if tier is not None:
                ranked.append((min(tier + 2, 4) + 2 + (0 if lang == language else 10), own))
    if item.code and fold(item.code) == query:
        ranked.append((0, item.code))
    return min(ranked, default=None)


def _starts(query: str, item: FrameworkItem, language: str) -> bool:
    """True when the item's label in this language is the query or starts with it."""
    return fold(item.labels.get(language, "")).startswith(query)


def search(db: Session, *, query: str, language: str, frameworks: Sequence[str] | None = None,
           org_id: str | None = None, limit: int = 20, kind: str | None = None) -> list[Hit]:
    """Items whose labels match the query, best first, in the frameworks an org may see.

    ``kind`` ("skill" or "occupation") keeps only that kind, e.g. to pick an occupation."""
    folded = fold(query)
    if not folded or limit < 1:
        return []
    visible: list[ColumnElement[bool]] = [SkillFramework.org_id.is_(None)]
    if org_id is not None:
        visible.append(SkillFramework.org_id == org_id)
    statement = (select(FrameworkItem, SkillFramework)
                 .join(SkillFramework, FrameworkItem.framework_id == SkillFramework.id)
                 .where(or_(*visible)))
    if frameworks:
        statement = statement.where(or_(SkillFramework.id.in_(frameworks),
                                        SkillFramework.key.in_(frameworks)))
    if kind is not None:
        statement = statement.where(FrameworkItem.kind == kind)
    for word in folded.split():
        statement = statement.where(FrameworkItem.search_text.contains(word, autoescape=True))
    first = folded.split()[0]
    text = FrameworkItem.search_text
    # Labels equal to or starting with the whole query (the best tiers) are never capped:
    # without this, an exact label stored after CANDIDATES word matches was dropped.
    rows = [(r[0], r[1]) for r in db.execute(statement.where(or_(
        text.startswith(folded, autoescape=True),
        text.contains("\n" + folded, autoescape=True))))]
    seen = {item.id for item, _ in rows}
    # Nothing else can rank above `limit` labels in this language equal to or starting
    # with the query; otherwise word-prefix matches next, so that a common query cannot
    # crowd them out of the candidates.
    if sum(1 for item, _ in rows if _starts(folded, item, language)) < limit:
        prefixed = statement.where(or_(text.startswith(first, autoescape=True),
                                       text.contains(" " + first, autoescape=True),
                                       text.contains("\n" + first, autoescape=True)))
        rows += [(r[0], r[1]) for r in db.execute(prefixed.limit(CANDIDATES))
                 if r[0].id not in seen]
    if len(rows) < limit:
        seen = {item.id for item, _ in rows}
        rows += [(r[0], r[1]) for r in db.execute(statement.limit(CANDIDATES))
                 if r[0].id not in seen]
    hits: list[Hit] = []
    for item, framework in rows:
        best = _best(folded, item, language)
        if best is None:
            continue
        label_lang = language if item.labels.get(language) else next(iter(item.labels), "")
        label = item.labels.get(label_lang, "")
        hits.append(Hit(uri=item.uri, code=item.code, kind=item.kind, label=label,
                        language=label_lang, framework=framework.key,
                        framework_id=framework.id,
                        description=item.description.get(label_lang, ""),
                        matched=best[1], rank=best[0]))
    hits.sort(key=lambda h: (h.rank, len(h.label), fold(h.label), h.uri))
    return hits[:limit]
