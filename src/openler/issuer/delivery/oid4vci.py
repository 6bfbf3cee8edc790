"""OpenID for Verifiable Credential Issuance 1.0: pre-authorized code flow for an offer.

Spec: OpenID4VCI 1.0 sections 4.1 (Credential Offer by value and by reference),
6 (Token Endpoint, grant ``urn:ietf:params:oauth:grant-type:pre-authorized_code``
with ``tx_code``; errors of RFC 6749 section 5.2), 7 (Nonce Endpoint), 8
(Credential Endpoint: ``credential_configuration_id`` and ``proofs``; response
``credentials``; errors in 8.3.1.2), 12.2 (Credential Issuer Metadata) and
Appendix A.1.2 (``ldp_vc``: ``credential_definition`` with ``@context`` and
``type``); RFC 8414 with the ``pre-authorized_grant_anonymous_access_supported``
parameter of section 12.3; RFC 6750 section 3 (``invalid_token``).

The offer's reference is random; its pre-authorized code is derived from it by
hashing, so only hashes are stored and the by-reference URI can be served again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openler.core.models import OB_V3_CONTEXT, VC_V2_CONTEXT
from openler.issuer.delivery import binding, key_proof
from openler.issuer.delivery.errors import OfferUnavailable, Oid4vciError
from openler.issuer.delivery.offers import TX_CODE_LENGTH, check_live, mark_claimed
from openler.issuer.delivery.secrets_ import digest, new_token
from openler.issuer.service import IssuerConfig
from openler.storage.tables_delivery import (
    AccessToken,
    ClaimOffer,
    IssuanceNonce,
    PreAuthorizedGrant,
)

CONFIGURATION_ID = "OpenBadgeCredential_ldp_vc"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_SCHEME = "openid-credential-offer://"
GRANT_TTL = timedelta(minutes=30)
TOKEN_TTL = timedelta(minutes=5)
NONCE_TTL = timedelta(minutes=5)
MAX_TX_ATTEMPTS = 5
MAX_OFFER_TX_FAILURES = 10
"""Wrong codes allowed over all wallet links of one offer; then staff must send a new one."""


def issuer_metadata(issuer: str) -> dict[str, Any]:
    """What a wallet needs to know about this Credential Issuer."""
    return {
        "credential_issuer": issuer,
        "credential_endpoint": f"{issuer}/oid4vci/credential",
        "nonce_endpoint": f"{issuer}/oid4vci/nonce",
        "display": [{"name": "OpenLER", "locale": "en"}, {"name": "OpenLER", "locale": "es"}],
        "credential_configurations_supported": {
            CONFIGURATION_ID: {
                "format": "ldp_vc",
                "cryptographic_binding_methods_supported": list(key_proof.BINDING_METHODS),
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022",
                                                            "ecdsa-rdfc-2019"],
                "proof_types_supported": {"jwt": {
                    "proof_signing_alg_values_supported": list(key_proof.ALGORITHMS)}},
                "credential_definition": {
                    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"]},
                "credential_metadata": {"display": [
                    {"name": "Open Badge", "locale": "en"},
                    {"name": "Insignia abierta", "locale": "es"}]},
            }
        },
    }


def authorization_server_metadata(issuer: str) -> dict[str, Any]:
    """RFC 8414 metadata: this issuer is also its own token endpoint."""
    return {
        "issuer": issuer,
        "token_endpoint": f"{issuer}/oid4vci/token",
        "grant_types_supported": [PRE_AUTHORIZED],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": [],
    }


def _code_of(ref: str) -> str:
    raw = hashlib.sha256(b"oid4vci-pre-authorized-code:" + ref.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class WalletOffer:
    """A Credential Offer for one wallet, with the two ways to hand it over."""

    issuer: str
    ref: str

    @property
    def code(self) -> str:
        """The pre-authorized code (derived from the reference)."""
        return _code_of(self.ref)

    @property
    def document(self) -> dict[str, Any]:
        """The Credential Offer object."""
        return offer_document(self.issuer, self.code)

    @property
    def by_value(self) -> str:
        """The offer link carrying the whole offer."""
        text = json.dumps(self.document, separators=(",", ":"))
        return f"{OFFER_SCHEME}?credential_offer={quote(text, safe='')}"

    @property
    def uri(self) -> str:
        """Where the offer can be fetched by reference."""
        return f"{self.issuer}/oid4vci/offers/{self.ref}"

    @property
    def by_reference(self) -> str:
        """The short offer link (better for QR codes)."""
        return f"{OFFER_SCHEME}?credential_offer_uri={quote(self.uri, safe='')}"


def offer_document(issuer: str, code: str) -> dict[str, Any]:
    """The Credential Offer: our one configuration, a pre-authorized code and a tx_code."""
    return {
        "credential_issuer": issuer,
        "credential_configuration_ids": [CONFIGURATION_ID],
        "grants": {PRE_AUTHORIZED: {
            "pre-authorized_code": code,
            "tx_code": {"input_mode": "numeric", "length": TX_CODE_LENGTH,
                        "description": "The code in the email with your claim link."}}},
    }


def tx_failures(db: Session, offer_id: str) -> int:
    """Wrong transaction codes typed so far for one offer, over all its wallet links."""
    total = db.scalar(select(func.sum(PreAuthorizedGrant.failed_attempts)).where(
        PreAuthorizedGrant.offer_id == offer_id))
    return int(total or 0)


def new_wallet_offer(db: Session, *, offer: ClaimOffer, issuer: str,
                     now: datetime) -> WalletOffer:
    """A fresh pre-authorized code for the offer; earlier unused codes stop working."""
    check_live(offer, now=now)
    if tx_failures(db, offer.id) >= MAX_OFFER_TX_FAILURES:
        raise OfferUnavailable("locked")
    for old in db.scalars(select(PreAuthorizedGrant).where(
            PreAuthorizedGrant.offer_id == offer.id, PreAuthorizedGrant.used_at.is_(None))):
        old.expires_at = min(old.expires_at, now)
    ref = new_token()
    db.add(PreAuthorizedGrant(offer_id=offer.id, ref_hash=digest(ref),
                              code_hash=digest(_code_of(ref)), created_at=now,
                              expires_at=min(now + GRANT_TTL, offer.expires_at)))
    db.flush()
    return WalletOffer(issuer, ref)


def _usable_grant(grant: PreAuthorizedGrant | None, now: datetime) -> PreAuthorizedGrant | None:
    if grant is None or grant.used_at is not None or now >= grant.expires_at:
        return None
    try:
        check_live(grant.offer, now=now)
    except OfferUnavailable:
        return None
    return grant


def offer_by_reference(db: Session, *, ref: str, issuer: str, now: datetime) -> dict[str, Any]:
    """The Credential Offer behind a ``credential_offer_uri`` while its code is usable."""
    grant = db.scalars(select(PreAuthorizedGrant).where(
        PreAuthorizedGrant.ref_hash == digest(ref[:200]))).first()
    if _usable_grant(grant, now) is None:
        raise OfferUnavailable("unknown")
    return offer_document(issuer, _code_of(ref))


def redeem(db: Session, *, form: Mapping[str, str], now: datetime) -> dict[str, Any]:
    """Token Endpoint: trade a pre-authorized code and its tx_code for an access token."""
    grant_type = form.get("grant_type")
    if not grant_type:
        raise Oid4vciError("invalid_request", "grant_type is missing.")
    if grant_type != PRE_AUTHORIZED:
        raise Oid4vciError("unsupported_grant_type", f"Only {PRE_AUTHORIZED} is supported.")
    code = form.get("pre-authorized_code")
    if not code:
        raise Oid4vciError("invalid_request", "pre-authorized_code is missing.")
    grant = _usable_grant(db.scalars(select(PreAuthorizedGrant).where(
        PreAuthorizedGrant.code_hash == digest(code[:200]))).first(), now)
    if grant is None:
        raise Oid4vciError("invalid_grant", "The pre-authorized code is unknown, used or expired.")
    tx_code = form.get("tx_code")
    if not tx_code:
        raise Oid4vciError("invalid_request", "tx_code is missing: this offer needs one.")
    locked = tx_failures(db, grant.offer_id) >= MAX_OFFER_TX_FAILURES
    if locked or not hmac.compare_digest(digest(tx_code[:50]), grant.offer.tx_code_hash):
        grant.failed_attempts += 1
        if grant.failed_attempts >= MAX_TX_ATTEMPTS:
            grant.expires_at = now  # too many guesses: the learner asks for a new code
        raise Oid4vciError("invalid_grant", "The transaction code is not right.")
    grant.used_at = now
    token = new_token()
    db.add(AccessToken(grant_id=grant.id, token_hash=digest(token), expires_at=now + TOKEN_TTL))
    db.flush()
    return {"access_token": token, "token_type": "Bearer",
            "expires_in": int(TOKEN_TTL.total_seconds())}


def new_nonce(db: Session, *, now: datetime) -> str:
    """Nonce Endpoint: a fresh c_nonce for the next key proof."""
    nonce = new_token(24)
    db.add(IssuanceNonce(nonce=nonce, expires_at=now + NONCE_TTL))
    db.flush()
    return nonce


def _use_nonce(db: Session, nonce: str, now: datetime) -> bool:
    row = db.get(IssuanceNonce, nonce[:64])
    if row is None or row.used_at is not None or now >= row.expires_at:
        return False
    row.used_at = now
    db.flush()
    return True


def _access(db: Session, authorization: str | None, now: datetime) -> AccessToken:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Oid4vciError("invalid_token", "Send the access token as a Bearer token.",
                           status=401)
    row = db.scalars(select(AccessToken).where(
        AccessToken.token_hash == digest(token.strip()[:200]))).first()
    if row is None or row.used_at is not None or now >= row.expires_at:
        raise Oid4vciError("invalid_token", "The access token is unknown, used or expired.",
                           status=401)
    return row


def _one_proof(body: Mapping[str, Any]) -> Any:
    proofs, proof = body.get("proofs"), body.get("proof")
    if proofs is not None and proof is not None:
        raise Oid4vciError("invalid_credential_request", "Send proofs or proof, not both.")
    if proof is not None:  # the singular form of earlier drafts
        if not isinstance(proof, Mapping) or proof.get("proof_type") != "jwt":
            raise Oid4vciError("invalid_proof", "proof.proof_type must be jwt.")
        return proof.get("jwt")
    if not isinstance(proofs, Mapping) or not proofs:
        raise Oid4vciError("invalid_proof", "proofs with a jwt key proof is missing.")
    if set(proofs) != {"jwt"}:
        raise Oid4vciError("invalid_proof", "Only the jwt proof type is supported.")
    jwts = proofs["jwt"]
    if not isinstance(jwts, list) or len(jwts) != 1:
        raise Oid4vciError("invalid_credential_request",
                           "Send exactly one jwt key proof; batch issuance is not offered.")
    return jwts[0]


def issue(db: Session, *, config: IssuerConfig, issuer: str, authorization: str | None,
          body: Any, now: datetime) -> dict[str, Any]:
    """Credential Endpoint: check token and key proof, return the holder-bound credential."""
    access = _access(db, authorization, now)
    if not isinstance(body, Mapping):
        raise Oid4vciError("invalid_credential_request", "The body must be a JSON object.")
    if "credential_identifier" in body:
        raise Oid4vciError("unknown_credential_identifier",
                           "This issuer does not use credential identifiers.")
    if body.get("credential_configuration_id") != CONFIGURATION_ID:
        raise Oid4vciError("unknown_credential_configuration",
                           f"credential_configuration_id must be {CONFIGURATION_ID}.")
    proof = _one_proof(body)
    offer = access.grant.offer
    try:
        check_live(offer, now=now)
    except OfferUnavailable as exc:
        raise Oid4vciError("credential_request_denied",
                           f"This offer can no longer be used ({exc.reason}).") from None
    try:
        result = key_proof.verify_key_proof(proof, audience=issuer, now=now,
                                            use_nonce=lambda n: _use_nonce(db, n, now))
    except Oid4vciError as exc:
        if exc.code == "invalid_nonce":
            exc.c_nonce = new_nonce(db, now=now)
        raise
    award = offer.award
    if award.recipient_did and award.recipient_did != result.holder_did:
        raise Oid4vciError("invalid_proof",
                           "This credential was awarded to another DID; prove that key.")
    credential = binding.bind_to_holder(db, config=config, award=award,
                                        holder_did=result.holder_did, now=now)
    access.used_at = now
    mark_claimed(offer, how="wallet", now=now)
    db.flush()
    return {"credentials": [{"credential": credential}]}
