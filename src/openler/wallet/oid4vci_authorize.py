"""The authorization code flow of OpenID4VCI, wallet side: send the learner to sign in at
the issuer, then turn the code that comes back into an access token.

Spec: OpenID4VCI 1.0, sections 3.4 (the flow), 4.1.1 (``authorization_code`` grant
with ``issuer_state`` and ``authorization_server``), 5.1 (Authorization Request:
``authorization_details`` of type ``openid_credential`` with
``credential_configuration_id`` and, when the issuer names ``authorization_servers``,
``locations``; or the configuration's ``scope`` with ``resource``; ``issuer_state``),
5.1.4 and RFC 9126 (Pushed Authorization Request: POST the same parameters, then send
the browser with ``client_id`` and ``request_uri`` only), 5.2 and 5.3 (responses),
6.1 (Token Request: ``grant_type=authorization_code``, ``code``, ``code_verifier``,
``redirect_uri``, ``client_id`` for a public client after RFC 6749 section 4.1.3);
RFC 7636 sections 4.1-4.2 (PKCE, ``S256``); RFC 6749 section 10.12 (``state``
bound to the learner's session, used once); RFC 9207 (``iss`` in the response).

Decision: the wallet is a public client whose ``client_id`` is this instance's base
URL. Issuers that only serve clients they registered beforehand refuse it
(``invalid_client`` / ``unauthorized_client``), and the learner is told so.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from openler.wallet.oid4vci_client import OfferPreview, token_body
from openler.wallet.oid4vci_http import JSON_ACCEPT, HttpPort, issuer_error, post, read_json
from openler.wallet.oid4vci_metadata import AuthorizationServer, Configuration, IssuerMetadata
from openler.wallet.oid4vci_offer import AUTHORIZATION_CODE, CredentialOffer, OfferError
from openler.wallet.oid4vci_proof import b64url

CALLBACK_PATH = "/wallet/offers/callback"
LIFETIME_SECONDS = 600  # an unfinished sign-in is forgotten after ten minutes
MAX_PENDING = 2  # sign-ins one learner's session keeps open at once
SESSION_BUDGET = 2_400  # characters of JSON for them: browsers drop cookies over 4 KB
CREDENTIAL_DETAILS = "openid_credential"
NOT_REGISTERED = frozenset({"invalid_client", "unauthorized_client"})


def code_challenge(verifier: str) -> str:
    """RFC 7636 section 4.2, S256: the issuer checks the verifier against this later."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def state_digest(state: str) -> str:
    """A short fingerprint of a used ``state``, kept to recognise a replayed callback."""
    return hashlib.sha256(state.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PendingSignIn:
    """What waits, bound to one learner's session, between the redirect and the callback."""

    state: str
    code_verifier: str
    client_id: str
    redirect_uri: str
    user_id: str
    expires_at: int
    preview: OfferPreview

    def to_json(self) -> dict[str, Any]:
        """Only what the callback needs (endpoints, the chosen configuration), kept small."""
        issuer, server, conf = self.preview.issuer, self.preview.server, self.preview.configuration
        return {
            "state": self.state, "verifier": self.code_verifier, "client": self.client_id,
            "redirect": self.redirect_uri, "user": self.user_id, "exp": self.expires_at,
            "issuer": {"id": issuer.credential_issuer, "name": issuer.name,
                       "credential": issuer.credential_endpoint,
                       "nonce": issuer.nonce_endpoint,
                       "notification": issuer.notification_endpoint},
            "server": {"id": server.issuer, "token": server.token_endpoint,
                       "iss": server.iss_parameter},
            "config": {"id": conf.id, "format": conf.format, "name": conf.name,
                       "proof": conf.needs_proof, "binding": conf.binding}}

    @classmethod
    def from_json(cls, data: Any) -> PendingSignIn:
        """Rebuild it from the session; anything malformed reads as an unknown sign-in."""
        try:
            issuer, server, conf = data["issuer"], data["server"], data["config"]
            offer = CredentialOffer(str(issuer["id"]), (str(conf["id"]),),
                                    authorization_code_grant=True)
            metadata = IssuerMetadata(
                credential_issuer=str(issuer["id"]), credential_endpoint=str(issuer["credential"]),
                name=str(issuer["name"]), nonce_endpoint=issuer.get("nonce"),
                notification_endpoint=issuer.get("notification"))
            chosen = Configuration(id=str(conf["id"]), format=str(conf["format"]),
                                   name=str(conf["name"]),
                                   proof_types={"jwt": {}} if conf.get("proof") else {},
                                   binding=str(conf.get("binding") or "did:key"))
            as_server = AuthorizationServer(str(server["id"]), str(server["token"]),
                                            iss_parameter=server.get("iss") is True)
            return cls(str(data["state"]), str(data["verifier"]), str(data["client"]),
                       str(data["redirect"]), str(data["user"]), int(data["exp"]),
                       OfferPreview(offer, metadata, as_server, chosen))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise OfferError("state_mismatch", "the pending sign-in cannot be read") from None


@dataclass(frozen=True)
class SignInStart:
    """Where to send the learner's browser, and what to keep until it comes back."""

    url: str
    pending: PendingSignIn


def authorization_request(preview: OfferPreview, *, client_id: str, redirect_uri: str,
                          state: str, challenge: str) -> dict[str, str]:
    """The Authorization Request parameters (5.1): one credential, by details or by scope."""
    conf, issuer, server = preview.configuration, preview.issuer, preview.server
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "state": state, "code_challenge": challenge, "code_challenge_method": "S256"}
    if preview.offer.issuer_state is not None:
        params["issuer_state"] = preview.offer.issuer_state
    # A configuration with a scope is asked for by scope (any OAuth server understands it),
    # unless the server says it takes openid_credential authorization details.
    if conf.scope is not None and CREDENTIAL_DETAILS not in server.details_types:
        params["scope"] = conf.scope
        if issuer.authorization_servers:
            params["resource"] = issuer.credential_issuer  # RFC 8707
        return params
    detail: dict[str, Any] = {"type": CREDENTIAL_DETAILS, "credential_configuration_id": conf.id}
    if issuer.authorization_servers:
        detail["locations"] = [issuer.credential_issuer]
    params["authorization_details"] = json.dumps([detail], separators=(",", ":"))
    return params


