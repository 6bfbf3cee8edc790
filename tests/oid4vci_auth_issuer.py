"""A credential issuer that is not OpenLER, taking wallets through the OpenID4VCI 1.0
authorization code flow, written here from the specifications for the e2e and browser tests.

Its OAuth side is its own code: RFC 8414 metadata for an authorization server under
``/auth`` (a separate identifier, so ``authorization_servers`` and ``locations`` matter),
an authorization endpoint that checks the request (``response_type``, ``client_id``,
``redirect_uri`` under the client id, ``S256`` challenge, ``authorization_details`` with
``locations`` or ``scope`` with ``resource``, ``issuer_state``) and approves at once
(or denies, for the ``issuer_state`` "deny"), an optional PAR endpoint (RFC 9126) that
is then required, and a token endpoint that checks the code once, the ``redirect_uri``,
the ``client_id`` and the PKCE verifier (RFC 7636 section 4.6, recomputed with hashlib).
Only the SD-JWT VC it issues and the key proof check reuse OpenLER's core helpers.
Served over real HTTP by uvicorn on a loopback port.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from openler.core.dids import did_key_from_public, did_key_vm_id, public_key_from_did_key
from openler.core.keys.multikey import generate_keypair
from openler.core.sdjwt.issuer import issue_sd_jwt_vc
from openler.issuer.delivery.key_proof import verify_key_proof

CALLBACK = "/wallet/offers/callback"
ISSUER_KEY = generate_keypair("Ed25519")
ISSUER_DID = did_key_from_public(ISSUER_KEY.public_key())
PROOFS = {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}


@dataclass
class IssuerState:
    """Everything the issuer remembers; tests read and tune it."""

    base: str = ""
    par: bool = False  # advertise and require Pushed Authorization Requests
    token_error: str | None = None  # answer every token request with this error
    issuer_states: set[str] = field(default_factory=set)
    pushed: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    nonces: set[str] = field(default_factory=set)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    pkce_checked: list[bool] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"{self.base}/guild"

    @property
    def server(self) -> str:
        return f"{self.base}/auth"

    def offer(self, configuration: str = "welder", *, deny: bool = False) -> str:
        """An offer link with only the authorization_code grant and a fresh issuer_state."""
        issuer_state = ("deny-" if deny else "ok-") + secrets.token_urlsafe(8)
        self.issuer_states.add(issuer_state)
        doc = {"credential_issuer": self.issuer, "credential_configuration_ids": [configuration],
               "grants": {"authorization_code": {"issuer_state": issuer_state,
                                                 "authorization_server": self.server}}}
        return "openid-credential-offer://?" + urlencode({"credential_offer": json.dumps(doc)})


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _error(status: int, error: str, description: str = "") -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status,
                        headers={"Cache-Control": "no-store"})


def build_app(state: IssuerState) -> Starlette:
    """The issuer and its authorization server as one small ASGI app."""

    async def issuer_metadata(request: Request) -> Response:
        return JSONResponse({
            "credential_issuer": state.issuer, "authorization_servers": [state.server],
            "credential_endpoint": f"{state.issuer}/credential",
            "nonce_endpoint": f"{state.issuer}/nonce",
            "notification_endpoint": f"{state.issuer}/notify",
            "display": [{"name": "Guild of Welders", "locale": "en"},
                        {"name": "Gremio de Soldadores", "locale": "es"}],
            "credential_configurations_supported": {
                "welder": {"format": "dc+sd-jwt", "vct": "https://guild.example/welder",
                           "cryptographic_binding_methods_supported": ["jwk"],
                           "proof_types_supported": PROOFS,
                           "credential_metadata": {"display": [
                               {"name": "Certified welder", "locale": "en"},
                               {"name": "Soldador certificado", "locale": "es"}]}},
                "safety": {"format": "dc+sd-jwt", "vct": "https://guild.example/safety",
                           "scope": "guild_safety",
                           "cryptographic_binding_methods_supported": ["jwk"],
                           "proof_types_supported": PROOFS,
                           "credential_metadata": {"display": [
                               {"name": "Workshop safety", "locale": "en"}]}}}})

    async def server_metadata(request: Request) -> Response:
        doc: dict[str, Any] = {
            "issuer": state.server, "authorization_endpoint": f"{state.server}/authorize",
            "token_endpoint": f"{state.server}/token", "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
            "token_endpoint_auth_methods_supported": ["none"]}
        if state.par:
            doc["pushed_authorization_request_endpoint"] = f"{state.server}/par"
            doc["require_pushed_authorization_requests"] = True
        return JSONResponse(doc)

    def _check(params: dict[str, str]) -> str | None:
        """Why the authorization request is refused (None: it is fine)."""
        client = params.get("client_id", "")
        if params.get("response_type") != "code" or not client:
            return "response_type or client_id"
        if params.get("redirect_uri") != client + CALLBACK:
            return "redirect_uri is not the client's callback"
        if params.get("code_challenge_method") != "S256" or len(
                params.get("code_challenge", "")) != 43:
            return "S256 code challenge"
        if params.get("issuer_state") not in state.issuer_states or not params.get("state"):
            return "issuer_state or state"
        if "authorization_details" in params:
            details = json.loads(params["authorization_details"])
            if details != [{"type": "openid_credential", "credential_configuration_id": "welder",
                            "locations": [state.issuer]}]:
                return "authorization_details"
        elif params.get("scope") != "guild_safety" or params.get("resource") != state.issuer:
            return "scope and resource"
        return None

    async def par(request: Request) -> Response:
        params = {k: str(v) for k, v in (await request.form()).items()}
        problem = _check(params)
        if problem:
            return _error(400, "invalid_request", problem)
        uri = "urn:ietf:params:oauth:request_uri:" + secrets.token_urlsafe(12)
        state.pushed[uri] = params
        return JSONResponse({"request_uri": uri, "expires_in": 60}, status_code=201)

    async def authorize(request: Request) -> Response:
        params = dict(request.query_params)
        if state.par:
            pushed = state.pushed.pop(params.get("request_uri", ""), None)
            if pushed is None or pushed["client_id"] != params.get("client_id"):
                return _error(400, "invalid_request", "a pushed request is required")
            params = pushed
        state.authorize_requests.append(params)
        problem = _check(params)
        if problem:
            return _error(400, "invalid_request", problem)
        back = {"state": params["state"], "iss": state.server}
        if params["issuer_state"].startswith("deny-"):
            back.update(error="access_denied", error_description="The learner said no")
        else:
            code = secrets.token_urlsafe(16)
            state.codes[code] = params
            back["code"] = code
        return RedirectResponse(f"{params['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        state.token_requests.append(form)
        if state.token_error:
            return _error(400, state.token_error, "refused by the test")
        if form.get("grant_type") != "authorization_code":
            return _error(400, "unsupported_grant_type")
        granted = state.codes.get(form.get("code", ""))
        if granted is None:
            return _error(400, "invalid_grant", "unknown or used code")
        if form.get("redirect_uri") != granted["redirect_uri"] \
                or form.get("client_id") != granted["client_id"]:
            return _error(400, "invalid_grant", "redirect_uri or client_id differs")
        verified = _s256(form.get("code_verifier", "")) == granted["code_challenge"]
        state.pkce_checked.append(verified)
        if not verified:
            return _error(400, "invalid_grant", "PKCE verification failed")
        del state.codes[form["code"]]  # used once
        access = secrets.token_urlsafe(16)
        by_scope = "scope" in granted
        configuration = "safety" if by_scope else "welder"
        state.tokens[access] = {"configuration": configuration}
        body: dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                                "expires_in": 300}
        if not by_scope:
            body["authorization_details"] = [{
                "type": "openid_credential", "credential_configuration_id": configuration,
                "locations": [state.issuer], "credential_identifiers": ["welder-2026"]}]
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def nonce(request: Request) -> Response:
        value = secrets.token_urlsafe(12)
        state.nonces.add(value)
        return JSONResponse({"c_nonce": value}, headers={"Cache-Control": "no-store"})

    def _bearer(request: Request) -> dict[str, Any] | None:
        return state.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))

    async def credential(request: Request) -> Response:
        grant = _bearer(request)
        if grant is None:
            return _error(401, "invalid_token")
        body = json.loads(await request.body())
        wanted = ({"credential_identifier": "welder-2026"} if grant["configuration"] == "welder"
                  else {"credential_configuration_id": "safety"})
        if any(body.get(k) != v for k, v in wanted.items()):
            return _error(400, "invalid_credential_request", "wrong identifier")
        proof = verify_key_proof(body["proofs"]["jwt"][0], audience=state.issuer,
                                 now=datetime.now(UTC), use_nonce=state.nonces.__contains__)
        holder = proof.holder_did
        encoded = holder.removeprefix("did:jwk:")
        key = (public_key_from_did_key(holder) if holder.startswith("did:key:")
               else json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))))
        issued = issue_sd_jwt_vc(
            {"given_name": "Ana", "trade": "MIG welding"}, disclosable=["given_name"],
            issuer_key=ISSUER_KEY, issuer=ISSUER_DID,
            vct=f"https://guild.example/{grant['configuration']}", holder_jwk=key,
            kid=did_key_vm_id(ISSUER_KEY.public_key()))
        return JSONResponse({"credentials": [{"credential": issued}], "notification_id": "n-1"})

    async def notify(request: Request) -> Response:
        if _bearer(request) is None:
            return _error(401, "invalid_token")
        state.events.append(json.loads(await request.body()))
        return Response(status_code=204)

    return Starlette(routes=[
        Route("/.well-known/openid-credential-issuer/guild", issuer_metadata),
        Route("/.well-known/oauth-authorization-server/auth", server_metadata),
        Route("/auth/par", par, methods=["POST"]),
        Route("/auth/authorize", authorize),
        Route("/auth/token", token, methods=["POST"]),
        Route("/guild/nonce", nonce, methods=["POST"]),
        Route("/guild/credential", credential, methods=["POST"]),
        Route("/guild/notify", notify, methods=["POST"]),
    ])


@contextmanager
def running_issuer() -> Iterator[IssuerState]:
    """Serve a fresh issuer with uvicorn on a free loopback port for one test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    state = IssuerState(base=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(build_app(state), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="guild-issuer", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test issuer did not start")
        time.sleep(0.02)
    try:
        yield state
    finally:
        server.should_exit = True
        thread.join(timeout=10)
