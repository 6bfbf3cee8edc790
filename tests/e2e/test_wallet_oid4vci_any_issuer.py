"""The wallet takes an offer from an issuer that is not OpenLER, over real HTTP.

A small OpenID4VCI issuer written here from the specification (not OpenLER code)
runs on a loopback port under a path (``/tenant``, so the well-known insertion rule
is exercised), asks for a text transaction code, answers the token request with
``credential_identifiers``, requires a nonce from its Nonce Endpoint, and issues an
SD-JWT VC bound to the key in the wallet's proof (``cnf.jwk``). The record is kept
in ``dc+sd-jwt`` format, checks out on arrival, and the issuer hears
``credential_accepted``. A second configuration is issued deferred, a third is an
mdoc: each gets its own sentence and nothing is stored.
"""

from __future__ import annotations

import base64
import html
import json
import re
import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote

import httpx
import pytest
from test_oid4vci_flow import _csrf

from openler.core.dids import did_key_from_public, did_key_vm_id, public_key_from_did_key
from openler.core.keys.multikey import generate_keypair
from openler.core.sdjwt.issuer import issue_sd_jwt_vc
from openler.issuer.delivery.key_proof import verify_key_proof

pytestmark = pytest.mark.e2e

PRE = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
ISSUER_KEY = generate_keypair("Ed25519")
ISSUER_DID = did_key_from_public(ISSUER_KEY.public_key())
HIDDEN_OFFER = re.compile(r'name="offer" value="([^"]+)"')


class _Issuer(BaseHTTPRequestHandler):
    """One tenant of a credential issuer; state lives on the server object."""

    def log_message(self, *args: object) -> None:
        pass

    def _json(self, status: int, body: object) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/tenant"

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/.well-known/openid-credential-issuer/tenant":
            proofs = {"jwt": {"proof_signing_alg_values_supported": ["ES256", "EdDSA"]}}
            self._json(200, {
                "credential_issuer": self.base,
                "credential_endpoint": f"{self.base}/credential",
                "nonce_endpoint": f"{self.base}/nonce",
                "notification_endpoint": f"{self.base}/notify",
                "display": [{"name": "Guild of Welders", "locale": "en"},
                            {"name": "Gremio de Soldadores", "locale": "es"}],
                "credential_configurations_supported": {
                    "welder": {"format": "dc+sd-jwt", "vct": "https://guild.example/welder",
                               "cryptographic_binding_methods_supported": ["jwk"],
                               "proof_types_supported": proofs,
                               "credential_metadata": {"display": [
                                   {"name": "Certified welder", "locale": "en"}]}},
                    "later": {"format": "dc+sd-jwt", "vct": "https://guild.example/later",
                              "cryptographic_binding_methods_supported": ["jwk"],
                              "proof_types_supported": proofs},
                    "licence": {"format": "mso_mdoc", "doctype": "org.iso.18013.5.1.mDL"}}})
        elif self.path == "/.well-known/oauth-authorization-server/tenant":
            self._json(200, {"issuer": self.base, "token_endpoint": f"{self.base}/token",
                             "grant_types_supported": [PRE],
                             "pre-authorized_grant_anonymous_access_supported": True})
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        state = self.server.state  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/tenant/token":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            grant = state["codes"].get(form.get("pre-authorized_code", ""))
            if form.get("grant_type") != PRE or grant is None:
                return self._json(400, {"error": "invalid_grant"})
            if form.get("tx_code") != "ab12":
                return self._json(400, {"error": "invalid_grant",
                                        "error_description": "wrong tx_code"})
            del state["codes"][form["pre-authorized_code"]]
            token = secrets.token_urlsafe(16)
            state["tokens"][token] = grant
            return self._json(200, {"access_token": token, "token_type": "Bearer",
                                    "authorization_details": [{
                                        "type": "openid_credential",
                                        "credential_configuration_id": grant,
                                        "credential_identifiers": [f"{grant}-2026"]}]})
        if self.path == "/tenant/nonce":
            nonce = secrets.token_urlsafe(12)
            state["nonces"].add(nonce)
            return self._json(200, {"c_nonce": nonce})
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in state["tokens"]:
            return self._json(401, {"error": "invalid_token"})
        body = json.loads(raw)
        if self.path == "/tenant/notify":
            state["events"].append(body)
            self.send_response(204)
            self.end_headers()
            return None
        grant = state["tokens"][token]
        if body.get("credential_identifier") != f"{grant}-2026":
            return self._json(400, {"error": "unknown_credential_identifier"})
        if grant == "later":
            return self._json(202, {"transaction_id": "t-1", "interval": 3600})
        proof = verify_key_proof(body["proofs"]["jwt"][0], audience=self.base,
                                 now=datetime.now(UTC), use_nonce=state["nonces"].__contains__)
        holder = proof.holder_did
        encoded = holder.removeprefix("did:jwk:")
        key = (public_key_from_did_key(holder) if holder.startswith("did:key:")
               else json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))))
        credential = issue_sd_jwt_vc(
            {"given_name": "Ana", "trade": "MIG welding"}, disclosable=["given_name"],
            issuer_key=ISSUER_KEY, issuer=ISSUER_DID, vct="https://guild.example/welder",
            holder_jwk=key, kid=did_key_vm_id(ISSUER_KEY.public_key()))
        return self._json(200, {"credentials": [{"credential": credential}],
                                "notification_id": "n-1"})


