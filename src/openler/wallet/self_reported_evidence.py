"""Evidence files carried inside a record, as OB 3.0 Evidence entries with ``data:`` URLs.

Spec: 1EdTech Open Badges 3.0, section B.1.11 (Evidence: its ``id`` is "the URL of a
webpage presenting evidence of achievement or the evidence encoded as a Data URI"),
and RFC 2397 (the ``data:`` URL scheme). Reading never fails: an entry that is not a
readable ``data:`` URL is simply not offered as a file.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openler.wallet.errors import WalletNotFound
from openler.wallet.models import Record


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    """One evidence file inside a record (``n`` counts from 1, as in its download URL)."""

    n: int
    name: str
    description: str
    media_type: str
    content: bytes


def evidence_items(credential: Any) -> list[Any]:
    items = credential.get("evidence") if isinstance(credential, Mapping) else None
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


def evidence_files(credential: Any) -> list[StoredEvidence]:
    """The files carried inside a credential's evidence as ``data:`` URLs (others left out)."""
    found = []
    for n, item in enumerate(evidence_items(credential), 1):
        if not isinstance(item, Mapping):
            continue
        ref = item.get("id")
        if not isinstance(ref, str) or not ref.startswith("data:") or "," not in ref:
            continue
        header, _, payload = ref[5:].partition(",")
        media_type = header.split(";")[0] or "text/plain"
        try:
            content = (base64.b64decode(payload, validate=True) if header.endswith(";base64")
                       else payload.encode())
        except (binascii.Error, ValueError):
            continue
        found.append(StoredEvidence(n, str(item.get("name") or f"evidence-{n}"),
                                    str(item.get("description") or ""), media_type, content))
    return found


def evidence_file(record: Record, n: int) -> StoredEvidence:
    """Evidence file ``n`` of a record (WalletNotFound if it has none such)."""
    for item in evidence_files(record.credential):
        if item.n == n:
            return item
    raise WalletNotFound("evidence")
