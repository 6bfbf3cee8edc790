"""An organization's inbox: the answers its presentation requests received, checked again on
demand, and the records in them as evidence for role matching.

Spec: OpenID for Verifiable Presentations 1.0, sections 8.6 (VP Token
validation) and 14.1 (a kept presentation is bound to its request's nonce and
client id, so a fresh check runs against exactly those); W3C VC Data Model 2.0,
section 7.1; Bitstring Status List v1.0, section 3.2 (a fresh check reads the
issuer's status list now: a record revoked after the answer arrived shows
revoked). Refused answers (replays, wrong state, expired request) are listed as
refused and never checked again: the backend kept no presentation for them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.core.dids import Fetcher
from openler.core.errors import CoreError
from openler.core.verify import VerificationResult
from openler.core.verify.credential import verify_credential
from openler.core.verify.presentation import verify_presentation
from openler.issuer.service import IssuerConfig
from openler.storage.tables import new_id
from openler.storage.tables_org_shares import VerifierResponseCheck
from openler.storage.tables_verifier import VerifierRequest, VerifierResponse
from openler.verifier import matching
from openler.verifier.dcql import FORMAT_LDP_VC
from openler.verifier.requests import VerifierError, client_id
from openler.wallet import verification
from openler.wallet.models import FORMAT_SD_JWT

CHECKED = ("verified", "incomplete", "not_verified")
OUTCOME_ORDER = ("verified", "incomplete", "not_verified")


class ResponseNotFound(VerifierError):
    """No such answer for this organization (another organization's is unknown too)."""


class NotCheckable(VerifierError):
    """The answer holds no presentation to check (refused or declined)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One received answer with its latest check."""

    id: str
    request_id: str
    purpose: str
    received_at: datetime
    status: str  # verified / incomplete / not_verified / declined / refused
    reason: str | None
    report: dict[str, Any]  # the latest check (a "check again", else the one on arrival)
    checked_at: datetime
    rechecked: bool
    vp_token: dict[str, Any] | None

    @property
    def outcome(self) -> str:
        """The latest outcome (the status for refused and declined answers)."""
        return str(self.report.get("outcome", self.status)) if self.checkable else self.status

    @property
    def checkable(self) -> bool:
        """Whether a presentation was kept, so it can be checked again."""
        return self.status in CHECKED and self.vp_token is not None


def _latest(db: Session, response_id: str) -> VerifierResponseCheck | None:
    return db.scalars(select(VerifierResponseCheck)
                      .where(VerifierResponseCheck.response_id == response_id)
                      .order_by(VerifierResponseCheck.checked_at.desc(),
                                VerifierResponseCheck.id.desc())).first()


def _answer(db: Session, row: VerifierResponse, request: VerifierRequest) -> Answer:
    latest = _latest(db, row.id) if row.status in CHECKED else None
    report = dict(latest.report) if latest else dict(row.report or {})
    return Answer(row.id, row.request_id, request.purpose, row.received_at, row.status,
                  row.reason, report, latest.checked_at if latest else row.received_at,
                  latest is not None, row.vp_token)


def answers_of(db: Session, *, org_id: str, request_id: str | None = None) -> list[Answer]:
    """The organization's answers (to one request, if given), newest first."""
    query = (select(VerifierResponse, VerifierRequest)
             .join(VerifierRequest, VerifierRequest.id == VerifierResponse.request_id)
             .where(VerifierRequest.org_id == org_id))
    if request_id is not None:
        query = query.where(VerifierRequest.id == request_id)
    rows = db.execute(query.order_by(VerifierResponse.received_at.desc(),
                                     VerifierResponse.id.desc()))
    return [_answer(db, response, request) for response, request in rows]


def _owned(db: Session, org_id: str, response_id: str) -> tuple[VerifierResponse,
                                                                  VerifierRequest]:
    row = db.get(VerifierResponse, response_id[:32]) if response_id else None
    request = db.get(VerifierRequest, row.request_id) if row is not None else None
    if row is None or request is None or request.org_id != org_id:
        raise ResponseNotFound(response_id)
    return row, request


def get_answer(db: Session, *, org_id: str, response_id: str) -> Answer:
    """One answer of this organization (ResponseNotFound otherwise)."""
    row, request = _owned(db, org_id, response_id)
    return _answer(db, row, request)


def _check_item(fmt: str, item: Any, ctx: Any) -> VerificationResult:
    if fmt == FORMAT_LDP_VC:
        if isinstance(item, str):
            try:
                item = json.loads(item)
            except (ValueError, RecursionError):
                item = None
        try:
            return verify_presentation(item, ctx=ctx)
        except CoreError:
            return verify_presentation(None, ctx=ctx)
    try:
        return verify_credential(item if isinstance(item, str) else "", ctx=ctx)
    except CoreError:
        return VerificationResult("credential", "sd-jwt", ())


def check_again(db: Session, *, org_id: str, response_id: str, base_url: str,
                issuer: IssuerConfig, now: datetime, fetcher: Fetcher | None = None,
                allow_private: bool = False, language: str = "en") -> Answer:
    """Verify a kept answer afresh (status lists read now), against its own request's nonce
    and client id; keep and return the new check (NotCheckable for refused answers)."""
    row, request = _owned(db, org_id, response_id)
    if row.status not in CHECKED or not row.vp_token:
        raise NotCheckable(response_id)
    audience = client_id(base_url, request.id)
    base = verification.context(db, config=issuer, now=now, language=language,
                                fetcher=fetcher, allow_private=allow_private)
    # The nonce is this verifier's own, stored with the request: no freshness limit applies.
    ctx = replace(base, challenge=request.nonce, domain=audience, audience=audience,
                  require_key_binding=True, kb_max_age_seconds=None)
    formats = {c.get("id"): c.get("format") for c in request.dcql_query.get("credentials", [])
               if isinstance(c, Mapping)}
    presentations = []
    for query_id, items in row.vp_token.items():
        fmt = str(formats.get(query_id) or FORMAT_LDP_VC)
        for item in items if isinstance(items, list) else [items]:
            result = _check_item(fmt, item, ctx)
            presentations.append({"query_id": query_id, "format": fmt,
                                  "outcome": result.outcome, "result": result.to_dict()})
    outcome = max((p["outcome"] for p in presentations), key=OUTCOME_ORDER.index,
                  default="not_verified")
    report = {"outcome": outcome, "client_id": audience, "presentations": presentations}
    db.add(VerifierResponseCheck(id=new_id(), response_id=row.id, checked_at=now,
                                 outcome=outcome, report=report))
    db.flush()
    return _answer(db, row, request)


def evidence_of(answer: Answer) -> list[matching.Evidence]:
    """Each record of a checked answer as matching evidence, with its latest standing."""
    if not answer.checkable or answer.vp_token is None:
        return []
    results = [p for p in answer.report.get("presentations", []) if isinstance(p, Mapping)]
    items = [(qid, item) for qid, values in answer.vp_token.items()
             for item in (values if isinstance(values, list) else [values])]
    found: list[matching.Evidence] = []
    for index, (_, item) in enumerate(items):
        result = results[index] if index < len(results) else {}
        fmt = str(result.get("format", FORMAT_LDP_VC))
        raw = result.get("result")
        detail: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        if fmt == FORMAT_SD_JWT and isinstance(item, str):
            found.append(matching.evidence_from(item, FORMAT_SD_JWT,
                                                outcome=str(result.get("outcome", ""))))
            continue
        document = item if isinstance(item, Mapping) else {}
        creds = document.get("verifiableCredential", [])
        creds = creds if isinstance(creds, list) else [creds]
        member_results = detail.get("credentials", [])
        member_results = member_results if isinstance(member_results, list) else []
        for n, credential in enumerate(creds):
            if not isinstance(credential, Mapping):
                continue
            member = member_results[n] if n < len(member_results) else {}
            outcome = str(member.get("outcome", "")) if isinstance(member, Mapping) else ""
            # The presentation's own proof must hold too, or nothing in it counts as verified.
            if result.get("outcome") == "not_verified" and outcome == "verified":
                outcome = _presentation_outcome(detail)
            found.append(matching.evidence_from(credential, FORMAT_LDP_VC, outcome=outcome))
    return found


def _presentation_outcome(detail: Mapping[str, Any]) -> str:
    """"verified" when the presentation's own checks passed (its members aside)."""
    checks = [c for c in detail.get("checks", []) if isinstance(c, Mapping)
              and c.get("name") != "credentials"]
    return "not_verified" if any(c.get("status") == "failed" for c in checks) else "verified"
