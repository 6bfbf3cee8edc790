"""The learner's wallet settings, sealed like everything else the learner keeps.

One JSON object per wallet (for example ``{"hidden_skills": [...]}``), sealed
with the learner's data key (``openler.wallet.crypto``) so that even which
skills a learner chose to hide is not readable from the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.storage.tables_wallet import WalletPreference
from openler.wallet.keys import OpenWallet

PREFERENCES_PURPOSE = "preferences"


def load(db: Session, *, wallet: OpenWallet) -> dict[str, Any]:
    """The learner's settings (an empty object before the first change)."""
    row = db.get(WalletPreference, wallet.id)
    if row is None:
        return {}
    data = wallet.data_key.open(row.nonce, row.ciphertext, purpose=PREFERENCES_PURPOSE,
                                row_id=wallet.id)
    return dict(data) if isinstance(data, dict) else {}


def save(db: Session, *, wallet: OpenWallet, settings: dict[str, Any], now: datetime) -> None:
    """Replace the learner's settings with ``settings``, sealed."""
    nonce, sealed = wallet.data_key.seal(settings, purpose=PREFERENCES_PURPOSE,
                                         row_id=wallet.id)
    row = db.get(WalletPreference, wallet.id)
    if row is None:
        db.add(WalletPreference(wallet_id=wallet.id, nonce=nonce, ciphertext=sealed,
                                updated_at=now))
    else:
        row.nonce, row.ciphertext, row.updated_at = nonce, sealed, now
    db.flush()


def update(db: Session, *, wallet: OpenWallet, now: datetime, **changes: Any) -> dict[str, Any]:
    """Change some settings and keep the others."""
    settings = load(db, wallet=wallet)
    settings.update(changes)
    save(db, wallet=wallet, settings=settings, now=now)
    return settings
