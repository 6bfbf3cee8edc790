"""Sharing with consent: a share link (and QR code) to one presentation, for one audience
and purpose, until a chosen expiry or until the learner stops it; each opening is logged.

Spec: W3C VC Data Model 2.0, sections 4.13 (presentations) and 7.1 (the viewer
gets a fresh verification of the presentation and of every record in it); VC
Data Integrity 1.0, section 2.1 (each share's presentation is signed with its
own ``challenge`` and this instance's URL as ``domain``, so it is bound to that
share); RFC 5869 (HKDF-SHA256 derives the key that seals a share's content
from its link token); NIST SP 800-38D (AES-256-GCM). SD-JWT VC records carry
only the claims chosen for the presentation, with a Key Binding JWT whose
``nonce`` is the share's challenge and ``aud`` its domain (RFC 9901, section
7.3) when the credential names the wallet's key.

Storage decision (see ``openler.storage.tables_wallet_shares``): the link
token is random (256 bits), stored as a SHA-256 hash for lookup; what the
viewer sees is sealed under a key derived from the token, so the server can
decrypt it only when the link is opened, and a database reader cannot read
shared content at all. A copy of the token is sealed with the learner's data
key so the learner can show the link again; stopping a share erases its
sealed content, and so does the first opening after expiry. Opening a link stores only the time: no IP address or user
agent. Deleting a record signs every presentation and share holding it again
without it (the learner is present, so the key is at hand); a share left with
no record is stopped ("empty").

Shares addressed to an organization on this instance (``audience_org_id``):
the audience is that organization's name, and the share also enters its inbox
(``openler.wallet.org_shares``). The content keeps this link-token model; the
inbox holds only the token, sealed with an organization key derived from the
application secret as the wallet master key is (HKDF-SHA256, its own salt, the
organization id in the info, AES-256-GCM bound to organization and share).
Decision: a database reader can read neither; the server opens a share for the
organization only when one of its members asks, only while the share is live,
and logs that opening with the organization's name. The limit is the wallet's
own: whoever holds the database and the application secret can open it too.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from openler.core.verify import verify_presentation
from openler.issuer.dashboard import record_shared
from openler.storage.tables import new_id
from openler.storage.tables_wallet_shares import (
    WalletPresentation,
    WalletPresentationItem,
    WalletShare,
    WalletShareView,
)
from openler.wallet import disclosure, presentations, service, verification
from openler.wallet.errors import WalletError, WalletNotFound, WalletUnreadable
from openler.wallet.keys import OpenWallet, open_wallet
from openler.wallet.models import CheckReport, Record
from openler.wallet.presentations import InvalidSharingInput
from openler.wallet.shared_view import SharedRecord as SharedRecord  # re-exported
from openler.wallet.shared_view import SharedView, overall, shared_record

SHARE_PURPOSE = "share"
EXPIRY_DAYS: dict[str, int | None] = {"7": 7, "30": 30, "90": 90, "never": None}
DEFAULT_EXPIRY = "30"
TEXT_MAX = 200
TOKEN_MAX = 128
_HKDF_SALT = b"openler/wallet/share-link"
ShareState = Literal["active", "stopped", "expired"]


class ShareRefused(WalletError):
    """The link does not open: ``reason`` is "unknown", "stopped", "expired" or "empty"."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"share refused: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Share:
    """A share as its learner sees it: to whom, why, until when, and who opened it when."""

    id: str
    presentation_id: str
    audience: str
    purpose: str
    token: str
    created_at: datetime
    expires_at: datetime | None
    stopped_at: datetime | None
    stop_reason: str | None
    views: tuple[datetime, ...]

    def state(self, now: datetime) -> ShareState:
        """Whether the link opens now."""
        if self.stopped_at is not None:
            return "stopped"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def token_hash(token: str) -> str:
    """The lookup form of a link token (the token itself is never stored in clear)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link_aead(token: str, share_id: str) -> tuple[AESGCM, bytes]:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT,
               info=f"openler share link v1|{share_id}".encode()).derive(token.encode())
    return AESGCM(key), f"openler-share|{share_id}".encode()


def _seal_link(token: str, share_id: str, content: dict[str, Any]) -> tuple[bytes, bytes]:
    aead, aad = _link_aead(token, share_id)
    nonce = os.urandom(12)
    plain = json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()
    return nonce, aead.encrypt(nonce, plain, aad)


def _open_link(token: str, row: WalletShare) -> dict[str, Any]:
    if row.link_nonce is None or row.link_ciphertext is None:
        raise ShareRefused("stopped")
    aead, aad = _link_aead(token, row.id)
    try:
        return json.loads(aead.decrypt(row.link_nonce, row.link_ciphertext, aad))
    except InvalidTag:
        raise WalletUnreadable("share") from None


def _open_public(token: str, row: WalletShare) -> dict[str, Any]:
    """The link's content; a row altered so another token finds it opens nothing."""
    try:
        return _open_link(token, row)
    except WalletUnreadable:
        raise ShareRefused("unknown") from None


