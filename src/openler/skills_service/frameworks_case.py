"""Importer for an organization's own framework published as 1EdTech CASE 1.0 JSON.

Spec: 1EdTech Competencies and Academic Standards Exchange (CASE) 1.0, CFPackage:
``CFDocument`` (identifier, uri, title, creator, version, language), ``CFItems``
(identifier, uri, fullStatement, abbreviatedStatement, humanCodingScheme, CFItemType,
conceptKeywords, notes, language) and ``CFAssociations`` (``isChildOf`` from the child's
``originNodeURI`` to the parent's ``destinationNodeURI``). Items are skills; labels go
under the item's language, else the document's, else English.
"""

from __future__ import annotations

import json
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
    check_items,
    write,
)

MAX_BYTES = 20_000_000
MAX_ITEMS = 50_000


def language_tag(value: Any, default: str = "en") -> str:
    """The primary language subtag ("es-MX" gives "es"), or the default."""
    if isinstance(value, str) and value.strip():
        return value.strip().split("-")[0].split("_")[0].lower()[:8]
    return default


def load_json(data: bytes) -> Any:
    """Parse an uploaded file, or raise a FrameworkImportError saying why not."""
    if not data.strip():
        raise FrameworkImportError([Problem("file", "is empty", code="empty")])
    if len(data) > MAX_BYTES:
        raise FrameworkImportError([Problem("file", "is larger than 20 MB", code="too_big")])
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where = f"file line {line}" if line else "file"
        raise FrameworkImportError([Problem(where, "is not valid JSON", code="not_json",
                                            value=str(line or ""))]) from None


def _node_uri(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("uri") or node.get("identifier") or "")
    return node if isinstance(node, str) else ""


def parse(package: Any) -> tuple[FrameworkInput, list[ItemInput], list[Problem]]:
    """Read and check a CFPackage; every problem names the item by position and id."""
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        raise FrameworkImportError([Problem("file", "is not a CASE package: no CFDocument",
                                            code="not_case")])
    document = package["CFDocument"]
    problems: list[Problem] = []
    doc_uri = str(document.get("uri") or document.get("identifier") or "").strip()
    title = str(document.get("title") or "").strip()
    if not doc_uri:
        problems.append(Problem("CFDocument", "has no uri or identifier", code="doc_no_uri"))
    if not title:
        problems.append(Problem("CFDocument", "has no title", code="doc_no_title"))
    language = language_tag(document.get("language"))
    raw_items = package.get("CFItems")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(Problem("CFItems", "is missing or empty", code="no_items"))
        raw_items = []
    if len(raw_items) > MAX_ITEMS:
        raise FrameworkImportError([Problem("CFItems", f"has more than {MAX_ITEMS} items",
                                            code="too_many", value=str(MAX_ITEMS))])
    items: list[ItemInput] = []
    where: dict[int, Place] = {}
    by_identifier: dict[str, str] = {}
    for index, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            problems.append(Place("CFItems", index).problem("is not an object", "not_object"))
            continue
        ident = str(raw.get("identifier") or "").strip()
        uri = str(raw.get("uri") or ident).strip()
        place = Place("CFItems", index, ident or uri)
        statement = str(raw.get("fullStatement") or "").strip()
        short = str(raw.get("abbreviatedStatement") or "").strip()
        if not statement:
            problems.append(place.problem("has no fullStatement", "no_statement"))
            continue
        lang = language_tag(raw.get("language"), language)
        keywords = raw.get("conceptKeywords") or []
        keywords = [str(k).strip() for k in keywords if str(k).strip()] \
            if isinstance(keywords, list) else []
        description = statement if short else str(raw.get("notes") or "").strip()
        item = ItemInput(uri=uri, kind="skill",
                         code=str(raw.get("humanCodingScheme") or "").strip(),
                         labels={lang: short or statement},
                         alt_labels={lang: keywords} if keywords else {},
                         description={lang: description} if description else {},
                         extra={"type": str(raw.get("CFItemType") or "")})
        items.append(item)
        where[id(item)] = place
        if ident:
            by_identifier[ident] = uri
    known = {item.uri: item for item in items}
    for index, assoc in enumerate(package.get("CFAssociations") or [], start=1):
        if not isinstance(assoc, dict) or assoc.get("associationType") != "isChildOf":
            continue
        child = _node_uri(assoc.get("originNodeURI"))
        parent = _node_uri(assoc.get("destinationNodeURI"))
        child = by_identifier.get(child, child)
        if child in known and parent != doc_uri:
            known[child].parent_uri = by_identifier.get(parent, parent)
        elif child not in known:
            problems.append(Place("CFAssociations", index).problem(
                f"its child {child or '?'} is not among the CFItems", "unknown_child",
                value=child or "?", fatal=False))
    problems.extend(check_items(items, where=where))
    meta = FrameworkInput(key=title[:40] or "CASE", name=title or doc_uri, source="case",
                          uri=doc_uri, version=str(document.get("version") or ""),
                          attribution=str(document.get("creator") or document.get(
                              "publisher") or ""))
    return meta, items, problems


def import_case(db: Session, *, org_id: str, data: bytes, now: datetime) -> ImportReport:
    """Import a CASE package as the organization's framework; nothing is written on a problem."""
    meta, items, problems = parse(load_json(data))
    report = ImportReport(problems=problems)
    return write(db, meta=meta, items=items, org_id=org_id, now=now, report=report)
