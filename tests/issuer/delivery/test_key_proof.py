"""Key proofs (OpenID4VCI 1.0 Appendix F.1): typ, alg, kid or jwk, aud, iat, nonce."""

from __future__ import annotations

import base64
import json
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey

from openler.core.dids.key import did_key_from_public
from openler.core.keys.multikey import PublicKey
from openler.issuer.delivery.errors import Oid4vciError
from openler.issuer.delivery.key_proof import did_jwk_of, verify_key_proof

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
AUD = "https://badges.example.org"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _did_key(key: OKPKey) -> str:
    raw = base64.urlsafe_b64decode(key.as_dict(private=False)["x"] + "==")
    return did_key_from_public(PublicKey("Ed25519", raw))


def _proof(key, header: dict, **claims) -> str:
    body = {"aud": AUD, "iat": int(NOW.timestamp()), "nonce": "n-1", **claims}
    body = {k: v for k, v in body.items() if v is not None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode({"typ": "openid4vci-proof+jwt", **header}, body, key,
                          algorithms=[header["alg"]])


def _verify(proof: str, nonces=("n-1",)) -> str:
    left = set(nonces)

    def use(n: str) -> bool:
        if n in left:
            left.remove(n)
            return True
        return False

    return verify_key_proof(proof, audience=AUD, now=NOW, use_nonce=use).holder_did


def test_did_key_kid():
    key = OKPKey.generate_key("Ed25519")
    did = _did_key(key)
    assert _verify(_proof(key, {"alg": "EdDSA", "kid": f"{did}#{did[8:]}"})) == did


def test_jwk_header_names_a_did_jwk_and_did_jwk_kid_works_too():
    key = ECKey.generate_key("P-256")
    public = key.as_dict(private=False)
    holder = _verify(_proof(key, {"alg": "ES256", "jwk": public}))
    assert holder == did_jwk_of({k: public[k] for k in ("kty", "crv", "x", "y")})
    doc = json.loads(base64.urlsafe_b64decode(holder[8:] + "=="))
    assert doc["kty"] == "EC" and "d" not in doc
    assert _verify(_proof(key, {"alg": "ES256", "kid": holder + "#0"})) == holder


@pytest.mark.parametrize("change, code", [
    ({"typ": "JWT"}, "invalid_proof"),
    ({"aud": "https://other.example"}, "invalid_proof"),
    ({"iat": int((NOW - timedelta(hours=1)).timestamp())}, "invalid_proof"),
    ({"iat": int((NOW + timedelta(hours=1)).timestamp())}, "invalid_proof"),
    ({"nonce": "n-2"}, "invalid_nonce"),
    ({"nonce": None}, "invalid_nonce"),
    ({"kid": "did:web:example.org#key-1"}, "invalid_proof"),
    ({"both": True}, "invalid_proof"),
    ({"other_key": True}, "invalid_proof"),
])
def test_bad_proofs_are_refused_with_the_spec_code(change, code):
    key = OKPKey.generate_key("Ed25519")
    did = _did_key(key)
    header = {"alg": "EdDSA", "kid": f"{did}#{did[8:]}"}
    claims = {}
    signer = key
    if "typ" in change:
        header["typ"] = change["typ"]
    if "kid" in change:
        header["kid"] = change["kid"]
    if change.get("both"):
        header["jwk"] = key.as_dict(private=False)
    if change.get("other_key"):
        signer = OKPKey.generate_key("Ed25519")
    for name in ("aud", "iat", "nonce"):
        if name in change:
            claims[name] = change[name]
    proof = _proof(signer, header, **claims)
    if "typ" in change:  # jwt.encode keeps our typ; make sure it is the wrong one
        assert json.loads(base64.urlsafe_b64decode(proof.split(".")[0] + "=="))["typ"] == "JWT"
    with pytest.raises(Oid4vciError) as exc:
        _verify(proof)
    assert exc.value.code == code


@pytest.mark.parametrize("proof", [None, 7, "", "a.b", "x.y.z", "a" * 9000,
                                   _b64(b'{"typ":"openid4vci-proof+jwt","alg":"none"}') + ".e30."])
def test_malformed_proofs_are_invalid_proof(proof):
    with pytest.raises(Oid4vciError) as exc:
        _verify(proof)
    assert exc.value.code == "invalid_proof"


def test_a_nonce_is_used_once():
    key = OKPKey.generate_key("Ed25519")
    did = _did_key(key)
    header = {"alg": "EdDSA", "kid": f"{did}#{did[8:]}"}
    left = {"n-1"}

    def use(n: str) -> bool:
        return n in left and not left.remove(n)

    verify_key_proof(_proof(key, header), audience=AUD, now=NOW, use_nonce=use)
    with pytest.raises(Oid4vciError) as exc:
        verify_key_proof(_proof(key, header), audience=AUD, now=NOW, use_nonce=use)
    assert exc.value.code == "invalid_nonce"
