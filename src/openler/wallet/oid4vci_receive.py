"""Receiving an OpenID4VCI offer into the learner's wallet: read, redeem, store as pending.

Spec: OpenID4VCI 1.0, sections 4-8 and 11 (through ``oid4vci_client``); W3C VC
Data Model 2.0, section 7.1 (the record is checked on arrival and waits, pending,
until the learner reads the check and accepts or declines it). Nothing is stored
unless the issuer handed over a credential bound to the learner's own key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from openler.core.errors import CoreError
from openler.wallet import service
from openler.wallet.keys import ensure_wallet
from openler.wallet.models import FORMAT_VC_JOSE, CheckLine, CheckReport, Record
from openler.wallet.oid4vci_client import (
    HttpPort,
    OfferPreview,
    notify_accepted,
    read_offer,
    receive,
)
from openler.wallet.oid4vci_offer import OfferError

SOURCE = "offer"


def _http(config: service.WalletConfig) -> HttpPort:
    fetcher = config.fetcher
    if fetcher is None or not hasattr(fetcher, "post"):
        raise OfferError("issuer_unreachable", "this wallet has no outbound HTTP client")
    return fetcher  # type: ignore[return-value]


def preview_offer(*, config: service.WalletConfig, text: str, language: str = "en") -> OfferPreview:
    """Who offers what, read from the offer and the issuer's metadata (nothing redeemed)."""
    return read_offer(text, http=_http(config), language=language)


def _unchecked_report(now: datetime) -> CheckReport:
    """JWT-secured VCs (jwt_vc_json) are kept but this wallet cannot check their signature yet."""
    return CheckReport("incomplete", (
        CheckLine("well_formed", "passed", "format.ok"),
        CheckLine("proof", "could_not_check", "proof.unsupported", "jwt_vc_json",
                  could_not_check=True)), now.replace(microsecond=0).isoformat())


def take_offer(db: Session, *, config: service.WalletConfig, user_id: str, offer_text: str,
               tx_code: str, now: datetime, language: str = "en") -> Record:
    """Redeem the offer with the learner's key and keep the credential, pending their answer."""
    http = _http(config)
    preview = read_offer(offer_text, http=http, language=language)
    wallet = ensure_wallet(db, master=config.master, user_id=user_id, now=now)
    received = receive(preview, http=http, keypair=wallet.keypair(), tx_code=tx_code, now=now)
    report = _unchecked_report(now) if received.record_format == FORMAT_VC_JOSE else None
    try:
        record = service.store(db, config=config, user_id=user_id,
                               credential=received.credential, source=SOURCE, now=now,
                               language=language, record_format=received.record_format,
                               state="pending", report=report)
    except (CoreError, ValueError, TypeError) as exc:  # the verifier could not even read it
        raise OfferError("bad_credential", str(exc)[:200]) from None
    notify_accepted(received, preview, http=http)
    return record