def with_query(endpoint: str, params: Mapping[str, str]) -> str:
    """The endpoint with ``params`` added, keeping any query it already has (RFC 6749 3.1)."""
    parts = urlsplit(endpoint)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in params]
    return urlunsplit((parts.scheme, parts.netloc, parts.path,
                       urlencode([*query, *params.items()]), ""))


def _pushed(http: HttpPort, server: AuthorizationServer, params: dict[str, str]) -> str:
    assert server.par_endpoint is not None
    response = post(http, server.par_endpoint, form=params, headers={"Accept": JSON_ACCEPT})
    if response.status not in (200, 201):
        error, description = issuer_error(response)
        if error in NOT_REGISTERED:
            raise OfferError("needs_client", description)
        if not error:
            raise OfferError("issuer_unreachable", f"PAR endpoint answered HTTP {response.status}")
        raise OfferError("issuer_error", f"{error}: {description}"[:300])
    body = read_json(response, "issuer_error", "the pushed authorization response")
    uri = body.get("request_uri") if isinstance(body, Mapping) else None
    if not isinstance(uri, str) or not uri or len(uri) > 2_000:
        raise OfferError("issuer_error", "the pushed authorization response has no request_uri")
    return uri


def start_sign_in(preview: OfferPreview, *, http: HttpPort, client_id: str,
                  redirect_uri: str, user_id: str, now: datetime,
                  new_secret: Callable[[int], str] = secrets.token_urlsafe) -> SignInStart:
    """Prepare the learner's trip to the issuer's sign-in page (pushing the request if asked)."""
    server = preview.server
    if server.authorization_endpoint is None or not server.authorization_code:
        raise OfferError("needs_sign_in", "no authorization endpoint at the server")
    if server.challenge_methods and "S256" not in server.challenge_methods:
        raise OfferError("bad_metadata", "the server does not take S256 PKCE challenges")
    if server.require_par and server.par_endpoint is None:
        raise OfferError("bad_metadata", "PAR is required but has no endpoint")
    verifier = new_secret(48)  # 64 characters of [A-Za-z0-9_-]: RFC 7636 section 4.1
    state = new_secret(24)
    params = authorization_request(preview, client_id=client_id, redirect_uri=redirect_uri,
                                   state=state, challenge=code_challenge(verifier))
    if server.par_endpoint is not None:  # used whenever offered (5.1.4 recommends it)
        request_uri = _pushed(http, server, params)
        params = {"client_id": client_id, "request_uri": request_uri}
    pending = PendingSignIn(state, verifier, client_id, redirect_uri, user_id,
                            int(now.timestamp()) + LIFETIME_SECONDS, preview)
    return SignInStart(with_query(server.authorization_endpoint, params), pending)


