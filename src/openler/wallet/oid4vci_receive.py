"""Receiving an OpenID4VCI offer into the learner's wallet: read, redeem, store as pending.

Spec: OpenID4VCI 1.0, sections 4-8 and 11 (through ``oid4vci_client``, and
``oid4vci_authorize`` when the learner signs in at the issuer first); W3C VC
Data Model 2.0, section 7.1 (the record is checked on arrival and waits, pending,
until the learner reads the check and accepts or declines it). Nothing is stored
unless the issuer handed over a credential bound to the learner's own key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from openler.core.errors import CoreError
from openler.wallet import service
from openler.wallet.keys import ensure_wallet
from openler.wallet.models import FORMAT_VC_JOSE, CheckLine, CheckReport, Record
from openler.wallet.oid4vci_authorize import (
    CALLBACK_PATH,
    PendingSignIn,
    SignInStart,
    callback_code,
    redeem_code,
    start_sign_in,
)
from openler.wallet.oid4vci_client import (
    HttpPort,
    OfferPreview,
    Received,
    collect,
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
    if preview.sign_in:
        raise OfferError("needs_sign_in", "this offer is taken by signing in at the issuer")
    wallet = ensure_wallet(db, master=config.master, user_id=user_id, now=now)
    received = receive(preview, http=http, keypair=wallet.keypair(), tx_code=tx_code, now=now)
    return _keep(db, config=config, user_id=user_id, received=received, preview=preview,
                 http=http, now=now, language=language)


def client_id(config: service.WalletConfig) -> str:
    """This instance's OAuth client id at every issuer: its public base URL (a decision)."""
    return config.issuer.base.url


def start_offer_sign_in(*, config: service.WalletConfig, user_id: str, offer_text: str,
                        now: datetime, language: str = "en") -> SignInStart:
    """Read an offer that needs the learner to sign in at the issuer and prepare the trip."""
    http = _http(config)
    preview = read_offer(offer_text, http=http, language=language)
    if not preview.sign_in:
        raise OfferError("malformed_offer", "this offer is taken with a code, not a sign-in")
    base = client_id(config)
    return start_sign_in(preview, http=http, client_id=base, redirect_uri=base + CALLBACK_PATH,
                         user_id=user_id, now=now)


def finish_offer_sign_in(db: Session, *, config: service.WalletConfig, pending: PendingSignIn,
                         params: Mapping[str, str], now: datetime,
                         language: str = "en") -> Record:
    """Back from the issuer: check the answer, redeem the code, keep the credential pending."""
    code = callback_code(pending, params, now=now)
    http = _http(config)
    token = redeem_code(pending, code, http=http)
    wallet = ensure_wallet(db, master=config.master, user_id=pending.user_id, now=now)
    received = collect(pending.preview, token=token, http=http, keypair=wallet.keypair(),
                       now=now)
    return _keep(db, config=config, user_id=pending.user_id, received=received,
                 preview=pending.preview, http=http, now=now, language=language)


def _keep(db: Session, *, config: service.WalletConfig, user_id: str, received: Received,
          preview: OfferPreview, http: HttpPort, now: datetime, language: str) -> Record:
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
