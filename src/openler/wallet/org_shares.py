"""Shares addressed to an organization on this instance: its inbox, and its members'
openings, logged with the organization's name.

Spec: RFC 5869 (HKDF-SHA256) and NIST SP 800-38D (AES-256-GCM). A share's
content stays sealed under its link token (``openler.wallet.sharing``); for the
organization's inbox the token itself is sealed with an organization key
derived from the application secret the way the wallet master key is
(``OrgSealer``: its own HKDF salt, the organization id in the info, the share
and organization ids as associated data). So a database reader can open
neither the token nor the share; the running server opens it only when a
member of that organization asks, and only while the share is live: a stopped
or expired share is left out of the inbox at once (the query filters on
``stopped_at``/``expires_at``) and its link content is erased as before. The
organization sees nothing before the learner shares.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from openler.accounts.models import OrganizationKind
from openler.storage.tables import Organization
from openler.storage.tables_org_shares import OrgShare, OrgShareView
from openler.storage.tables_wallet_shares import WalletShare, WalletShareView
from openler.wallet import service, sharing
from openler.wallet.errors import WalletNotFound
from openler.wallet.shared_view import SharedView

AUDIENCE_KINDS = (OrganizationKind.EMPLOYER.value, OrganizationKind.SCHOOL.value)
_HKDF_SALT = b"openler/org/share-inbox"


class OrgSealer:
    """Seals share link tokens for one organization's inbox, with a key per organization."""

    __slots__ = ("_secret",)

    def __init__(self, app_secret: str) -> None:
        if not app_secret:
            raise ValueError("the application secret is empty")
        self._secret = app_secret.encode("utf-8")

    def _aead(self, org_id: str) -> AESGCM:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT,
                   info=f"openler org share inbox v1|{org_id}".encode()).derive(self._secret)
        return AESGCM(key)

    def seal(self, token: str, *, org_id: str, share_id: str) -> tuple[bytes, bytes]:
        """(nonce, ciphertext) of a link token for one organization and share."""
        nonce = os.urandom(12)
        aad = f"openler-org-share|{org_id}|{share_id}".encode()
        return nonce, self._aead(org_id).encrypt(nonce, token.encode("utf-8"), aad)

    def open(self, nonce: bytes, ciphertext: bytes, *, org_id: str, share_id: str) -> str:
        """The link token; ShareRefused("unknown") if the row was moved or altered."""
        aad = f"openler-org-share|{org_id}|{share_id}".encode()
        try:
            return self._aead(org_id).decrypt(nonce, ciphertext, aad).decode("utf-8")
        except InvalidTag:
            raise sharing.ShareRefused("unknown") from None


@dataclass(frozen=True, slots=True)
class InboxShare:
    """A live share in an organization's inbox: when it came and until when it opens."""

    share_id: str
    created_at: datetime
    expires_at: datetime | None


def audiences(db: Session) -> list[tuple[str, str]]:
    """(id, name) of the organizations a learner can share with, by name."""
    rows = db.scalars(select(Organization).where(Organization.kind.in_(AUDIENCE_KINDS)))
    return sorted(((o.id, o.name) for o in rows), key=lambda p: (p[1].casefold(), p[0]))


def audience_org(db: Session, org_id: str) -> Organization | None:
    """The organization a share may be addressed to (employers and schools only)."""
    org = db.get(Organization, org_id[:32]) if org_id else None
    return org if org is not None and org.kind in AUDIENCE_KINDS else None


def address(db: Session, *, sealer: OrgSealer, share_id: str, token: str, org_id: str,
            now: datetime) -> None:
    """Put a new share in the organization's inbox (its token sealed for the organization)."""
    nonce, sealed = sealer.seal(token, org_id=org_id, share_id=share_id)
    db.add(OrgShare(share_id=share_id, org_id=org_id, token_nonce=nonce,
                    token_ciphertext=sealed, created_at=now))
    db.flush()


def _live(now: datetime):  # type: ignore[no-untyped-def]
    return (WalletShare.stopped_at.is_(None), WalletShare.link_ciphertext.is_not(None),
            or_(WalletShare.expires_at.is_(None), WalletShare.expires_at > now))


def inbox(db: Session, *, org_id: str, now: datetime) -> list[InboxShare]:
    """The live shares addressed to the organization, newest first."""
    rows = db.execute(select(OrgShare, WalletShare)
                      .join(WalletShare, WalletShare.id == OrgShare.share_id)
                      .where(OrgShare.org_id == org_id, *_live(now))
                      .order_by(OrgShare.created_at.desc(), OrgShare.share_id))
    return [InboxShare(o.share_id, o.created_at, w.expires_at) for o, w in rows]


def open_for_org(db: Session, *, config: service.WalletConfig, sealer: OrgSealer,
                 org_id: str, share_id: str, now: datetime, language: str = "en"
                 ) -> SharedView:
    """Open a share addressed to the organization (a fresh check), and log the opening
    with the organization's name; WalletNotFound when it is not (or no longer) there."""
    row = db.get(OrgShare, share_id[:32]) if share_id else None
    if row is None or row.org_id != org_id:
        raise WalletNotFound("share")
    try:
        token = sealer.open(row.token_nonce, row.token_ciphertext, org_id=org_id,
                            share_id=row.share_id)
        view = sharing.open_link(db, config=config, token=token, now=now, language=language)
    except sharing.ShareRefused:
        raise WalletNotFound("share") from None
    opened = db.scalars(select(WalletShareView.id)
                        .where(WalletShareView.share_id == row.share_id,
                               WalletShareView.viewed_at == now)
                        .order_by(WalletShareView.id.desc())).first()
    if opened is not None and db.get(OrgShareView, opened) is None:
        db.add(OrgShareView(view_id=opened, org_id=org_id))
        db.flush()
    return view


def viewers(db: Session, *, share_id: str) -> dict[datetime, str]:
    """For the learner: the organization that made each opening of a share, by time."""
    rows = db.execute(select(WalletShareView.viewed_at, Organization.name)
                      .join(OrgShareView, OrgShareView.view_id == WalletShareView.id)
                      .join(Organization, Organization.id == OrgShareView.org_id)
                      .where(WalletShareView.share_id == share_id))
    return {when: name for when, name in rows}


def addressed_to_org(db: Session, *, share_id: str) -> bool:
    """Whether a share was addressed to an organization here (so openings can be told apart)."""
    return db.get(OrgShare, share_id) is not None