def _wallet(db: Session, config: service.WalletConfig, user_id: str) -> OpenWallet:
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        raise WalletNotFound("share")
    return wallet


def _learner_part(wallet: OpenWallet, row: WalletShare) -> dict[str, Any]:
    return wallet.data_key.open(row.learner_nonce, row.learner_ciphertext,
                                purpose=SHARE_PURPOSE, row_id=row.id)


def _share(db: Session, wallet: OpenWallet, row: WalletShare) -> Share:
    data = _learner_part(wallet, row)
    views = tuple(db.scalars(select(WalletShareView.viewed_at)
                             .where(WalletShareView.share_id == row.id)
                             .order_by(WalletShareView.viewed_at.desc())))
    return Share(row.id, row.presentation_id, str(data["audience"]), str(data["purpose"]),
                 str(data["token"]), row.created_at, row.expires_at, row.stopped_at,
                 row.stop_reason, views)


def _clean(text: str) -> str:
    return " ".join(text.split())[:TEXT_MAX]


def _signed(wallet: OpenWallet, records: list[Record], chosen: Any, *, now: datetime,
            challenge: str | None, domain: str | None) -> dict[str, Any]:
    """The share's presentation bound to its challenge and domain, and what the viewer
    should know of each record that its content cannot say (self-reported, format)."""
    members = disclosure.members(records, chosen, wallet=wallet, now=now, challenge=challenge,
                                 domain=domain)
    vp = presentations.sign_vp(wallet, members, now=now, challenge=challenge, domain=domain)
    return {"vp": vp, "members": [{"format": r.format, "self_reported": r.self_reported}
                                  for r in records]}


