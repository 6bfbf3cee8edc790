"""The Response URI: receive a wallet's answer (``direct_post``), check it, keep it.

Spec: OpenID for Verifiable Presentations 1.0, sections 8.1 (``vp_token`` is a
JSON object keyed by credential query id, each value an array of
presentations, one unless ``multiple``), 8.2 (``direct_post``: form-encoded
``vp_token`` and ``state``, or ``error``; answered with 200 and a JSON
object), 8.5 (error codes), 8.6 (VP Token validation), 14.1 (every
presentation is bound to the request's ``nonce`` and ``client_id``: for
``ldp_vc`` the Data Integrity proof's ``challenge`` and ``domain``; for
``dc+sd-jwt`` the KB-JWT's ``nonce`` and ``aud``; a response with any other
is rejected) and B.1.3.2.2 / B.3.6.

Single use: the first answer carrying the request's ``state`` takes the
request (an atomic ``UPDATE ... WHERE answered_at IS NULL``); any later one,
an unknown ``state`` or an expired request is refused with ``invalid_request``
and recorded as refused. Credentials are checked with ``openler.core.verify``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from openler.core.dids import Fetcher
from openler.core.errors import CoreError
from openler.core.verify import VerificationContext, VerificationResult
from openler.core.verify.credential import verify_credential
from openler.core.verify.presentation import verify_presentation
from openler.issuer.service import IssuerConfig
from openler.storage.tables import new_id
from openler.storage.tables_verifier import VerifierRequest, VerifierResponse
from openler.verifier.dcql import (
    FORMAT_LDP_VC,
    CredentialQuery,
    DcqlError,
    chosen_claims,
    meta_matches,
    parse_query,
)
from openler.verifier.requests import RequestUnavailable, VerifierError, client_id
from openler.wallet import verification

MAX_VP_TOKEN = 2_000_000
MAX_REFUSED = 50  # refusals recorded per request
OUTCOME_ORDER = ("verified", "incomplete", "not_verified")
BINDING_REASONS = {"presentation.challenge_mismatch": "nonce_mismatch",
                   "presentation.domain_mismatch": "audience_mismatch",
                   "presentation.audience_mismatch": "audience_mismatch"}
DESCRIPTIONS = {
    "unknown": "There is no such presentation request.",
    "state_mismatch": "The state does not belong to this presentation request.",
    "already_answered": "This presentation request was already answered.",
    "expired": "This presentation request has expired.",
    "vp_token_missing": "Send vp_token, or error.",
    "vp_token_malformed": "vp_token must be a JSON object keyed by credential query id.",
    "nonce_mismatch": "A presentation is not bound to this request's nonce.",
    "audience_mismatch": "A presentation is not bound to this verifier's client_id.",
    "presentation_invalid": "A presentation's holder binding proof does not verify.",
    "query_not_satisfied": "The presentations do not answer what the request asked for.",
}


class ResponseRefused(VerifierError):
    """An answer the Response URI rejects: the OAuth ``error`` and the HTTP status."""

    def __init__(self, reason: str, *, error: str = "invalid_request", status: int = 400) -> None:
        super().__init__(f"response refused: {reason}")
        self.reason = reason
        self.error = error
        self.status = status

    @property
    def description(self) -> str:
        """Plain words for ``error_description``."""
        return DESCRIPTIONS.get(self.reason, self.reason)


@dataclass(frozen=True, slots=True)
class ReceivedResponse:
    """One answer as recorded for the organization."""

    id: str
    request_id: str
    received_at: datetime
    status: str
    error: str | None
    reason: str | None
    report: dict[str, Any]
    vp_token: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class _Checked:
    query_id: str
    format: str
    result: VerificationResult
    matches: bool
    binding_reason: str | None


def _record(db: Session, request_id: str, now: datetime, *, status: str, error: str | None = None,
            reason: str | None = None, report: dict[str, Any] | None = None,
            vp_token: dict[str, Any] | None = None) -> VerifierResponse:
    row = VerifierResponse(id=new_id(), request_id=request_id, received_at=now, status=status,
                           error=error, reason=reason, report=report or {}, vp_token=vp_token)
    db.add(row)
    db.flush()
    return row


def _refuse(db: Session, request_id: str, now: datetime, reason: str) -> ResponseRefused:
    """Record the refusal (up to MAX_REFUSED per request, so posts cannot fill the table)."""
    kept = db.scalar(select(func.count()).select_from(VerifierResponse).where(
        VerifierResponse.request_id == request_id, VerifierResponse.status == "refused"))
    if (kept or 0) < MAX_REFUSED:
        _record(db, request_id, now, status="refused", error="invalid_request", reason=reason)
    return ResponseRefused(reason)


def _take(db: Session, row: VerifierRequest, now: datetime) -> bool:
    """Mark the request answered, once: False when someone else answered it first."""
    done = db.execute(update(VerifierRequest)
                      .where(VerifierRequest.id == row.id, VerifierRequest.answered_at.is_(None))
                      .values(answered_at=now))
    db.flush()
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def _parse_token(raw: str) -> dict[str, list[Any]] | None:
    if len(raw) > MAX_VP_TOKEN:
        return None
    try:
        token = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(token, dict) or not token:
        return None
    if not all(isinstance(v, list) and v for v in token.values()):
        return None
    return token


def _binding_reason(check_code: str, status: str) -> str | None:
    if status == "passed":
        return None
    return BINDING_REASONS.get(check_code, "presentation_invalid")


def _check_ldp(query: CredentialQuery, item: Any, ctx: VerificationContext) -> _Checked:
    if isinstance(item, str):
        try:
            item = json.loads(item)
        except (ValueError, RecursionError):
            item = None
    try:
        result = verify_presentation(item, ctx=ctx)
    except CoreError:
        result = verify_presentation(None, ctx=ctx)
    proof = result.check("proof")
    creds = item.get("verifiableCredential", []) if isinstance(item, Mapping) else []
    creds = creds if isinstance(creds, list) else [creds]
    matches = bool(creds) and all(
        meta_matches(query, c) and chosen_claims(query, c) is not None for c in creds)
    return _Checked(query.id, query.format, result, matches,
                    _binding_reason(proof.code, proof.status))


def _check_sd_jwt(query: CredentialQuery, item: Any, ctx: VerificationContext) -> _Checked:
    try:
        result = verify_credential(item if isinstance(item, str) else "", ctx=ctx)
    except CoreError:
        result = VerificationResult("credential", "sd-jwt", ())
        return _Checked(query.id, query.format, result, False, "presentation_invalid")
    try:
        binding = result.check("holder_binding")
        reason = _binding_reason(binding.code, binding.status)
    except KeyError:
        reason = "presentation_invalid"
    claims = result.claims or {}
    matches = meta_matches(query, claims) and chosen_claims(query, claims) is not None
    return _Checked(query.id, query.format, result, matches, reason)


def _context(db: Session, *, issuer: IssuerConfig, now: datetime, language: str,
             fetcher: Fetcher | None, allow_private: bool, nonce: str,
             audience: str) -> VerificationContext:
    base = verification.context(db, config=issuer, now=now, language=language, fetcher=fetcher,
                                allow_private=allow_private)
    return replace(base, challenge=nonce, domain=audience, audience=audience,
                   require_key_binding=True)


def receive_response(db: Session, *, request_id: str, form: Mapping[str, str], base_url: str,
                     issuer: IssuerConfig, now: datetime, fetcher: Fetcher | None = None,
                     allow_private: bool = False, language: str = "en") -> dict[str, Any]:
    """Check and keep a wallet's direct_post answer; ResponseRefused with the spec's error."""
    row = db.get(VerifierRequest, request_id[:32]) if request_id else None
    if row is None:
        raise ResponseRefused("unknown", status=404)
    state = form.get("state", "")
    if not hmac.compare_digest(state.encode(), row.state.encode()):
        raise _refuse(db, row.id, now, "state_mismatch")
    if row.answered_at is not None:
        raise _refuse(db, row.id, now, "already_answered")
    if now >= row.expires_at:
        raise _refuse(db, row.id, now, "expired")
    if not _take(db, row, now):
        raise _refuse(db, row.id, now, "already_answered")
    if form.get("error"):
        _record(db, row.id, now, status="declined", error=form["error"][:64],
                reason="wallet_error",
                report={"error_description": form.get("error_description", "")[:500]})
        return {}
    token = _parse_token(form.get("vp_token", "")) if form.get("vp_token") else None
    if token is None:
        raise _refuse(db, row.id, now, "vp_token_missing" if not form.get("vp_token")
                      else "vp_token_malformed")
    try:
        query = parse_query(row.dcql_query)
    except DcqlError:
        raise _refuse(db, row.id, now, "query_not_satisfied") from None
    unknown = [k for k in token if query.by_id(k) is None]
    too_many = [k for k, v in token.items() if k not in unknown
                and len(v) > 1 and not query.by_id(k).multiple]  # type: ignore[union-attr]
    if unknown or too_many:
        raise _refuse(db, row.id, now, "vp_token_malformed")
    audience = client_id(base_url, row.id)
    ctx = _context(db, issuer=issuer, now=now, language=language, fetcher=fetcher,
                   allow_private=allow_private, nonce=row.nonce, audience=audience)
    checked: list[_Checked] = []
    for query_id, items in token.items():
        cq = query.by_id(query_id)
        assert cq is not None
        check = _check_ldp if cq.format == FORMAT_LDP_VC else _check_sd_jwt
        checked.extend(check(cq, item, ctx) for item in items)
    for reason in ("nonce_mismatch", "audience_mismatch", "presentation_invalid"):
        if any(c.binding_reason == reason for c in checked):
            raise _refuse(db, row.id, now, reason)
    if any(not c.matches for c in checked) or query.required_ids(token):
        raise _refuse(db, row.id, now, "query_not_satisfied")
    outcome = max((c.result.outcome for c in checked), key=OUTCOME_ORDER.index)
    report = {"outcome": outcome, "client_id": audience, "presentations": [
        {"query_id": c.query_id, "format": c.format, "outcome": c.result.outcome,
         "result": c.result.to_dict()} for c in checked]}
    _record(db, row.id, now, status=outcome, report=report, vp_token=token)
    return {}


def responses_of(db: Session, *, request_id: str, org_id: str | None = None
                 ) -> list[ReceivedResponse]:
    """Every answer received for a request, oldest first (the organization's only)."""
    row = db.get(VerifierRequest, request_id[:32]) if request_id else None
    if row is None or (org_id is not None and row.org_id != org_id):
        raise RequestUnavailable("unknown")
    rows = db.scalars(select(VerifierResponse).where(VerifierResponse.request_id == row.id)
                      .order_by(VerifierResponse.received_at, VerifierResponse.id))
    return [ReceivedResponse(r.id, r.request_id, r.received_at, r.status, r.error, r.reason,
                             dict(r.report or {}), r.vp_token) for r in rows]
