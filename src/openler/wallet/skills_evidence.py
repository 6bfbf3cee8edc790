"""How strong each piece of evidence behind a skill is, which endorsements back it, and when.

Spec: 1EdTech Open Badges 3.0, sections 4.2 (AchievementSubject.result, Result),
4.3 (Achievement.endorsement, Profile.endorsement), 4.5 (EndorsementCredential,
EndorsementSubject: ``credentialSubject.id`` is the id of what is endorsed,
an Achievement, a Profile or a credential) and 8.1 (an endorsement is
verified like any other credential); CLR 2.0 results; W3C VC Data Model 2.0,
section 4.9 (validFrom / validUntil).

Kinds, strongest first:
``assessed``      a verified record, not self-reported, with at least one result;
``completion``    a verified record, not self-reported, without a result;
``endorsement``   an EndorsementCredential whose own check passed and that endorses
                  the credential, the achievement or the issuer a skill comes from
                  (kept in the wallet as its own record, or embedded in the credential,
                  its achievement or its issuer profile);
``self_reported`` the learner's own statement.
``not_checked`` and ``failed`` are listed last and never count as strength: a record
whose check could not run fully, or whose check failed (an endorsement included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from babel.dates import format_timedelta

from openler.core.errors import SdJwtError
from openler.core.verify.vc_jose import decode_vc_jwt
from openler.wallet.models import Record
from openler.wallet.summary import document_of, summarize

Strength = Literal["assessed", "completion", "endorsement", "self_reported", "not_checked",
                   "failed"]
STRENGTHS: tuple[Strength, ...] = ("assessed", "completion", "endorsement", "self_reported",
                                   "not_checked", "failed")
COUNTED: frozenset[str] = frozenset(STRENGTHS[:4])
NO_STRENGTH = "none"  # a skill with only failed or unchecked evidence
ENDORSEMENT_TYPE = "EndorsementCredential"
EMBEDDED_KEYS = ("endorsement", "endorsementJwt")
# What a verified endorsement check returns for one embedded endorsement: "verified",
# "not_verified" or "incomplete" (the outcomes of openler.core.verify).
EndorsementCheck = Callable[[Mapping[str, Any] | str], str]


def rank(kind: str) -> int:
    """Position in the strongest-first order (unknown kinds last)."""
    return STRENGTHS.index(kind) if kind in STRENGTHS else len(STRENGTHS)  # type: ignore[arg-type]


def _outcome_kind(outcome: str) -> Strength | None:
    if outcome == "verified":
        return None
    return "not_checked" if outcome == "incomplete" else "failed"


def record_strength(record: Record) -> Strength:
    """The kind of evidence a record that names a skill gives for it."""
    if record.self_reported:
        return "self_reported"
    weak = _outcome_kind(record.arrival.outcome)
    if weak:
        return weak
    return "assessed" if record.summary.results else "completion"


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _id(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    found = _map(value).get("id")
    return found.strip() if isinstance(found, str) else ""


def _types(document: Mapping[str, Any]) -> set[str]:
    return {t for t in _list(document.get("type")) if isinstance(t, str)}


def is_endorsement(document: Mapping[str, Any]) -> bool:
    """An OB 3.0 EndorsementCredential (section 4.5)."""
    return ENDORSEMENT_TYPE in _types(document)


def _parts(record: Record) -> tuple[Mapping[str, Any], Mapping[str, Any], Any]:
    document = document_of(record.credential, record.format)
    subject = _map(_list(document.get("credentialSubject"))[0]
                   if _list(document.get("credentialSubject")) else {})
    return document, _map(subject.get("achievement")), document.get("issuer")


def targets(record: Record) -> dict[str, str]:
    """The ids an endorsement of this record could name: id -> what it is."""
    document, achievement, issuer = _parts(record)
    found: dict[str, str] = {}
    for what, value in (("issuer", issuer), ("achievement", achievement),
                        ("credential", document)):
        if ident := _id(value):
            found[ident] = what
    return found


@dataclass(frozen=True, slots=True)
class Endorsement:
    """One endorsement of something a record names, as the profile shows it."""

    kind: Strength  # "endorsement" when its own check passed, else not_checked / failed
    endorsed_id: str
    endorser_name: str
    comment: str
    issued_on: str
    valid_until: str
    document: Mapping[str, Any] | str
    record_id: str = ""  # set for an endorsement kept as its own record in the wallet


def _describe(document: Mapping[str, Any] | str) -> tuple[str, str, str, str, str]:
    """(endorsed id, endorser, comment, issued on, valid until) of an endorsement."""
    if not isinstance(document, Mapping):
        try:  # a compact JWS (OB 3.0 endorsementJwt)
            document = decode_vc_jwt(document)[1]
        except (SdJwtError, ValueError, TypeError):
            return "", "", "", "", ""
    summary = summarize(document)
    subject = _map(_list(document.get("credentialSubject"))[0]
                   if _list(document.get("credentialSubject")) else {})
    comment = subject.get("endorsementComment")
    return (_id(subject), summary.issuer_name or summary.issuer_id,
            comment if isinstance(comment, str) else "", summary.issued_on,
            summary.valid_until)


def kept_endorsements(records: Iterable[Record]) -> dict[str, list[Endorsement]]:
    """Endorsements kept in the wallet as records, by the id they endorse."""
    found: dict[str, list[Endorsement]] = {}
    for record in records:
        if record.state != "kept":
            continue
        document = document_of(record.credential, record.format)
        if not is_endorsement(document):
            continue
        endorsed, endorser, comment, issued_on, until = _describe(document)
        if not endorsed:
            continue
        # The learner's own "endorsement" is their own word, whatever its check says.
        kind: Strength = ("self_reported" if record.self_reported
                          else _outcome_kind(record.arrival.outcome) or "endorsement")
        found.setdefault(endorsed, []).append(Endorsement(
            kind=kind, endorsed_id=endorsed, endorser_name=endorser, comment=comment,
            issued_on=issued_on or record.received_at.date().isoformat(), valid_until=until,
            document=document, record_id=record.id))
    return found


def embedded_endorsements(record: Record, check: EndorsementCheck | None
                          ) -> list[Endorsement]:
    """Endorsements carried inside the record (credential, achievement or issuer profile)
    that endorse the object they sit in; each is checked with ``check`` (none: not checked)."""
    document, achievement, issuer = _parts(record)
    found = []
    for holder in (document, achievement, _map(issuer)):
        own = _id(holder)
        for key in EMBEDDED_KEYS:
            for item in _list(holder.get(key)):
                if not isinstance(item, Mapping | str):
                    continue
                endorsed, endorser, comment, issued_on, until = _describe(item)
                if not endorsed or endorsed != own:
                    continue
                outcome = check(item) if check is not None else "incomplete"
                found.append(Endorsement(
                    kind=_outcome_kind(outcome) or "endorsement", endorsed_id=endorsed,
                    endorser_name=endorser, comment=comment, issued_on=issued_on,
                    valid_until=until, document=item))
    return found


def expired(valid_until: str, today: date) -> bool:
    """The record's validUntil has passed (the evidence is kept, and the page says so)."""
    try:
        return bool(valid_until) and date.fromisoformat(valid_until[:10]) < today
    except ValueError:
        return False


def recency_words(on: str, today: date, locale: str) -> str:
    """How long ago, in the page's language ("3 years ago", "hace 3 años")."""
    try:
        then = date.fromisoformat(on[:10])
    except ValueError:
        return ""
    days = (then - today).days
    if days == 0:
        return ""
    return format_timedelta(timedelta(days=days), granularity="day", add_direction=True,
                            locale=locale)
