"""Presentation requests: an organization asks a learner's wallet for credentials.

Spec: OpenID for Verifiable Presentations 1.0, section 5 (Authorization
Request: ``client_id``, ``nonce``, ``state``, ``dcql_query``, ``client_metadata``;
the Request Object by reference through ``request_uri``, JAR/RFC 9101),
5.9.3 (Client Identifier Prefix ``redirect_uri:``: the request cannot be signed
and all metadata travels in ``client_metadata``), 8.2 (Response Mode
``direct_post`` with ``response_uri``; with the ``redirect_uri:`` prefix the
client id is the Response URI) and 14.1 (a fresh nonce per request).

The request object is served as an unsecured JWT (RFC 7519 section 6, JOSE
header ``{"alg": "none", "typ": "oauth-authz-req+jwt"}``, empty signature):
the ``typ`` is the one the spec requires of every Request Object, and
``alg: none`` because the ``redirect_uri:`` prefix forbids a signature.
``purpose`` is an OpenLER request parameter (section 5: additional
parameters MAY be defined; wallets ignore what they do not know), and
``client_metadata.client_name`` (RFC 7591) carries the organization's name.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.storage.tables import Organization, new_id
from openler.storage.tables_verifier import VerifierRequest
from openler.verifier.dcql import FORMAT_LDP_VC, FORMAT_SD_JWT, DcqlError, parse_query

CLIENT_ID_PREFIX = "redirect_uri:"
REQUEST_TYP = "oauth-authz-req+jwt"
WALLET_SCHEME = "openid4vp://"
DEFAULT_LIFETIME = timedelta(minutes=15)
MAX_LIFETIME = timedelta(days=7)
PURPOSE_MAX = 500
VP_FORMATS = {FORMAT_LDP_VC: {"proof_type_values": ["DataIntegrityProof"],
                              "cryptosuite_values": ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"]},
              FORMAT_SD_JWT: {"sd-jwt_alg_values": ["ES256", "EdDSA"],
                              "kb-jwt_alg_values": ["ES256", "EdDSA"]}}


class VerifierError(Exception):
    """Base of the verifier's errors."""


class InvalidVerifierRequest(VerifierError):
    """A request cannot be made as asked: ``errors`` maps each field to a code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"invalid request: {errors}")
        self.errors = errors


class RequestUnavailable(VerifierError):
    """The request is unknown, answered or expired (``reason``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"request unavailable: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PresentationRequest:
    """A request as the organization sees it."""

    id: str
    org_id: str
    purpose: str
    dcql_query: dict[str, Any]
    nonce: str
    state: str
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None

    def status(self, now: datetime) -> str:
        """``open``, ``answered`` or ``expired``."""
        if self.answered_at is not None:
            return "answered"
        return "expired" if now >= self.expires_at else "open"


def _view(row: VerifierRequest) -> PresentationRequest:
    return PresentationRequest(row.id, row.org_id, row.purpose, dict(row.dcql_query), row.nonce,
                               row.state, row.created_at, row.expires_at, row.answered_at)


def response_uri(base_url: str, request_id: str) -> str:
    """Where the wallet posts its answer (the Response URI of section 8.2)."""
    return f"{base_url.rstrip('/')}/verifier/requests/{request_id}/response"


def request_uri(base_url: str, request_id: str) -> str:
    """Where the wallet fetches the request object (RFC 9101 ``request_uri``)."""
    return f"{base_url.rstrip('/')}/verifier/requests/{request_id}/request"


def client_id(base_url: str, request_id: str) -> str:
    """The Client Identifier: the ``redirect_uri:`` prefix and the Response URI."""
    return CLIENT_ID_PREFIX + response_uri(base_url, request_id)


def create_request(db: Session, *, org_id: str, purpose: str, dcql_query: dict[str, Any],
                   now: datetime, lifetime: timedelta = DEFAULT_LIFETIME) -> PresentationRequest:
    """Make a single-use request with a fresh nonce and state (InvalidVerifierRequest if not)."""
    purpose = " ".join((purpose or "").split())[:PURPOSE_MAX]
    errors: dict[str, str] = {}
    if not purpose:
        errors["purpose"] = "purpose_missing"
    try:
        parse_query(dcql_query)
    except DcqlError as exc:
        errors["dcql_query"] = f"dcql_invalid: {exc.reason}"
    if lifetime <= timedelta(0) or lifetime > MAX_LIFETIME:
        errors["lifetime"] = "lifetime_invalid"
    if db.get(Organization, org_id) is None:
        errors["org_id"] = "org_unknown"
    if errors:
        raise InvalidVerifierRequest(errors)
    row = VerifierRequest(id=new_id(), org_id=org_id, purpose=purpose,
                          dcql_query=json.loads(json.dumps(dcql_query)),
                          nonce=secrets.token_urlsafe(32), state=secrets.token_urlsafe(32),
                          created_at=now, expires_at=now + lifetime)
    db.add(row)
    db.flush()
    return _view(row)


def get_request(db: Session, *, request_id: str, org_id: str | None = None) -> PresentationRequest:
    """One request (RequestUnavailable('unknown'); another organization's is unknown too)."""
    row = db.get(VerifierRequest, request_id[:32]) if request_id else None
    if row is None or (org_id is not None and row.org_id != org_id):
        raise RequestUnavailable("unknown")
    return _view(row)


def requests_of(db: Session, *, org_id: str) -> list[PresentationRequest]:
    """The organization's requests, newest first."""
    rows = db.scalars(select(VerifierRequest).where(VerifierRequest.org_id == org_id)
                      .order_by(VerifierRequest.created_at.desc(), VerifierRequest.id))
    return [_view(r) for r in rows]


def request_object(db: Session, *, request_id: str, base_url: str,
                   now: datetime) -> dict[str, Any]:
    """The Authorization Request parameters for an open request (RequestUnavailable if not)."""
    req = get_request(db, request_id=request_id)
    state = req.status(now)
    if state != "open":
        raise RequestUnavailable(state)
    org = db.get(Organization, req.org_id)
    metadata: dict[str, Any] = {"vp_formats_supported": VP_FORMATS}
    if org is not None:
        metadata["client_name"] = org.name
    return {"client_id": client_id(base_url, req.id), "response_type": "vp_token",
            "response_mode": "direct_post", "response_uri": response_uri(base_url, req.id),
            "nonce": req.nonce, "state": req.state, "dcql_query": req.dcql_query,
            "client_metadata": metadata, "purpose": req.purpose,
            "aud": "https://self-issued.me/v2", "iat": int(now.timestamp()),
            "exp": int(req.expires_at.timestamp())}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unsecured_jwt(payload: dict[str, Any]) -> str:
    """An unsecured JWT (``alg: none``, RFC 7519 section 6) carrying the request object."""
    header = {"alg": "none", "typ": REQUEST_TYP}
    return ".".join((_b64(json.dumps(header, separators=(",", ":")).encode()),
                     _b64(json.dumps(payload, separators=(",", ":")).encode()), ""))


def wallet_link(base_url: str, request_id: str) -> str:
    """The ``openid4vp://`` link (or QR code) that hands the request to a wallet."""
    query = urlencode({"client_id": client_id(base_url, request_id),
                       "request_uri": request_uri(base_url, request_id)})
    return f"{WALLET_SCHEME}?{query}"
