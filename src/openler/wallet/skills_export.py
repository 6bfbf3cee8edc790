"""The learner's visible skills as Open Badges 3.0 Alignment objects, to download.

Spec: 1EdTech Open Badges 3.0, Appendix B (Alignment: ``type`` contains
"Alignment"; ``targetName`` and ``targetUrl`` are required; ``targetDescription``,
``targetFramework``, ``targetCode``, ``targetType`` optional) and B.1.29
(AlignmentTargetType, an extensible enumeration: ceasn:Competency and CTDL for
Credential Engine items, ceterms:Credential, CFItem and the CFRubric terms for
CASE, or a term starting with ``ext:``). CLR 2.0 uses the same Alignment class.

Decisions: ``targetType`` keeps what the issuer wrote when the enumeration allows
it. Otherwise it follows the address: a Credential Engine registry item is
``ceasn:Competency``, a CASE item (``/CFItems/`` in the path) ``CFItem``; any
other skill is ``ext:Skill`` and an occupation ``ext:Occupation`` (extension
terms: the enumeration's own values name Credential Engine and CASE items only,
and an ESCO or O*NET page is neither). ``targetUrl`` must be
a URL, so a skill whose records give no web address (http or https) is left out
and named to the learner: an invented address would claim an official description
that does not exist. Hidden skills are never exported, whatever is asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from openler.wallet.skills_profile import SkillEntry

TARGET_TYPES = frozenset({"ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric",
                          "CFRubricCriterion", "CFRubricCriterionLevel", "CTDL"})
EXTENSION = re.compile(r"^ext:[A-Za-z0-9._-]+$")
SKILL_TYPE = "ext:Skill"
OCCUPATION_TYPE = "ext:Occupation"
CREDENTIAL_ENGINE_HOSTS = ("credentialengineregistry.org", "credentialengine.org")
FILENAME = "skills-alignments.json"
MEDIA_TYPE = "application/json"


def target_url(entry: SkillEntry) -> str:
    """The skill's official description address, when it is a web address."""
    url = entry.url.strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def target_type(entry: SkillEntry) -> str:
    """An AlignmentTargetType value: the issuer's if allowed, else by kind."""
    given = entry.target_type.strip()
    if given in TARGET_TYPES or EXTENSION.match(given):
        return given
    if entry.kind == "occupation":
        return OCCUPATION_TYPE
    parts = urlsplit(entry.url.strip())
    host = parts.netloc.lower()
    if any(host == h or host.endswith("." + h) for h in CREDENTIAL_ENGINE_HOSTS):
        return "ceasn:Competency"
    if "/cfitems/" in parts.path.lower():
        return "CFItem"
    return SKILL_TYPE


def exportable(entry: SkillEntry) -> bool:
    """Whether the skill can be an OB 3.0 Alignment (it needs a targetUrl)."""
    return bool(target_url(entry)) and not entry.hidden


def alignment(entry: SkillEntry) -> dict[str, Any]:
    """One OB 3.0 Alignment object for a skill (call only when ``exportable``)."""
    found: dict[str, Any] = {"type": ["Alignment"], "targetName": entry.name,
                             "targetUrl": target_url(entry)}
    if entry.description.strip():
        found["targetDescription"] = entry.description.strip()
    if entry.framework.strip():
        found["targetFramework"] = entry.framework.strip()
    if entry.code.strip():
        found["targetCode"] = entry.code.strip()
    found["targetType"] = target_type(entry)
    return found


@dataclass(frozen=True, slots=True)
class AlignmentSet:
    """What goes into the download, and the chosen skills that could not."""

    alignments: tuple[dict[str, Any], ...]
    left_out: tuple[SkillEntry, ...]  # chosen, but no web address describes them


def choose(entries: Sequence[SkillEntry], keys: Iterable[str] | None = None) -> AlignmentSet:
    """The chosen visible skills (all visible when ``keys`` is None), as Alignments."""
    wanted = None if keys is None else set(keys)
    chosen = [e for e in entries if not e.hidden and (wanted is None or e.key in wanted)]
    return AlignmentSet(alignments=tuple(alignment(e) for e in chosen if exportable(e)),
                        left_out=tuple(e for e in chosen if not exportable(e)))


def to_json(chosen: AlignmentSet) -> bytes:
    """The download: a JSON array of Alignment objects, in the profile's order."""
    return json.dumps(list(chosen.alignments), ensure_ascii=False, indent=2).encode("utf-8")
