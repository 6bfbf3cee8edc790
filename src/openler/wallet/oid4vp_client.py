"""Answering a verifier: the wallet side of OpenID for Verifiable Presentations 1.0.

Spec: OpenID4VP 1.0, sections 5 (the Authorization Request, by value or by
reference through ``request_uri``; the Request Object's ``typ`` must be
``oauth-authz-req+jwt`` and its ``client_id`` the same as the link's), 5.9.3
(Client Identifier Prefix ``redirect_uri:``: unsigned requests only, the
client id is the Response URI when ``direct_post`` is used), 6 (DCQL, through
``openler.verifier.dcql``), 8.1-8.2 (``vp_token`` keyed by credential query id,
posted form-encoded with ``state``; an error answer is ``error=access_denied``),
and 14.1 with Appendix B (``ldp_vc``: a Verifiable Presentation signed by the
learner's key with ``challenge`` = nonce and ``domain`` = client id;
``dc+sd-jwt``: only the claims asked for, and a KB-JWT with ``nonce`` and
``aud`` = client id).

Only the ``redirect_uri:`` prefix is answered: this wallet has no list of
pre-registered verifiers and checks no request signatures, and the spec
forbids signing with this prefix. Every failure is a ``RequestProblem`` with a
reason code the pages turn into plain words. Fetching and posting go through
the injected ``fetcher`` (the app's SSRF-guarded ``SafeHttpFetcher``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from openler.core.dids import FetchResponse
from openler.core.errors import AddressNotAllowedError, CoreError
from openler.core.sdjwt import decode_jwt, disclosure_paths, parse, present
from openler.core.sdjwt.processing import process
from openler.verifier.dcql import (
    FORMAT_LDP_VC,
    FORMAT_SD_JWT,
    ClaimQuery,
    CredentialQuery,
    DcqlError,
    Query,
    chosen_claims,
    meta_matches,
    parse_query,
)
from openler.wallet.errors import WalletError
from openler.wallet.keys import OpenWallet
from openler.wallet.models import Record
from openler.wallet.presentations import sign_vp

PREFIX = "redirect_uri:"
REQUEST_TYP = "oauth-authz-req+jwt"
LINK_MAX = 20_000
REQUEST_MAX = 200_000
VOLATILE = ("iat", "jti")  # may change on every fetch of the same request
KNOWN_PREFIXES = ("redirect_uri", "openid_federation", "decentralized_identifier",
                  "verifier_attestation", "x509_san_dns", "x509_hash", "origin", "https")


class Poster(Protocol):
    """What the client needs from the HTTP side: the SafeHttpFetcher's GET and POST."""

    def fetch(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResponse: ...

    def post(self, url: str, *, form: dict[str, str] | None = None, json_body: Any = None,
             headers: dict[str, str] | None = None) -> FetchResponse: ...


class RequestProblem(WalletError):
    """A presentation request this wallet cannot read or answer (``reason``, ``detail``)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"presentation request: {reason} {detail}".strip())
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A verified-as-well-formed request, ready to show the learner."""

    client_id: str
    response_uri: str
    nonce: str
    state: str | None
    query: Query
    purpose: str
    client_name: str
    link: str
    digest: str  # of the request parameters: the answer must be to what the learner read


@dataclass(frozen=True, slots=True)
class Candidate:
    """A kept record that can answer one credential query, and what would be disclosed."""

    record: Record
    claims: tuple[ClaimQuery, ...]
    whole: bool  # Data Integrity: the record goes whole (its signature covers every field)


@dataclass(frozen=True, slots=True)
class QueryMatch:
    """One credential query and the learner's records that fit it."""

    query: CredentialQuery
    candidates: tuple[Candidate, ...]
    optional: bool = False  # part of a credential set: the learner may leave it out
    preselect: bool = True  # ticked at first (the verifier's preferred set)


@dataclass(frozen=True, slots=True)
class VerifierAnswer:
    """What the verifier's Response URI said."""

    accepted: bool
    redirect_uri: str = ""
    error: str = ""
    description: str = ""
    body: dict[str, Any] = field(default_factory=dict)


def parse_link(text: str) -> dict[str, str]:
    """The request parameters of an ``openid4vp://`` link, any URL, or a bare query string."""
    text = (text or "").strip()
    if not text or len(text) > LINK_MAX:
        raise RequestProblem("link_invalid")
    query = urlsplit(text).query if "?" in text else text
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=False).items()}
    if "client_id" not in params or not ({"request_uri", "request", "dcql_query"} & set(params)):
        raise RequestProblem("link_invalid")
    return params


def _b64json(part: str) -> Any:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def _unsecured_request(token: str) -> dict[str, Any]:
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise RequestProblem("malformed", "the request object is not a JWT")
    try:
        header, payload = _b64json(parts[0]), _b64json(parts[1])
    except (ValueError, UnicodeError):
        raise RequestProblem("malformed", "the request object does not decode") from None
    if not isinstance(header, dict) or header.get("typ") != REQUEST_TYP:
        raise RequestProblem("malformed", "the request object's typ is not " + REQUEST_TYP)
    if header.get("alg") != "none" or parts[2]:
        # redirect_uri: requests cannot be signed (5.9.3); a signature here cannot be checked.
        raise RequestProblem("unsupported_client", "a signed request with redirect_uri:")
    if not isinstance(payload, dict):
        raise RequestProblem("malformed", "the request object is not a JSON object")
    return payload