def callback_code(pending: PendingSignIn, params: Mapping[str, str], *, now: datetime) -> str:
    """The authorization code from the callback, once expiry, ``iss`` and errors are checked."""
    if int(now.timestamp()) > pending.expires_at:
        raise OfferError("flow_expired")
    server = pending.preview.server
    iss = params.get("iss")
    if (iss is not None and iss != server.issuer) or (iss is None and server.iss_parameter):
        raise OfferError("wrong_issuer", str(iss)[:200])
    error = params.get("error")
    if error is not None:
        detail = f"{error}: {params.get('error_description', '')}"[:300]
        if error == "access_denied":
            raise OfferError("auth_denied", detail)
        if error in NOT_REGISTERED:
            raise OfferError("needs_client", detail)
        raise OfferError("auth_failed", detail)
    code = params.get("code") or ""
    if not code or len(code) > 2_000:
        raise OfferError("auth_failed", "the callback carries no code")
    return code


def redeem_code(pending: PendingSignIn, code: str, *, http: HttpPort) -> Mapping[str, Any]:
    """Token Request with the code and the PKCE verifier only this wallet knows (6.1)."""
    form = {"grant_type": AUTHORIZATION_CODE, "code": code,
            "code_verifier": pending.code_verifier, "redirect_uri": pending.redirect_uri,
            "client_id": pending.client_id}
    response = post(http, pending.preview.server.token_endpoint, form=form,
                    headers={"Accept": JSON_ACCEPT})
    if response.status == 200:
        return token_body(response)
    error, description = issuer_error(response)
    if not error:
        raise OfferError("issuer_unreachable", f"token endpoint answered HTTP {response.status}")
    if error == "invalid_grant":
        raise OfferError("code_refused", description[:300])
    if error in NOT_REGISTERED:
        raise OfferError("needs_client", description[:300])
    raise OfferError("issuer_error", f"{error}: {description}"[:300])


def remember(pending_by_state: Any, pending: PendingSignIn, *, now: datetime) -> dict[str, Any]:
    """The session's open sign-ins with this one added; expired and oldest ones dropped."""
    kept = {k: v for k, v in (pending_by_state or {}).items()
            if isinstance(v, Mapping) and isinstance(v.get("exp"), int)
            and v["exp"] >= int(now.timestamp())} if isinstance(pending_by_state, Mapping) else {}
    entry = pending.to_json()
    budget = SESSION_BUDGET - _size(entry)
    if budget < 0:
        raise OfferError("bad_metadata", "the issuer's addresses are too long to remember")
    older: dict[str, Any] = {}
    for state, value in sorted(kept.items(), key=lambda item: -item[1]["exp"]):
        if len(older) + 1 >= MAX_PENDING or _size(value) > budget:
            break
        older[state] = value
        budget -= _size(value)
    return {**older, pending.state: entry}


def _size(entry: Mapping[str, Any]) -> int:
    return len(json.dumps(entry, separators=(",", ":")))


def remember_used(used: Any, state: str) -> list[str]:
    """The session's fingerprints of used states, this one added (the last ten kept)."""
    kept = [u for u in used if isinstance(u, str)] if isinstance(used, list) else []
    return [*kept, state_digest(state)][-10:]


class UsedStates:
    """This process's memory of used states, so a callback replayed with an old cookie fails."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def add(self, state: str, *, now: datetime) -> None:
        """Remember a state until its sign-in would have expired anyway."""
        moment = int(now.timestamp())
        self._seen = {k: v for k, v in self._seen.items() if v >= moment}
        self._seen[state_digest(state)] = moment + LIFETIME_SECONDS

    def __contains__(self, state: object) -> bool:
        return isinstance(state, str) and state_digest(state) in self._seen
