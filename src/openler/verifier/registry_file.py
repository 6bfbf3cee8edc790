"""Reading an issuer registry file in the Digital Credentials Consortium format, entry by entry.

Spec: the DCC issuer registry (a JSON object whose ``registry`` object is keyed
by issuer DID, each entry with ``name`` and optionally ``url`` and ``location``;
``meta.created``/``meta.updated``), as the DCC issuer-registry-client reads it;
W3C DID Core 1.0 section 3.1 (DID syntax: ``did:<method>:<method-specific-id>``,
no path, query or fragment here). A bad entry (DID not valid, no name, not an
object, too long, twice in the file) is listed as a problem and left out; a
file that is not a registry at all raises RegistryFileError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from openler.storage.tables_trust import MAX_DID
from openler.verifier.trust_models import (
    EntryProblem,
    ParsedRegistry,
    RegistryFileError,
    TrustEntry,
)

MAX_FILE_BYTES = 2_000_000
MAX_ENTRIES = 5_000
MAX_NAME = 200
MAX_NOTE = 2_000
MAX_URL = 2_000
MAX_LOCATION = 200
_ID_CHAR = r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})"
DID_PATTERN = re.compile(rf"did:[a-z0-9]+:(?:{_ID_CHAR}*:)*{_ID_CHAR}+")


def is_did(value: str) -> bool:
    """A syntactically valid DID without path, query or fragment (DID Core section 3.1)."""
    return len(value) <= MAX_DID and DID_PATTERN.fullmatch(value) is not None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _pairs_keeping_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps only the last of repeated keys; keep them all so duplicates are reported.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            out.setdefault("\x00duplicates", []).append(key)
        else:
            out[key] = value
    return out


def _load(data: bytes | str) -> Mapping[str, Any]:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise RegistryFileError("too_big")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RegistryFileError("not_json", "not UTF-8 text") from None
    if len(data) > MAX_FILE_BYTES:
        raise RegistryFileError("too_big")
    if not data.strip():
        raise RegistryFileError("empty")
    try:
        document = json.loads(data, object_pairs_hook=_pairs_keeping_duplicates)
    except (ValueError, RecursionError) as exc:
        raise RegistryFileError("not_json", str(exc)[:200]) from None
    if not isinstance(document, dict):
        raise RegistryFileError("no_registry", "the file is not a JSON object")
    return document


def parse_registry(data: bytes | str, *, name: str = "") -> ParsedRegistry:
    """Read a DCC-format registry file (entries vouched for by ``name``); RegistryFileError
    when it is not one at all."""
    document = _load(data)
    registry = document.get("registry")
    if not isinstance(registry, dict):
        raise RegistryFileError("no_registry", "no 'registry' object keyed by DID")
    if len(registry) > MAX_ENTRIES:
        raise RegistryFileError("too_many", f"more than {MAX_ENTRIES} entries")
    found = document.get("meta")
    meta: Mapping[str, Any] = found if isinstance(found, dict) else {}
    updated = (_text(meta.get("updated")) or _text(meta.get("created")))[:64]
    entries: list[TrustEntry] = []
    problems = [EntryProblem(key, "duplicate") for key in registry.pop("\x00duplicates", [])]
    for key, value in registry.items():
        did = key.strip()
        if not is_did(did):
            problems.append(EntryProblem(key, "bad_did"))
        elif not isinstance(value, dict):
            problems.append(EntryProblem(key, "not_an_object"))
        elif not _text(value.get("name")):
            problems.append(EntryProblem(key, "missing_name"))
        elif (len(_text(value.get("name"))) > MAX_NAME or len(_text(value.get("url"))) > MAX_URL
              or len(_text(value.get("location"))) > MAX_LOCATION):
            problems.append(EntryProblem(key, "too_long"))
        elif any(e.did == did for e in entries):
            problems.append(EntryProblem(key, "duplicate"))
        else:
            entries.append(TrustEntry(did=did, name=_text(value["name"]),
                                      url=_text(value.get("url")),
                                      location=_text(value.get("location")),
                                      registry_name=name))
    return ParsedRegistry(updated, tuple(entries), tuple(problems))