def _json_param(value: Any, name: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            raise RequestProblem("malformed", f"{name} is not JSON") from None
    return value


def _check_client(client_id: str) -> None:
    prefix, colon, _ = client_id.partition(":")
    if not colon or prefix not in KNOWN_PREFIXES:
        raise RequestProblem("unsupported_client", "pre-registered verifiers are not known here")
    if prefix != "redirect_uri":
        raise RequestProblem("unsupported_client", f"client identifier prefix {prefix}")


def _fetch_object(uri: str, fetcher: Poster) -> dict[str, Any]:
    if urlsplit(uri).scheme not in ("https", "http"):
        raise RequestProblem("malformed", "request_uri is not a web address")
    try:
        answer = fetcher.fetch(uri, headers={"Accept": "application/oauth-authz-req+jwt"})
    except AddressNotAllowedError:
        raise RequestProblem("address_refused") from None
    except CoreError as exc:
        raise RequestProblem("unreachable", str(exc)) from None
    if answer.status != 200:
        raise RequestProblem("verifier_error", f"HTTP {answer.status}")
    if len(answer.body) > REQUEST_MAX:
        raise RequestProblem("malformed", "the request object is too large")
    try:
        text = answer.body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestProblem("malformed", "the request object is not text") from None
    return _unsecured_request(text)


def _digest(params: dict[str, Any]) -> str:
    """What the learner read: every parameter but the per-fetch ``iat`` and ``jti``."""
    stable = {k: v for k, v in params.items() if k not in VOLATILE}
    raw = json.dumps(stable, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def load_request(link: str, *, fetcher: Poster, now: datetime) -> AuthorizationRequest:
    """Read a request from its link (fetching ``request_uri``); RequestProblem if unusable."""
    outer = parse_link(link)
    _check_client(outer["client_id"])
    if outer.get("request_uri_method", "get") not in ("get", "post"):
        raise RequestProblem("malformed", "request_uri_method is neither get nor post")
    if "request_uri" in outer:
        # "post" asks for wallet metadata first; a wallet without it may GET (section 5.1).
        params = _fetch_object(outer["request_uri"], fetcher)
    elif "request" in outer:
        params = _unsecured_request(outer["request"])
    else:
        params = dict(outer)
    if params.get("client_id") != outer["client_id"]:
        raise RequestProblem("mismatch", "client_id differs between the link and the request")
    client_id = params["client_id"]
    if params.get("response_type") != "vp_token" or params.get("response_mode") != "direct_post":
        raise RequestProblem("malformed", "only response_type vp_token with direct_post")
    response_uri = params.get("response_uri")
    if not isinstance(response_uri, str) or "redirect_uri" in params:
        raise RequestProblem("malformed", "direct_post needs response_uri and no redirect_uri")
    if client_id[len(PREFIX):] != response_uri:
        raise RequestProblem("mismatch", "the client id is not the response_uri")
    if urlsplit(response_uri).scheme not in ("https", "http"):
        raise RequestProblem("malformed", "response_uri is not a web address")
    if "transaction_data" in params:
        raise RequestProblem("malformed", "transaction_data is not supported")
    nonce, state = params.get("nonce"), params.get("state")
    if not isinstance(nonce, str) or not nonce or (state is not None and not isinstance(state, str)):
        raise RequestProblem("malformed", "nonce (and state) must be strings")
    exp = params.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool) and exp <= now.timestamp():
        raise RequestProblem("expired")
    try:
        query = parse_query(_json_param(params.get("dcql_query"), "dcql_query"), strict=False)
    except DcqlError as exc:
        raise RequestProblem("malformed", f"dcql_query: {exc.reason}") from None
    metadata = _json_param(params.get("client_metadata", {}), "client_metadata")
    name = metadata.get("client_name", "") if isinstance(metadata, dict) else ""
    purpose = params.get("purpose", "")
    return AuthorizationRequest(
        client_id=client_id, response_uri=response_uri, nonce=nonce, state=state, query=query,
        purpose=" ".join(purpose.split())[:500] if isinstance(purpose, str) else "",
        client_name=" ".join(name.split())[:200] if isinstance(name, str) else "",
        link=link.strip(), digest=_digest(params))


def _sd_claims(token: str) -> dict[str, Any] | None:
    try:
        parts = parse(token)
        processed = process(decode_jwt(parts.issuer_jwt).payload, parts.disclosures)
    except (CoreError, ValueError):
        return None
    return None if processed.problems else processed.claims


def _candidate(query: CredentialQuery, record: Record) -> Candidate | None:
    if record.state != "kept" or record.format != query.format:
        return None
    if query.format == FORMAT_LDP_VC:
        document: Any = record.credential if isinstance(record.credential, dict) else None
    else:
        document = _sd_claims(record.credential) if isinstance(record.credential, str) else None
        if document is not None and query.holder_binding and not isinstance(
                document.get("cnf"), dict):
            return None
    if document is None or not meta_matches(query, document):
        return None
    claims = chosen_claims(query, document)
    if claims is None:
        return None
    return Candidate(record, claims, whole=query.format == FORMAT_LDP_VC)


def _preselected(query: Query, available: set[str]) -> set[str]:
    """Queries to tick at first: all of them, or per required credential set (6.2) its first
    option the wallet can meet in full (the verifier lists its preferred option first)."""
    if not query.credential_sets:
        return {c.id for c in query.credentials}
    chosen: set[str] = set()
    for cset in query.credential_sets:
        if cset.required:
            option = next((o for o in cset.options if set(o) <= available), cset.options[0])
            chosen.update(option)
    return chosen


def match(request: AuthorizationRequest, records: list[Record]) -> list[QueryMatch]:
    """For each credential query, the learner's kept records that fit it (6.4)."""
    found = {q.id: tuple(c for r in records if (c := _candidate(q, r)) is not None)
             for q in request.query.credentials}
    tick = _preselected(request.query, {k for k, v in found.items() if v})
    sets = bool(request.query.credential_sets)
    return [QueryMatch(q, found[q.id], optional=sets, preselect=q.id in tick)
            for q in request.query.credentials]


def answerable(request: AuthorizationRequest, matches: list[QueryMatch]) -> bool:
    """Whether the learner's records can meet every required part of the request."""
    return not request.query.required_ids(m.query.id for m in matches if m.candidates)


def _pattern_hits(pattern: tuple[Any, ...], path: tuple[Any, ...]) -> bool:
    size = min(len(pattern), len(path))
    return all(p is None and isinstance(q, int) or p == q
               for p, q in zip(pattern[:size], path[:size], strict=True))


def sd_jwt_presentation(token: str, claims: tuple[ClaimQuery, ...], *, wallet: OpenWallet,
                        nonce: str, audience: str, now: datetime) -> str:
    """The SD-JWT with only the asked claims disclosed, and a KB-JWT bound to the request."""
    paths = disclosure_paths(token).values()
    wanted = [p for p in paths if any(_pattern_hits(c.path, p) for c in claims)]
    return present(token, disclose=wanted, holder_key=wallet.keypair(), nonce=nonce,
                   audience=audience, issued_at=now)


def build_vp_token(request: AuthorizationRequest, picks: dict[str, list[Candidate]], *,
                   wallet: OpenWallet, now: datetime) -> dict[str, list[Any]]:
    """The ``vp_token``: per answered query, presentations bound to nonce and client id."""
    token: dict[str, list[Any]] = {}
    for query_id, chosen in picks.items():
        query = request.query.by_id(query_id)
        if query is None or not chosen:
            continue
        items: list[Any] = []
        for cand in chosen:
            if query.format == FORMAT_SD_JWT:
                items.append(sd_jwt_presentation(
                    str(cand.record.credential), cand.claims, wallet=wallet,
                    nonce=request.nonce, audience=request.client_id, now=now))
            else:
                items.append(sign_vp(wallet, [cand.record.credential], now=now,
                                     challenge=request.nonce, domain=request.client_id))
        token[query_id] = items
    missing = request.query.required_ids(token)
    if missing:
        raise RequestProblem("pick_missing", ", ".join(missing))
    return token


def _post(request: AuthorizationRequest, form: dict[str, str], fetcher: Poster) -> VerifierAnswer:
    if request.state is not None:
        form = {**form, "state": request.state}
    try:
        answer = fetcher.post(request.response_uri, form=form)
    except AddressNotAllowedError:
        raise RequestProblem("address_refused") from None
    except CoreError as exc:
        raise RequestProblem("send_failed", str(exc)) from None
    try:
        body = json.loads(answer.body.decode("utf-8")) if answer.body else {}
    except (ValueError, UnicodeDecodeError):
        body = {}
    body = body if isinstance(body, dict) else {}
    if answer.status == 200:
        redirect = body.get("redirect_uri")
        ok = isinstance(redirect, str) and urlsplit(redirect).scheme in ("https", "http")
        return VerifierAnswer(True, str(redirect) if ok else "", body=body)
    error = body.get("error") if isinstance(body.get("error"), str) else f"HTTP {answer.status}"
    description = body.get("error_description")
    return VerifierAnswer(False, error=str(error)[:100],
                          description=str(description)[:500] if isinstance(description, str)
                          else "", body=body)


def send(request: AuthorizationRequest, vp_token: dict[str, list[Any]], *,
         fetcher: Poster) -> VerifierAnswer:
    """Post the answer to the Response URI (``direct_post``)."""
    return _post(request, {"vp_token": json.dumps(vp_token, separators=(",", ":"))}, fetcher)


def decline(request: AuthorizationRequest, *, fetcher: Poster) -> VerifierAnswer:
    """Tell the verifier the learner said no (``error=access_denied``)."""
    return _post(request, {"error": "access_denied",
                           "error_description": "The learner declined to share."}, fetcher)
