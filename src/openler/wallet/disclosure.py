"""Selective disclosure of SD-JWT VC records in presentations.

Spec: RFC 9901 (Selective Disclosure for JWTs), sections 4.2 (Disclosures),
7.2-7.3 (the holder sends only the chosen Disclosures and, when the credential
names the holder's key in ``cnf``, a Key Binding JWT with the verifier's
``nonce`` and ``aud``); W3C VC Data Model 2.0, section 4.13.1 (an SD-JWT VC
travels in a presentation as an ``EnvelopedVerifiableCredential`` whose id is
a ``data:application/dc+sd-jwt,...`` URL). Data Integrity records are shared
whole: their signature covers every field. Open Badges 2.0 assertions (older
format, no proof) are carried whole as enveloped JSON (``legacy_envelope``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openler.core.errors import CoreError
from openler.core.presentations import envelope
from openler.core.sdjwt import decode_jwt, disclosure_paths, parse, present, public_jwk
from openler.core.sdjwt.paths import Path, format_path
from openler.core.sdjwt.processing import process
from openler.wallet.keys import OpenWallet
from openler.wallet.models import FORMAT_OB2, FORMAT_SD_JWT, FORMAT_VC_JOSE, Record

# Registered JWT and SD-JWT VC claims: technical, never offered as a choice or shown as a detail.
TECHNICAL_CLAIMS = frozenset({"iss", "iat", "exp", "nbf", "cnf", "vct", "vct#integrity", "status",
                              "_sd", "_sd_alg", "sub", "jti"})
VALUE_MAX = 160
OB2_MEDIA_TYPE = "application/json"  # an Open Badges 2.0 assertion (JSON-LD, v2 context)

# Plain names for claims that SD-JWT VCs for learning records commonly use. The strings are
# English msgids: the page translates them with the catalog.
LABELS = {
    "given_name": "Given name", "family_name": "Family name", "name": "Name",
    "birthdate": "Date of birth", "email": "Email address", "phone_number": "Phone number",
    "address": "Address", "nationality": "Nationality", "nationalities": "Nationalities",
    "achievement": "Achievement", "description": "Description", "criteria": "How it was earned",
    "result": "Result", "results": "Results", "grade": "Grade", "score": "Score",
    "credits": "Credits", "creditsEarned": "Credits earned", "awardedDate": "Date awarded",
    "issuer_name": "Issuer name", "student_id": "Student number", "skills": "Skills",
    "alignment": "Skills and occupations", "level": "Level", "narrative": "Details",
    "credentialSubject": "About the learner", "identifier": "Identifier",
    "validFrom": "Valid from", "validUntil": "Valid until",
}


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of an SD-JWT record as the learner sees it: where, in words, and its value."""

    path: str
    label: tuple[str, ...]  # msgids or raw words, outermost first
    value: str


def _words(segment: str | int) -> str:
    if isinstance(segment, int):
        return f"#{segment + 1}"
    if segment in LABELS:
        return LABELS[segment]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", segment).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:].lower() if spaced else segment


def label_of(path: Path) -> tuple[str, ...]:
    """A claim path as plain words, one per level (``achievement.name`` -> Achievement, Name)."""
    return tuple(_words(segment) for segment in path)


def value_text(value: Any) -> str:
    """A claim's value as one short line of text."""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, str | int | float):
        text = str(value)
    elif isinstance(value, Mapping):
        text = "; ".join(f"{_words(k)}: {value_text(v)}" for k, v in value.items()
                         if k not in TECHNICAL_CLAIMS)
    elif isinstance(value, list):
        text = ", ".join(value_text(v) for v in value)
    else:
        text = ""
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _walk(value: Any, path: Path) -> Any:
    for segment in path:
        if isinstance(value, Mapping) and isinstance(segment, str):
            value = value.get(segment)
        elif isinstance(value, list) and isinstance(segment, int) and segment < len(value):
            value = value[segment]
        else:
            return None
    return value


def _token(record: Record) -> str | None:
    credential = record.credential
    if record.format != FORMAT_SD_JWT or not isinstance(credential, str):
        return None
    return credential


def choices(record: Record) -> list[Claim]:
    """The claims the learner may leave out of a presentation (empty for whole records)."""
    token = _token(record)
    if token is None:
        return []
    try:
        paths = disclosure_paths(token)
        claims = _claims(token, every=True)
    except CoreError:
        return []
    ordered = sorted(set(paths.values()), key=lambda p: [str(s) for s in p])
    return [Claim(format_path(p), label_of(p), value_text(_walk(claims, p))) for p in ordered]


def _claims(token: str, *, every: bool) -> dict[str, Any]:
    parts = parse(token)
    payload = decode_jwt(parts.issuer_jwt).payload
    return process(payload, parts.disclosures if every else ()).claims


