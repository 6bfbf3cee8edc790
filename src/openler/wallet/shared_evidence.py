"""Evidence files handed out through a live share link, and only through a live one.

Spec: W3C VC Data Model 2.0, sections 4.13.1 (enveloped credentials) and 5.6
(evidence); 1EdTech Open Badges 3.0, section B.1.11 (an Evidence ``id`` may carry the
file as a ``data:`` URL). The file is read from the presentation the learner signed
for the share, so nothing outside it can be reached; the link refuses exactly as the
share page does (``ShareRefused`` with the same reason), and a download is not an
opening: nothing is logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.presentations import is_enveloped, unwrap
from openler.storage.tables_wallet_shares import WalletShare
from openler.wallet import sharing
from openler.wallet.disclosure import legacy_content
from openler.wallet.errors import WalletNotFound
from openler.wallet.evidence import SHAREABLE_TYPES, embedded_file
from openler.wallet.models import FORMAT_SD_JWT, FORMAT_VC_JOSE
from openler.wallet.self_reported_evidence import StoredEvidence
from openler.wallet.sharing import ShareRefused
from openler.wallet.summary import document_of


def member_document(member: Any) -> Mapping[str, Any]:
    """The JSON of one presentation member: as is, or unwrapped from its envelope."""
    if not isinstance(member, Mapping):
        return {}
    if not is_enveloped(member):
        return member
    legacy = legacy_content(member)
    if legacy is not None:
        return legacy
    found = unwrap(member)
    if found is None:
        return {}
    media_type, token = found
    record_format = FORMAT_VC_JOSE if "vc+jwt" in media_type else FORMAT_SD_JWT
    return document_of(token, record_format)


def _refusal(db: Session, token: str, now: datetime, reason: str) -> ShareRefused:
    """The share page's reason for a link that ``link_document`` calls simply stopped."""
    if reason != "stopped":
        return ShareRefused(reason)
    row = db.scalars(select(WalletShare).where(
        WalletShare.token_hash == sharing.token_hash(token))).first()
    if row is None:
        return ShareRefused("unknown")
    if row.stopped_at is not None:
        return ShareRefused("empty" if row.stop_reason == "empty" else "stopped")
    if row.expires_at is not None and row.expires_at <= now:
        row.link_nonce = row.link_ciphertext = None  # expired: erased, as the page does
        db.flush()
        return ShareRefused("expired")
    return ShareRefused("stopped")


def shared_file(db: Session, *, token: str, now: datetime, record_index: int,
                n: int) -> StoredEvidence:
    """Evidence file ``n`` of record ``record_index`` (both from 1) of a live share.

    ShareRefused as the share page refuses; WalletNotFound when there is no such file or
    it is not one of the kinds a share hands out (PDF, PNG, JPEG, plain text).
    """
    try:
        vp = sharing.link_document(db, token=token, now=now)
    except ShareRefused as exc:
        raise _refusal(db, token, now, exc.reason) from None
    members = vp.get("verifiableCredential") or []
    members = members if isinstance(members, list) else [members]
    if not 1 <= record_index <= len(members):
        raise WalletNotFound("evidence")
    item = embedded_file(member_document(members[record_index - 1]), n)
    if item is None or item.media_type not in SHAREABLE_TYPES:
        raise WalletNotFound("evidence")
    return item
