"""Evidence of an achievement as a record states it: web pages it points to and files it carries.

Spec: W3C VC Data Model 2.0, section 5.6 (``evidence``: one or more objects, each with an
optional ``id`` and ``type``); 1EdTech Open Badges 3.0, section B.1.11 (Evidence: ``id``
is "the URL of a webpage presenting evidence of achievement or the evidence encoded as a
Data URI", with ``narrative``, ``name``, ``description``, ``genre`` and ``audience``);
Open Badges 2.0, Assertion ``evidence`` (an IRI, an Evidence object, or a list of
either); RFC 2397 (the ``data:`` URL scheme). Reading never fails: an entry with an
unexpected shape shows what it can, and only a readable ``data:`` URL is offered as a file.
Entries are numbered from 1 over the whole ``evidence`` list, as the download URLs are.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from openler.wallet.models import EvidenceItem
from openler.wallet.self_reported_evidence import StoredEvidence

# The only kinds of file a share link hands out (the same four a learner may attach).
SHAREABLE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})
MAX_ITEMS = 50


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entries(document: Any) -> list[Any]:
    found = document.get("evidence") if isinstance(document, Mapping) else None
    if found is None:
        return []
    return (found if isinstance(found, list) else [found])[:MAX_ITEMS]


def _ref(entry: Any) -> str:
    if isinstance(entry, str):
        return entry.strip()
    return _text(entry.get("id")) if isinstance(entry, Mapping) else ""


def web_address(ref: str) -> str:
    """The reference when it is a plain web address (never script, data or other schemes)."""
    try:
        parts = urlsplit(ref)
    except ValueError:
        return ""
    return ref if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def decode_data_url(ref: str) -> tuple[str, bytes] | None:
    """The (media type, bytes) of a ``data:`` URL, or None when it is not a readable one."""
    if ref[:5].lower() != "data:" or "," not in ref:
        return None
    header, _, payload = ref[5:].partition(",")
    params = [p.strip().lower() for p in header.split(";")]
    media_type = params[0] or "text/plain"
    try:
        if "base64" in params[1:]:
            content = base64.b64decode(unquote_to_bytes(payload), validate=True)
        else:
            content = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    return media_type, content


def evidence_of(document: Any) -> tuple[EvidenceItem, ...]:
    """What a credential or assertion offers as evidence, in its own order."""
    items = []
    for n, entry in enumerate(_entries(document), 1):
        fields = entry if isinstance(entry, Mapping) else {}
        if not fields and not isinstance(entry, str):
            continue
        ref = _ref(entry)
        data = decode_data_url(ref)
        item = EvidenceItem(
            n=n, name=_text(fields.get("name")), description=_text(fields.get("description")),
            narrative=_text(fields.get("narrative")), genre=_text(fields.get("genre")),
            audience=_text(fields.get("audience")), url=web_address(ref),
            data_url=data is not None, media_type=data[0] if data else "",
            size=len(data[1]) if data else 0)
        if item.name or item.description or item.narrative or item.url or item.data_url:
            items.append(item)
    return tuple(items)


def embedded_file(document: Any, n: int) -> StoredEvidence | None:
    """Evidence entry ``n`` (from 1) when it is a file carried as a ``data:`` URL."""
    entries = _entries(document)
    if not 1 <= n <= len(entries):
        return None
    entry = entries[n - 1]
    data = decode_data_url(_ref(entry))
    if data is None:
        return None
    fields = entry if isinstance(entry, Mapping) else {}
    return StoredEvidence(n, _text(fields.get("name")) or f"evidence-{n}",
                          _text(fields.get("description")), data[0], data[1])


def download_name(item: StoredEvidence) -> str:
    """A file name safe in a Content-Disposition header (ASCII letters, digits, ``._-``)."""
    name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_"
                   for ch in item.name).strip("._") or f"evidence-{item.n}"
    return name[:100]