@pytest.fixture
def guild() -> Iterator[tuple[ThreadingHTTPServer, str]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Issuer)
    httpd.state = {"codes": {}, "tokens": {}, "nonces": set(), "events": []}  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}/tenant"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _offer(httpd: ThreadingHTTPServer, base: str, configuration: str) -> str:
    code = secrets.token_urlsafe(12)
    httpd.state["codes"][code] = configuration  # type: ignore[attr-defined]
    doc = {"credential_issuer": base, "credential_configuration_ids": [configuration],
           "grants": {PRE: {"pre-authorized_code": code, "tx_code": {
               "input_mode": "text", "length": 4, "description": "Printed on your letter."}}}}
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(doc), safe="")


def _step(http: httpx.Client, link: str, tx_code: str) -> tuple[httpx.Response, httpx.Response]:
    token = _csrf(http, "/wallet/offers/new")
    preview = http.post("/wallet/offers/new", data={"csrf_token": token, "offer": link})
    offer = HIDDEN_OFFER.search(preview.text)
    taken = http.post("/wallet/offers/receive", data={
        "csrf_token": token, "offer": html.unescape(offer.group(1)) if offer else link,
        "tx_code": tx_code})
    return preview, taken


def test_an_sd_jwt_vc_from_another_issuer(live_server, clean_db, accounts, guild):
    httpd, base = guild
    accounts.learner("learner@example.org")
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        signed = http.post("/sign-in", data={"csrf_token": _csrf(http, "/sign-in"),
                                             "email": "learner@example.org",
                                             "password": "correct horse battery"})
        assert signed.status_code == 303

        preview, wrong = _step(http, _offer(httpd, base, "welder"), "zz99")
        text = html.unescape(preview.text)
        assert "Guild of Welders offers you: Certified welder" in text
        assert "Printed on your letter." in text and 'inputmode="numeric"' not in text
        assert wrong.status_code == 400 and "That code is not right." in wrong.text

        _, taken = _step(http, _offer(httpd, base, "welder"), "ab12")
        assert taken.status_code == 303, taken.text
        page = http.get(taken.headers["location"])
        assert page.status_code == 200 and "Checked: this record is genuine." in page.text
        assert httpd.state["events"] == [  # type: ignore[attr-defined]
            {"notification_id": "n-1", "event": "credential_accepted"}]

        _, later = _step(http, _offer(httpd, base, "later"), "ab12")
        assert later.status_code == 502 and 'data-problem="deferred"' in later.text
        assert "only have this credential ready later" in later.text
        mdoc, _ = _step(http, _offer(httpd, base, "licence"), "ab12")
        assert mdoc.status_code == 502 and 'data-problem="unsupported_format"' in mdoc.text

        http.get("/language/es?next=/")
        _, later_es = _step(http, _offer(httpd, base, "later"), "ab12")
        assert "no tendrá lista esta credencial hasta más tarde" in later_es.text
        home = http.get("/wallet").text
        assert home.count('href="/wallet/records/') == 1  # only the one SD-JWT VC arrived
