"""Per-organization Bitstring Status Lists: allocate, set, clear, publish signed.

Spec: W3C Bitstring Status List v1.0, sections 2.1 (the entry a credential
carries), 2.2 (the BitstringStatusListCredential, with ``ttl``), 3.1 (a list of
at least 131,072 entries) and 5.x (privacy: indexes are chosen at random so they
do not reveal issue order or volume). The bits and the allocation map are
stored as raw bytes; a list is closed for new credentials once half of it is
used, which keeps random allocation cheap and the index space large. A batch of
credentials reserves all its indexes at once (`allocate_many`): one locked read
and one write of the list per batch instead of per credential.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.jsonld import default_loader
from openler.core.keys.multikey import KeyPair
from openler.core.proofs import sign
from openler.core.status import MIN_ENTRIES, BitstringStatusList, status_list_credential
from openler.issuer.errors import IssuerInputError, IssuerNotFound
from openler.issuer.models import CRYPTOSUITE_FOR, PURPOSES, PublicBase
from openler.issuer.ports import Signer
from openler.storage.tables_issuer import StatusListRow

LIST_TTL_SECONDS = 300
"""How long a verifier may cache a list (HTTP max-age and the credential's ``ttl``)."""
FILL_LIMIT = 0.5


def _bit(data: bytes | bytearray, index: int) -> bool:
    return bool(data[index >> 3] & (0x80 >> (index & 7)))


def _open_list(db: Session, org_id: str, purpose: str) -> StatusListRow | None:
    stmt = (select(StatusListRow)
            .where(StatusListRow.organization_id == org_id, StatusListRow.purpose == purpose,
                   StatusListRow.allocated_count < StatusListRow.size * FILL_LIMIT)
            .order_by(StatusListRow.created_at.desc(), StatusListRow.id)
            .limit(1).with_for_update()
            # Reload a list this session already holds: another worker may have taken
            # indexes since (sessions keep objects after commit).
            .execution_options(populate_existing=True))
    return db.scalars(stmt).first()


def new_list(db: Session, *, org_id: str, purpose: str, now: datetime,
             size: int = MIN_ENTRIES) -> StatusListRow:
    """An empty list for one purpose of one organization."""
    if purpose not in PURPOSES:
        raise IssuerInputError(f"Unknown status purpose {purpose!r}.")
    empty = bytes(size // 8)
    row = StatusListRow(organization_id=org_id, purpose=purpose, size=size, bits=empty,
                        allocated=empty, allocated_count=0, created_at=now, updated_at=now)
    db.add(row)
    db.flush()
    return row


def allocate(db: Session, *, org_id: str, purpose: str, now: datetime) -> tuple[StatusListRow, int]:
    """A random unused index in the organization's open list for ``purpose``."""
    return allocate_many(db, org_id=org_id, purpose=purpose, now=now, count=1)[0]


def allocate_many(db: Session, *, org_id: str, purpose: str, now: datetime,
                  count: int) -> list[tuple[StatusListRow, int]]:
    """``count`` random unused indexes, reserved together (a new list when one fills up)."""
    picked: list[tuple[StatusListRow, int]] = []
    while len(picked) < count:
        row = (_open_list(db, org_id, purpose)
               or new_list(db, org_id=org_id, purpose=purpose, now=now))
        room = max(1, math.ceil(row.size * FILL_LIMIT) - row.allocated_count)
        take = min(room, count - len(picked))
        allocated = bytearray(row.allocated)
        chosen = 0
        while chosen < take:  # at most half the list is used: two tries per index on average
            index = secrets.randbelow(row.size)
            if _bit(allocated, index):
                continue
            allocated[index >> 3] |= 0x80 >> (index & 7)
            picked.append((row, index))
            chosen += 1
        row.allocated = bytes(allocated)
        row.allocated_count += take
        row.updated_at = now
        db.flush()
    return picked


def get_list(db: Session, *, list_id: str, org_id: str | None = None) -> StatusListRow:
    """One list (of one organization when ``org_id`` is given); IssuerNotFound otherwise."""
    row = db.get(StatusListRow, list_id) if list_id.isalnum() else None
    if row is None or (org_id is not None and row.organization_id != org_id):
        raise IssuerNotFound("status list")
    return row


def _as_bitstring(row: StatusListRow) -> BitstringStatusList:
    bits = BitstringStatusList(row.size)
    for byte_index, byte in enumerate(row.bits):
        if byte:
            for bit in range(8):
                if byte & (0x80 >> bit):
                    bits.set(byte_index * 8 + bit)
    return bits


def set_bit(db: Session, *, row: StatusListRow, index: int, value: bool, now: datetime) -> None:
    """Set (revoke, suspend) or clear (lift a suspension) one status."""
    if not 0 <= index < row.size:
        raise IssuerInputError("The status index is outside the list.")
    bits = bytearray(row.bits)
    mask = 0x80 >> (index & 7)
    bits[index >> 3] = (bits[index >> 3] | mask) if value else (bits[index >> 3] & ~mask & 0xFF)
    row.bits = bytes(bits)
    row.updated_at = now
    db.flush()


def is_set(row: StatusListRow, index: int) -> bool:
    """Whether the status at ``index`` is set."""
    return _bit(row.bits, index)


def signed_list_credential(row: StatusListRow, *, base: PublicBase, signer: Signer,
                           now: datetime) -> dict[str, Any]:
    """The BitstringStatusListCredential for ``row``, signed by the organization's key."""
    url = base.status_list_url(row.id)
    unsigned = status_list_credential(
        url, base.org_did(row.organization_id), row.purpose, _as_bitstring(row).encode(),
        now.replace(microsecond=0), valid_until=now.replace(microsecond=0)
        + timedelta(days=1), ttl_ms=LIST_TTL_SECONDS * 1000)
    return sign(unsigned, keypair=cast(KeyPair, signer),
                verification_method=signer.verification_method,
                cryptosuite=CRYPTOSUITE_FOR[signer.algorithm], created=now.replace(microsecond=0),
                loader=default_loader())