def create_share(db: Session, *, config: service.WalletConfig, user_id: str,
                 presentation_id: str, audience: str, purpose: str, expiry: str,
                 now: datetime, audience_org_id: str = "", org_sealer: Any = None) -> Share:
    """Make a share link to a presentation for one audience and purpose, until ``expiry``;
    with ``audience_org_id`` (and the ``org_sealer``) also into that organization's inbox."""
    from openler.wallet import org_shares  # it builds on this module

    wallet = _wallet(db, config, user_id)
    pres = presentations.get(db, config=config, user_id=user_id,
                             presentation_id=presentation_id)
    audience, purpose = _clean(audience), _clean(purpose)
    errors: dict[str, str] = {}
    org = None
    if audience_org_id:
        org = org_shares.audience_org(db, audience_org_id)
        if org is None or org_sealer is None:
            errors["audience_org"] = "audience_org_unknown"
        else:
            audience = _clean(org.name)
    elif not audience:
        errors["audience"] = "audience_missing"
    if not purpose:
        errors["purpose"] = "purpose_missing"
    if expiry not in EXPIRY_DAYS:
        errors["expiry"] = "expiry_missing"
    if not pres.records:
        errors["records"] = "records_missing"
    if errors:
        raise InvalidSharingInput(errors)
    days = EXPIRY_DAYS[expiry]
    share_id, token = new_id(), secrets.token_urlsafe(32)
    challenge, domain = secrets.token_urlsafe(16), config.issuer.base.url
    link_nonce, link_sealed = _seal_link(token, share_id, {
        "audience": audience, "purpose": purpose, "name": pres.name,
        "challenge": challenge, "domain": domain,
        **_signed(wallet, list(pres.records), pres.disclosures, now=now, challenge=challenge,
                  domain=domain)})
    learner_nonce, learner_sealed = wallet.data_key.seal(
        {"token": token, "audience": audience, "purpose": purpose},
        purpose=SHARE_PURPOSE, row_id=share_id)
    row = WalletShare(id=share_id, wallet_id=wallet.id, presentation_id=pres.id,
                      token_hash=token_hash(token), learner_nonce=learner_nonce,
                      learner_ciphertext=learner_sealed, link_nonce=link_nonce,
                      link_ciphertext=link_sealed, created_at=now,
                      expires_at=now + timedelta(days=days) if days else None)
    db.add(row)
    db.flush()
    if org is not None:
        org_shares.address(db, sealer=org_sealer, share_id=share_id, token=token,
                           org_id=org.id, now=now)
    for record in pres.records:  # the issuer's dashboard counts shares, never the audience
        if isinstance(record.credential, dict):
            record_shared(db, base=config.issuer.base, credential=record.credential, at=now)
    db.flush()
    return _share(db, wallet, row)


def _owned(db: Session, wallet: OpenWallet, share_id: str) -> WalletShare:
    row = db.get(WalletShare, share_id[:32]) if share_id else None
    if row is None or row.wallet_id != wallet.id:
        raise WalletNotFound("share")
    return row


def get_share(db: Session, *, config: service.WalletConfig, user_id: str,
              share_id: str) -> Share:
    """One share of this learner (WalletNotFound for anyone else's)."""
    wallet = _wallet(db, config, user_id)
    return _share(db, wallet, _owned(db, wallet, share_id))


def purge_expired(db: Session, *, now: datetime) -> int:
    """Erase what every expired link showed, opened or not (nothing is kept past its use)."""
    rows = list(db.scalars(select(WalletShare).where(
        WalletShare.expires_at.is_not(None), WalletShare.expires_at <= now,
        WalletShare.link_ciphertext.is_not(None))))
    for row in rows:
        row.link_nonce = row.link_ciphertext = None
    if rows:
        db.flush()
    return len(rows)


def shares_of(db: Session, *, config: service.WalletConfig, user_id: str,
              presentation_id: str | None = None, now: datetime | None = None) -> list[Share]:
    """The learner's shares (of one presentation, if given), newest first.

    With ``now``, expired links everywhere are erased first (a cheap sweep that runs
    whenever a learner looks at their shares or makes one).
    """
    if now is not None:
        purge_expired(db, now=now)
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:
        return []
    query = select(WalletShare).where(WalletShare.wallet_id == wallet.id)
    if presentation_id is not None:
        query = query.where(WalletShare.presentation_id == presentation_id)
    rows = db.scalars(query.order_by(WalletShare.created_at.desc(), WalletShare.id))
    return [_share(db, wallet, row) for row in rows]


def _stop(row: WalletShare, now: datetime, reason: str) -> None:
    if row.stopped_at is None:
        row.stopped_at, row.stop_reason = now, reason
    row.link_nonce = row.link_ciphertext = None  # nothing is left for the token to open


def stop_share(db: Session, *, config: service.WalletConfig, user_id: str, share_id: str,
               now: datetime) -> Share:
    """Stop a share now: its link refuses from this moment and its content is erased."""
    wallet = _wallet(db, config, user_id)
    row = _owned(db, wallet, share_id)
    _stop(row, now, "learner")
    db.flush()
    return _share(db, wallet, row)


