"""What a credential says, read out of its JSON for the wallet's pages.

Spec: 1EdTech Open Badges 3.0, sections 4.1-4.4 (AchievementCredential,
AchievementSubject, Achievement, Criteria, Alignment, ResultDescription,
Result, B.1.11 Evidence); W3C VC Data Model 2.0, sections 4.7 (issuer), 4.9
(validity) and 5.6 (evidence, read in ``openler.wallet.evidence``);
W3C VC-JOSE-COSE section 3.1.1 (the JWS payload is the credential); SD-JWT
VC draft section 3.2 (``iss``, ``vct``, ``iat``/``nbf``/``exp``; other claims
flat or shaped like a VC); Open Badges 2.0 (Assertion, BadgeClass, Profile,
AlignmentObject).
Reading never fails: a field that is missing or has an unexpected shape is
shown as empty, because the verification result, not this summary, says
whether the record can be trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from openler.core.errors import SdJwtError
from openler.core.sdjwt import decode_jwt, parse
from openler.core.sdjwt.processing import process
from openler.core.verify.vc_jose import decode_vc_jwt
from openler.wallet.evidence import evidence_of
from openler.wallet.models import (
    FORMAT_OB2,
    FORMAT_SD_JWT,
    FORMAT_VC_JOSE,
    RecordSummary,
    ResultLine,
    Skill,
)

MAX_CLAIM_LINES = 200
HIDDEN_CLAIMS = frozenset({"_sd_alg", "cnf"})
TIME_CLAIMS = frozenset({"iat", "nbf", "exp"})  # seconds since 1970, shown as dates  # technical: the hash name and the holder's key


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


def _assessed(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> list[Skill]:
    """Alignments of the results the subject holds (``Result.alignment``) and of the result
    descriptions those results answer (``ResultDescription.alignment``), OB 3.0 B.1.17/18."""
    descriptions = {_text(_mapping(d).get("id")): _mapping(d)
                    for d in _list(achievement.get("resultDescription"))}
    found: list[Skill] = []
    for result in _list(subject.get("result")):
        result = _mapping(result)
        found.extend(_skills(result))
        found.extend(_skills(descriptions.get(_text(result.get("resultDescription")), {})))
    return found


def _subject_skills(subject: Mapping[str, Any]) -> tuple[Skill, ...]:
    """The alignments of an OB 3.0 subject's achievement and of the results it holds; of a
    CLR 2.0 subject (``ClrSubject``), those of every achievement it lists and of every
    credential it carries as a JSON object (enveloped ones are opaque here); each skill
    once."""
    found: list[Skill] = []
    for achievement in _list(subject.get("achievement")):
        found.extend(_skills(_mapping(achievement)))
        found.extend(_assessed(subject, _mapping(achievement)))
    for carried in _list(subject.get("verifiableCredential")):
        inner = _mapping(_first(_mapping(carried).get("credentialSubject")))
        found.extend(_skills(_mapping(inner.get("achievement"))))
        found.extend(_assessed(inner, _mapping(inner.get("achievement"))))
    return tuple(dict.fromkeys(found))


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
        skills=_subject_skills(subject),
        issued_on=_date(credential.get("awardedDate") or credential.get("validFrom")
                        or credential.get("issuanceDate")),
        valid_from=_date(credential.get("validFrom")),
        valid_until=_date(credential.get("validUntil")),
        credits=_text(credits),
        subject_id=subject_id,
        self_reported=bool(issuer_id) and issuer_id == subject_id,
        evidence=evidence_of(credential),
    )


def _epoch_date(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _date(value)
    try:
        return datetime.fromtimestamp(value, UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return ""


def summarize_ob2(assertion: Mapping[str, Any]) -> RecordSummary:
    """An Open Badges 2.0 assertion: the embedded BadgeClass and its issuer Profile."""
    badge = _mapping(assertion.get("badge"))
    issuer = badge.get("issuer")
    issuer_id, issuer_name = ((issuer, "") if isinstance(issuer, str)
                              else (_text(_mapping(issuer).get("id")),
                                    _text(_mapping(issuer).get("name"))))
    criteria = badge.get("criteria")
    return RecordSummary(
        issuer_id=issuer_id, issuer_name=issuer_name,
        achievement_name=_text(badge.get("name")),
        description=_text(badge.get("description")),
        criteria=_text(_mapping(criteria).get("narrative")) or (
            criteria if isinstance(criteria, str) else ""),
        skills=_skills(badge),
        issued_on=_date(assertion.get("issuedOn")),
        valid_from=_date(assertion.get("issuedOn")),
        valid_until=_date(assertion.get("expires")),
        subject_id="",
        evidence=evidence_of(assertion),
    )


def sd_jwt_claims(text: str) -> dict[str, Any]:
    """Every claim an SD-JWT VC discloses, unchecked (the check says whether to trust them)."""
    try:
        parts = parse(text)
        return process(decode_jwt(parts.issuer_jwt).payload, parts.disclosures).claims
    except (SdJwtError, ValueError, TypeError):
        return {}


def _summarize_claims(claims: Mapping[str, Any]) -> RecordSummary:
    issuer_id = _text(claims.get("iss"))
    if "credentialSubject" in claims:
        nested = summarize(claims)
        if nested.issuer_id or not issuer_id:
            return nested
        return summarize({**claims, "issuer": issuer_id})
    achievement = _mapping(claims.get("achievement"))
    issuer = claims.get("issuer")
    issuer_name = (_text(claims.get("issuer_name"))
                   or (_text(_mapping(issuer).get("name")) if issuer else ""))
    criteria = claims.get("criteria", achievement.get("criteria"))
    subject = _text(claims.get("sub"))
    return RecordSummary(
        issuer_id=issuer_id, issuer_name=issuer_name,
        achievement_name=(_text(claims.get("name")) or _text(achievement.get("name"))
                          or _text(claims.get("title"))),
        achievement_type=(_text(claims.get("achievementType"))
                          or _text(achievement.get("achievementType"))),
        description=_text(claims.get("description")) or _text(achievement.get("description")),
        criteria=(_text(_mapping(criteria).get("narrative")) or _text(criteria)),
        skills=_skills(claims) or _skills(achievement),
        issued_on=_epoch_date(claims.get("iat")),
        valid_from=_epoch_date(claims.get("nbf")),
        valid_until=_epoch_date(claims.get("exp")),
        subject_id=subject,
        self_reported=bool(issuer_id) and issuer_id == subject,
        evidence=evidence_of(claims),
    )


def credential_type(credential: Mapping[str, Any] | str, record_format: str) -> str:
    """The most specific type the credential names (``vct`` for an SD-JWT VC)."""
    if record_format == FORMAT_OB2:
        return "Assertion"
    document: Mapping[str, Any] = {}
    if isinstance(credential, Mapping):
        document = credential
    elif record_format == FORMAT_SD_JWT:
        claims = sd_jwt_claims(credential)
        if isinstance(claims.get("vct"), str) and "credentialSubject" not in claims:
            return claims["vct"]
        document = claims
    elif record_format == FORMAT_VC_JOSE:
        try:
            document = decode_vc_jwt(credential)[1]
        except SdJwtError:
            return ""
    types = [t for t in _list(document.get("type")) if isinstance(t, str)]
    specific = [t for t in types if t != "VerifiableCredential"]
    return (specific or types or [""])[-1]


def summarize_any(credential: Mapping[str, Any] | str, record_format: str) -> RecordSummary:
    """The summary of a record in any format the wallet keeps (empty when unreadable)."""
    if isinstance(credential, Mapping):
        if record_format == FORMAT_OB2:
            return summarize_ob2(credential)
        return summarize(credential)
    if isinstance(credential, str) and record_format == FORMAT_SD_JWT:
        return _summarize_claims(sd_jwt_claims(credential))
    if isinstance(credential, str) and record_format == FORMAT_VC_JOSE:
        try:
            return summarize(decode_vc_jwt(credential)[1])
        except SdJwtError:
            pass
    return RecordSummary(issuer_id="", issuer_name="", achievement_name="")


def document_of(credential: Mapping[str, Any] | str, record_format: str) -> Mapping[str, Any]:
    """The JSON a record's fields are read from: the credential, the VC-JOSE payload, or
    the claims an SD-JWT VC discloses (empty when unreadable)."""
    if isinstance(credential, Mapping):
        return credential
    if record_format == FORMAT_SD_JWT:
        return sd_jwt_claims(credential)
    if record_format == FORMAT_VC_JOSE:
        try:
            return decode_vc_jwt(credential)[1]
        except SdJwtError:
            return {}
    return {}


def _flatten(value: Any, path: str, out: list[tuple[str, str]]) -> None:
    if len(out) >= MAX_CLAIM_LINES:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not path and key in HIDDEN_CLAIMS:
                continue
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, f"{path}[{index}]", out)
    elif isinstance(value, bool):
        out.append((path, "true" if value else "false"))
    elif path in TIME_CLAIMS:
        out.append((path, _epoch_date(value)))
    elif isinstance(value, int):
        out.append((path, str(value)))
    else:
        out.append((path, _text(value)))


def disclosed_claims(credential: Mapping[str, Any] | str, record_format: str
                     ) -> list[tuple[str, str]]:
    """An SD-JWT VC's disclosed claims as (path, value) lines, for the learner to read."""
    if record_format != FORMAT_SD_JWT or not isinstance(credential, str):
        return []
    lines: list[tuple[str, str]] = []
    _flatten(sd_jwt_claims(credential), "", lines)
    return lines
