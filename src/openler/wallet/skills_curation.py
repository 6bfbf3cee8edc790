"""The learner's choices about their skills profile: featured skills, hiding many at once,
and the order the page lists them in.

Spec: none beyond the profile's (``skills_profile``); choices are identifiers
(``url:``, ``code:``, ``name:``) kept sealed in the wallet's preferences, like
``hidden_skills``, so a record added later that joins a chosen skill keeps the choice
and a backup carries them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from openler.wallet import service
from openler.wallet.errors import WalletNotFound
from openler.wallet.skills_evidence import rank
from openler.wallet.skills_profile import (
    FEATURED_SETTING,
    HIDDEN_SETTING,
    SkillEntry,
    _find,
    _store,
    fold,
    profile,
    stored_keys,
)

Order = Literal["featured", "strength", "recent", "name"]
ORDERS: tuple[Order, ...] = ("featured", "strength", "recent", "name")


def feature(db: Session, *, config: service.WalletConfig, user_id: str, key: str,
            now: datetime, on: bool = True) -> SkillEntry:
    """Put a skill first in the profile (``on=False`` takes it out of the featured ones)."""
    entry = _find(db, config, user_id, key)
    keys = stored_keys(db, config, user_id, FEATURED_SETTING)
    keys = keys | entry.identifiers if on else keys - entry.identifiers
    _store(db, config, user_id, keys, now, FEATURED_SETTING)
    return replace(entry, featured=on)


def hide_self_reported(db: Session, *, config: service.WalletConfig, user_id: str,
                       now: datetime) -> tuple[SkillEntry, ...]:
    """Hide every shown skill whose strongest evidence is the learner's own statement."""
    made = profile(db, config=config, user_id=user_id, now=now)
    chosen = tuple(e for e in made.entries if e.strength == "self_reported")
    if not chosen:
        return ()
    keys = stored_keys(db, config, user_id)
    for entry in chosen:
        keys |= entry.identifiers
    _store(db, config, user_id, keys, now, HIDDEN_SETTING)
    return tuple(replace(e, hidden=True) for e in chosen)


def show_all(db: Session, *, config: service.WalletConfig, user_id: str,
             now: datetime) -> int:
    """Undo every hiding: all skills are back in the profile; how many were hidden."""
    made = profile(db, config=config, user_id=user_id, include_hidden=True, now=now)
    if not stored_keys(db, config, user_id):
        return 0
    try:
        _store(db, config, user_id, set(), now, HIDDEN_SETTING)
    except WalletNotFound:
        return 0
    return len(made.hidden)


def _newest(entry: SkillEntry) -> tuple[int, ...]:
    return tuple(-ord(c) for c in entry.last_on)


def ordered(entries: Sequence[SkillEntry], by: str) -> tuple[SkillEntry, ...]:
    """The entries in the order the learner asked for (unknown orders: featured first)."""
    if by not in ("strength", "recent", "name"):
        return tuple(entries)  # the profile's own order: featured, then most records

    def key(e: SkillEntry) -> tuple[Any, ...]:
        if by == "strength":
            return (rank(e.strength), -len(e.evidence), fold(e.name), e.key)
        if by == "recent":
            return (not e.last_on, _newest(e), fold(e.name), e.key)
        return (fold(e.name), e.key)

    return tuple(sorted(entries, key=key))
