"""When two skill alignments are the same skill, and whether one is an occupation.

Spec: 1EdTech Open Badges 3.0, section 4.3 (Alignment: targetName, targetUrl,
targetFramework, targetCode, targetType). Identifiers are plain strings
(``url:``, ``code:``, ``name:``) so they can be stored in the learner's
preferences and compared across wallets; nothing here depends on row ids.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from openler.wallet.models import Skill

Kind = Literal["skill", "occupation"]
OCCUPATION_FRAMEWORKS = ("onetsoc", "soc", "isco", "escooccupation", "anzsco", "noc", "rome")
OCCUPATION_HOSTS = ("onetonline.org", "onetcenter.org", "bls.gov")
SOC_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
SOC_IN_PATH = re.compile(r"\d{2}-?\d{4}")  # 29-1141(.00) in O*NET, 291141 in BLS pages


def fold(text: str) -> str:
    """Case- and accent-free text with single spaces, so "Análisis" meets "analisis"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def _url_key(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = "http" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, parts.netloc.lower(), parts.path.rstrip("/"), parts.query,
                       parts.fragment))


def url_identifier(url: str) -> str:
    """The ``url:`` key an address gives a skill ("" for none), as ``identifiers`` writes it;
    what crosswalks store and compare."""
    key = _url_key(url)
    return f"url:{key}" if key else ""


def identifiers(skill: Skill) -> tuple[str, ...]:
    """The keys under which two alignments count as the same skill (strongest first)."""
    found = []
    if url := url_identifier(skill.url):
        found.append(url)
    if skill.framework.strip() and skill.code.strip():
        found.append(f"code:{_compact(skill.framework)}|{fold(skill.code)}")
    if name := fold(skill.name):
        found.append(f"name:{name}")
    return tuple(found)


def kind_of(skill: Skill, target_type: str = "") -> Kind:
    """Occupation or skill, by this rule.

    An alignment is an occupation when its ``targetType`` names one (ends in
    "Occupation", e.g. ``ceterms:Occupation`` or ``ext:Occupation``); or its
    framework is an occupation classification (O*NET-SOC, SOC, ISCO, ANZSCO,
    NOC, ROME, "ESCO occupations"); or its URL is an ESCO occupation or ISCO
    URI (``/occupation/`` or ``/isco/`` in the path) or an O*NET page naming a SOC code; or its
    framework is O*NET/SOC-like and its code looks like a SOC code (15-1252.00).
    Everything else (ESCO skills, CASE items, competencies, free text) is a skill.
    """
    if target_type.strip().casefold().endswith("occupation"):
        return "occupation"
    framework = _compact(skill.framework)
    if any(framework.startswith(name) for name in OCCUPATION_FRAMEWORKS):
        return "occupation"
    parts = urlsplit(skill.url.strip())
    path = parts.path.casefold()
    if "/occupation/" in path or "/isco/" in path:
        return "occupation"
    host = parts.netloc.casefold()
    if any(host == h or host.endswith("." + h) for h in OCCUPATION_HOSTS) \
            and SOC_IN_PATH.search(path):  # an occupation's page, not a skill element's
        return "occupation"
    if SOC_CODE.match(skill.code.strip()) and "onet" in framework:
        return "occupation"
    return "skill"


def credential_ref(credential: Mapping[str, Any] | str) -> str:
    """The credential's own id, else a hash of it: the same before and after a restore."""
    if isinstance(credential, Mapping) and isinstance(credential.get("id"), str) \
            and credential["id"].strip():
        return str(credential["id"])
    text = credential if isinstance(credential, str) else json.dumps(
        credential, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def target_types(credential: Mapping[str, Any] | str) -> dict[tuple[str, str], str]:
    """targetType of each named alignment, which the record summary does not keep."""
    if not isinstance(credential, Mapping):
        return {}
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    items = achievement.get("alignment") if isinstance(achievement, Mapping) else None
    found: dict[tuple[str, str], str] = {}
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, Mapping) and isinstance(item.get("targetType"), str):
            found[(str(item.get("targetName", "")), str(item.get("targetUrl", "")))] = \
                item["targetType"]
    return found
