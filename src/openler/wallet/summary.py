"""What a credential says, read out of its JSON for the wallet's pages.

Spec: 1EdTech Open Badges 3.0, sections 4.1-4.4 (AchievementCredential,
AchievementSubject, Achievement, Criteria, Alignment, ResultDescription,
Result); W3C VC Data Model 2.0, sections 4.7 (issuer) and 4.9 (validity).
Reading never fails: a field that is missing or has an unexpected shape is
shown as empty, because the verification result, not this summary, says
whether the record can be trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openler.wallet.models import RecordSummary, ResultLine, Skill


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:g}"
    return ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _date(value: Any) -> str:
    text = _text(value)
    return text[:10] if len(text) >= 10 else text


def _issuer(credential: Mapping[str, Any]) -> tuple[str, str]:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer, ""
    issuer = _mapping(issuer)
    return _text(issuer.get("id")), _text(issuer.get("name"))


def _skills(achievement: Mapping[str, Any]) -> tuple[Skill, ...]:
    skills = []
    for item in _list(achievement.get("alignment")):
        item = _mapping(item)
        name = _text(item.get("targetName"))
        if name:
            skills.append(Skill(name=name, framework=_text(item.get("targetFramework")),
                                code=_text(item.get("targetCode")),
                                url=_text(item.get("targetUrl")),
                                description=_text(item.get("targetDescription"))))
    return tuple(skills)


def _results(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> tuple[ResultLine, ...]:
    names = {_text(_mapping(d).get("id")): _text(_mapping(d).get("name"))
             for d in _list(achievement.get("resultDescription"))}
    lines = []
    for item in _list(subject.get("result")):
        item = _mapping(item)
        value = _text(item.get("value")) or _text(item.get("status"))
        if value:
            lines.append(ResultLine(label=names.get(_text(item.get("resultDescription")), ""),
                                    value=value))
    return tuple(lines)


def summarize(credential: Mapping[str, Any]) -> RecordSummary:
    """The fields a learner reads first, from an OB 3.0 (or plain VC) credential."""
    subject = _mapping(_first(credential.get("credentialSubject")))
    achievement = _mapping(subject.get("achievement"))
    issuer_id, issuer_name = _issuer(credential)
    subject_id = _text(subject.get("id"))
    criteria = achievement.get("criteria")
    credits = subject.get("creditsEarned", achievement.get("creditsAvailable"))
    return RecordSummary(
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        achievement_name=(_text(achievement.get("name")) or _text(credential.get("name"))),
        achievement_type=_text(achievement.get("achievementType")),
        description=(_text(achievement.get("description"))
                     or _text(credential.get("description"))),
        criteria=_text(_mapping(criteria).get("narrative")) if criteria else "",
        results=_results(subject, achievement),
        skills=_skills(achievement),
        issued_on=_date(credential.get("awardedDate") or credential.get("validFrom")
                        or credential.get("issuanceDate")),
        valid_from=_date(credential.get("validFrom")),
        valid_until=_date(credential.get("validUntil")),
        credits=_text(credits),
        subject_id=subject_id,
        self_reported=bool(issuer_id) and issuer_id == subject_id,
    )


def summarize_any(credential: Mapping[str, Any] | str, record_format: str) -> RecordSummary:
    """The summary of a record in any format the wallet keeps (empty when unreadable)."""
    if isinstance(credential, Mapping):
        return summarize(credential)
    return RecordSummary(issuer_id="", issuer_name="", achievement_name="")