def always_shown(record: Record) -> list[Claim]:
    """What an SD-JWT record always shows, whatever the learner picks (its plain claims)."""
    token = _token(record)
    if token is None:
        return []
    try:
        plain = _claims(token, every=False)
    except CoreError:
        return []
    return shown_claims(plain)


def shown_claims(claims: Mapping[str, Any] | None) -> list[Claim]:
    """Verified SD-JWT claims as label/value lines, technical claims left out."""
    out: list[Claim] = []
    for key, value in (claims or {}).items():
        if key in TECHNICAL_CLAIMS or value is None:
            continue
        out.append(Claim(key, label_of((key,)), value_text(value)))
    return out


def holder_bound(record: Record, wallet: OpenWallet) -> bool:
    """Whether the SD-JWT names this wallet's key in ``cnf`` (so a KB-JWT can prove it)."""
    token = _token(record)
    if token is None:
        return False
    try:
        cnf = decode_jwt(parse(token).issuer_jwt).payload.get("cnf")
        mine = public_jwk(wallet.keypair())
    except CoreError:
        return False
    jwk = cnf.get("jwk") if isinstance(cnf, Mapping) else None
    return isinstance(jwk, Mapping) and all(jwk.get(k) == v for k, v in mine.items())


def clean_choice(record: Record, picked: Iterable[str]) -> tuple[str, ...]:
    """Keep only paths this record can disclose, in a stable order."""
    allowed = {c.path for c in choices(record)}
    return tuple(sorted(p for p in dict.fromkeys(picked) if p in allowed))


def member(record: Record, *, wallet: OpenWallet, disclose: Iterable[str], now: datetime,
           challenge: str | None = None, domain: str | None = None) -> dict[str, Any] | str:
    """The record as it goes into a presentation: whole, or with only the chosen claims."""
    credential: Any = record.credential
    token = _token(record)
    if token is not None:
        key = wallet.keypair() if challenge and domain and holder_bound(record, wallet) else None
        return present(token, disclose=list(disclose), holder_key=key,
                       nonce=challenge if key else None, audience=domain if key else None,
                       issued_at=now)
    if record.format == FORMAT_VC_JOSE and isinstance(credential, str):
        return envelope(credential, media_type="application/vc+jwt")
    if record.format == FORMAT_OB2 and isinstance(credential, Mapping):
        return legacy_envelope(credential)
    return credential


def legacy_envelope(assertion: Mapping[str, Any]) -> dict[str, Any]:
    """An Open Badges 2.0 assertion carried whole inside a presentation.

    Its JSON-LD context is not one a presentation's proof can be computed over, so it
    travels as an enveloped credential (a base64 ``data:`` URL); the holder's proof still
    covers it, and a verifier reports it as "cannot check", which is the truth for 2.0.
    """
    raw = json.dumps(assertion, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    token = base64.b64encode(raw).decode("ascii")
    return envelope(token, media_type=f"{OB2_MEDIA_TYPE};base64")


def legacy_content(member: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Open Badges 2.0 assertion inside a member made by ``legacy_envelope``, if it is one."""
    ident = member.get("id")
    prefix = f"data:{OB2_MEDIA_TYPE};base64,"
    if not isinstance(ident, str) or not ident.startswith(prefix):
        return None
    try:
        value = json.loads(base64.b64decode(ident[len(prefix):], validate=True))
    except (ValueError, binascii.Error):
        return None
    return value if isinstance(value, dict) else None


def members(records: Iterable[Record], disclosures: Mapping[str, Iterable[str]], *,
            wallet: OpenWallet, now: datetime, challenge: str | None = None,
            domain: str | None = None) -> list[dict[str, Any] | str]:
    """Every record of a presentation prepared for signing, in the learner's order."""
    return [member(r, wallet=wallet, disclose=disclosures.get(r.id, ()), now=now,
                   challenge=challenge, domain=domain) for r in records]


def title_of(record: Record) -> str:
    """The record's name for lists: the achievement, or an SD-JWT's own ``name`` claim."""
    if record.summary.achievement_name:
        return record.summary.achievement_name
    shown = {c.path: c.value for c in always_shown(record)}
    return shown.get("name", "")


def issuer_of(record: Record) -> str:
    """Who issued the record, in words when the record says (its identifier otherwise)."""
    summary = record.summary
    if summary.issuer_name or summary.issuer_id:
        return summary.issuer_name or summary.issuer_id
    token = _token(record)
    if token is None:
        return ""
    shown = {c.path: c.value for c in always_shown(record)}
    try:
        iss = decode_jwt(parse(token).issuer_jwt).payload.get("iss")
    except CoreError:
        iss = None
    return shown.get("issuer_name") or (iss if isinstance(iss, str) else "")
