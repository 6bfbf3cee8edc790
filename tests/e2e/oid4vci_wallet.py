"""A minimal OpenID4VCI 1.0 wallet, written from the specification, for end-to-end tests.

It imports no OpenLER server code: offers (section 4.1), metadata (12.2.2 and
RFC 8414), the Token Endpoint (6), the Nonce Endpoint (7), key proofs
(Appendix F.1) and the Credential Endpoint (8) are all done here with httpx,
joserfc and cryptography. Its did:key is encoded from the did:key method spec
(multicodec ed25519-pub 0xed / p256-pub 0x1200 varint prefix, base58btc
multibase ``z``), independently of openler.core.dids.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_SCHEME = "openid-credential-offer"
PROOF_TYP = "openid4vci-proof+jwt"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    """Bitcoin base58 (leading zero bytes become '1')."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def did_key_for(key: OKPKey | ECKey) -> str:
    """did:key of a public key: 'z' + base58btc(multicodec varint + raw public key)."""
    if isinstance(key, OKPKey):
        raw = key.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        prefixed = bytes([0xED, 0x01]) + raw
    else:
        raw = key.public_key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        prefixed = bytes([0x80, 0x24]) + raw
    return "did:key:z" + base58btc(prefixed)


def new_key(algorithm: str) -> OKPKey | ECKey:
    """A fresh holder key: 'EdDSA' (Ed25519) or 'ES256' (P-256)."""
    return OKPKey.generate_key("Ed25519") if algorithm == "EdDSA" else ECKey.generate_key("P-256")


def parse_offer_link(link: str) -> dict[str, str]:
    """The one parameter of an offer link: credential_offer or credential_offer_uri."""
    parts = urlsplit(link)
    assert parts.scheme == OFFER_SCHEME, link
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert len(query) == 1 and set(query) <= {"credential_offer", "credential_offer_uri"}, query
    return query


@dataclass
class Wallet:
    """One holder: a key, its did:key, and an HTTP client."""

    http: httpx.Client
    algorithm: str = "EdDSA"
    key: Any = None
    did: str = ""
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = self.key or new_key(self.algorithm)
        self.did = did_key_for(self.key)

    @property
    def kid(self) -> str:
        """The DID URL of the key: did:key:z...#z..."""
        return f"{self.did}#{self.did.split(':')[2]}"

    def offer(self, link: str) -> dict[str, Any]:
        """The Credential Offer object, by value or fetched by reference."""
        query = parse_offer_link(link)
        if "credential_offer" in query:
            return json.loads(query["credential_offer"])
        uri = query["credential_offer_uri"]
        response = self.http.get(uri)
        assert response.status_code == 200, response.text
        return response.json()

    def metadata(self, issuer: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Credential Issuer Metadata and the Authorization Server's metadata."""
        parts = urlsplit(issuer)
        root = f"{parts.scheme}://{parts.netloc}"
        issuer_md = self.http.get(f"{root}/.well-known/openid-credential-issuer{parts.path}")
        assert issuer_md.status_code == 200, issuer_md.text
        doc = issuer_md.json()
        assert doc["credential_issuer"] == issuer
        auth_issuer = (doc.get("authorization_servers") or [issuer])[0]
        ap = urlsplit(auth_issuer)
        as_md = self.http.get(f"{ap.scheme}://{ap.netloc}/.well-known/oauth-authorization-server"
                              f"{ap.path}")
        assert as_md.status_code == 200, as_md.text
        return doc, as_md.json()

    def token(self, as_md: dict[str, Any], code: str, tx_code: str | None) -> httpx.Response:
        """Redeem the pre-authorized code (form-encoded POST)."""
        form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        return self.http.post(as_md["token_endpoint"], data=form)

    def nonce(self, issuer_md: dict[str, Any]) -> str:
        """A c_nonce from the Nonce Endpoint."""
        response = self.http.post(issuer_md["nonce_endpoint"])
        assert response.status_code == 200, response.text
        assert response.headers.get("cache-control") == "no-store"
        return response.json()["c_nonce"]

    def proof(self, *, audience: str, nonce: str | None, key: Any = None,
              kid: str | None = None, iat: float | None = None) -> str:
        """A key proof JWT (typ openid4vci-proof+jwt) naming our did:key in kid."""
        signing_key = key or self.key
        alg = "EdDSA" if isinstance(signing_key, OKPKey) else "ES256"
        header = {"typ": PROOF_TYP, "alg": alg, "kid": kid or self.kid}
        claims: dict[str, Any] = {"aud": audience, "iat": int(iat or time.time())}
        if nonce is not None:
            claims["nonce"] = nonce
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jwt.encode(header, claims, signing_key, algorithms=[alg])

    def credential(self, issuer_md: dict[str, Any], access_token: str, proof: str,
                   configuration_id: str) -> httpx.Response:
        """Ask the Credential Endpoint for one credential, proving our key."""
        return self.http.post(issuer_md["credential_endpoint"],
                              headers={"Authorization": f"Bearer {access_token}"},
                              json={"credential_configuration_id": configuration_id,
                                    "proofs": {"jwt": [proof]}})

