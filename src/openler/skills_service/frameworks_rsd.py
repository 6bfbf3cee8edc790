"""Importer for Rich Skill Descriptor collections as exported by OSMT (JSON).

Spec: Open Skills Network, Rich Skill Descriptor 1.0; OSMT's JSON export of a
collection: an object with ``name``, ``id`` (its URI) and ``skills``, each skill with
``id`` (its canonical URI), ``skillName``, ``skillStatement``, ``keywords``,
``occupations`` (O*NET-SOC or BLS SOC codes, as ``{"code": ...}`` or plain strings)
and optional ``category``. A bare list of skills is read as an unnamed collection.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.skills_service.frameworks import (
    FrameworkImportError,
    FrameworkInput,
    ImportReport,
    ItemInput,
    Place,
    Problem,
    RelationInput,
    check_items,
    write,
)
from openler.skills_service.frameworks_case import MAX_ITEMS, language_tag, load_json
from openler.skills_service.frameworks_onet import OCCUPATION_URI

ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")


def occupation_uri(code: str) -> str | None:
    """The URI of an O*NET-SOC or BLS SOC code, or None for anything else."""
    if ONET_CODE.match(code):
        return OCCUPATION_URI.format(code=code)
    if SOC_CODE.match(code):
        return f"urn:soc:2018:{code}"
    return None


def _texts(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [str(v.get("name") if isinstance(v, dict) else v).strip() for v in values
            if (v.get("name") if isinstance(v, dict) else v)]


def parse(collection: Any, *, language: str = "en") -> tuple[
        FrameworkInput, list[ItemInput], list[RelationInput], list[Problem]]:
    """Read and check a collection; every problem names the skill by position and id."""
    if isinstance(collection, list):
        collection = {"skills": collection}
    if not isinstance(collection, dict) or not isinstance(collection.get("skills"), list):
        raise FrameworkImportError([Problem("file", "is not an RSD collection: no “skills” list",
                                            code="not_rsd")])
    skills = collection["skills"]
    if len(skills) > MAX_ITEMS:
        raise FrameworkImportError([Problem("skills", f"has more than {MAX_ITEMS} skills",
                                            code="too_many", value=str(MAX_ITEMS))])
    lang = language_tag(language)
    problems: list[Problem] = []
    if not skills:
        problems.append(Problem("skills", "is empty", code="no_items"))
    items: list[ItemInput] = []
    relations: list[RelationInput] = []
    where: dict[int, Place] = {}
    for index, raw in enumerate(skills, start=1):
        if not isinstance(raw, dict):
            problems.append(Place("skill", index).problem("is not an object", "not_object"))
            continue
        uri = str(raw.get("id") or raw.get("uri") or raw.get("canonicalUrl") or "").strip()
        name = str(raw.get("skillName") or "").strip()
        place = Place("skill", index, name or uri)
        if not uri.startswith(("http://", "https://", "urn:")):
            problems.append(place.problem("needs an id that is an http(s) or urn URI", "bad_id"))
            continue
        statement = str(raw.get("skillStatement") or "").strip()
        if not statement:
            problems.append(place.problem("has no skillStatement", "no_statement"))
        keywords = _texts(raw.get("keywords"))
        for occupation in raw.get("occupations") or []:
            code = str(occupation.get("code") if isinstance(occupation, dict)
                       else occupation or "").strip()
            target = occupation_uri(code)
            if target is None:
                problems.append(place.problem(f"occupation “{code}” is not an O*NET-SOC or "
                                              "SOC code", "bad_occupation", value=code,
                                              fatal=False))
            else:
                relations.append(RelationInput(target, uri, "rsd"))
        item = ItemInput(uri=uri, kind="skill", labels={lang: name},
                         code=str(raw.get("uuid") or "").strip(),
                         alt_labels={lang: keywords} if keywords else {},
                         description={lang: statement} if statement else {},
                         extra={"category": str(raw.get("category") or "")})
        items.append(item)
        where[id(item)] = place
    problems.extend(check_items(items, where=where))
    title = str(collection.get("name") or "Rich Skill Descriptors").strip()
    uri = str(collection.get("id") or collection.get("uuid") or
              f"urn:openler:rsd:{title.casefold()}").strip()
    author = collection.get("author") or collection.get("creator") or ""
    meta = FrameworkInput(key=title[:40], name=title, source="rsd", uri=uri,
                          attribution=str(author.get("name") if isinstance(author, dict)
                                          else author))
    return meta, items, relations, problems


def import_rsd(db: Session, *, org_id: str, data: bytes, now: datetime,
               language: str = "en") -> ImportReport:
    """Import an RSD collection as the organization's framework; nothing written on a problem."""
    meta, items, relations, problems = parse(load_json(data), language=language)
    report = ImportReport(problems=problems)
    return write(db, meta=meta, items=items, relations=relations, org_id=org_id, now=now,
                 report=report)