def open_link(db: Session, *, config: service.WalletConfig, token: str, now: datetime,
              language: str = "en") -> SharedView:
    """Open a share link (no sign-in): log the opening, verify afresh, or ShareRefused."""
    if not token or len(token) > TOKEN_MAX:
        raise ShareRefused("unknown")
    row = db.scalars(select(WalletShare).where(WalletShare.token_hash == token_hash(token))
                     ).first()
    if row is None:
        raise ShareRefused("unknown")
    if row.stopped_at is not None:
        raise ShareRefused(row.stop_reason if row.stop_reason == "empty" else "stopped")
    if row.expires_at is not None and row.expires_at <= now:
        row.link_nonce = row.link_ciphertext = None  # expired: erase what it showed
        db.flush()
        raise ShareRefused("expired")
    content = _open_public(token, row)
    db.add(WalletShareView(id=new_id(), share_id=row.id, viewed_at=now))
    db.flush()
    ctx = verification.context(db, config=config.issuer, now=now, language=language,
                               fetcher=config.fetcher)
    ctx.challenge, ctx.domain = content.get("challenge"), content.get("domain")
    ctx.kb_max_age_seconds = None  # the challenge is this share's own, stored with it
    vp = content["vp"]
    result = verify_presentation(vp, ctx=ctx)
    about = list(content.get("members") or [])
    records = tuple(
        shared_record(credential, member, about[i] if i < len(about) else {}, now)
        for i, (credential, member) in enumerate(zip(vp.get("verifiableCredential", []),
                                                     result.credentials, strict=False)))
    return SharedView(str(content["audience"]), str(content["purpose"]),
                      str(content["name"]), row.expires_at, vp,
                      overall(CheckReport.of(result, now=now), records), records)


def link_document(db: Session, *, token: str, now: datetime) -> dict[str, Any]:
    """The signed presentation behind a live link, for download (ShareRefused otherwise)."""
    if not token or len(token) > TOKEN_MAX:
        raise ShareRefused("unknown")
    row = db.scalars(select(WalletShare).where(WalletShare.token_hash == token_hash(token))
                     ).first()
    if row is None:
        raise ShareRefused("unknown")
    if row.stopped_at is not None or (row.expires_at is not None and row.expires_at <= now):
        raise ShareRefused("stopped")
    return dict(_open_public(token, row)["vp"])


def resign_shares(db: Session, *, wallet: OpenWallet, presentation_id: str,
                  records: list[Record], chosen: Any, now: datetime) -> int:
    """Sign every live share of a presentation again over ``records`` with the disclosure
    choices ``chosen`` (each keeps its own challenge and domain); a share left with no
    record is stopped ("empty"). Returns how many shares were signed again."""
    signed = 0
    for share in db.scalars(select(WalletShare)
                            .where(WalletShare.presentation_id == presentation_id)):
        if share.stopped_at is not None or share.link_ciphertext is None:
            continue  # stopped, or expired and erased: nothing to sign again
        if not records:
            _stop(share, now, "empty")
            continue
        token = str(_learner_part(wallet, share)["token"])
        content = _open_link(token, share)
        content.update(_signed(wallet, records, chosen, now=now,
                               challenge=content.get("challenge"), domain=content.get("domain")))
        share.link_nonce, share.link_ciphertext = _seal_link(token, share.id, content)
        signed += 1
    return signed


def forget_record(db: Session, *, config: service.WalletConfig, wallet: OpenWallet,
                  user_id: str, record_id: str, now: datetime) -> None:
    """Take a record out of every presentation and share, signing them again without it."""
    holding = list(db.scalars(select(WalletPresentationItem.presentation_id)
                              .where(WalletPresentationItem.record_id == record_id)))
    db.execute(delete(WalletPresentationItem)
               .where(WalletPresentationItem.record_id == record_id))
    for presentation_id in dict.fromkeys(holding):
        row = db.get(WalletPresentation, presentation_id)
        if row is None:
            continue
        records = presentations.remaining(db, config=config, user_id=user_id,
                                          presentation_id=presentation_id)
        chosen = presentations.resign(db, wallet=wallet, row=row, records=records, now=now)
        resign_shares(db, wallet=wallet, presentation_id=presentation_id, records=records,
                      chosen=chosen, now=now)
    db.flush()
