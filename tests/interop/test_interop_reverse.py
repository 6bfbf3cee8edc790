"""Credentials signed by Digital Bazaar's JavaScript libraries verify in OpenLER.

The reverse interop path: sign.mjs makes a fresh Ed25519 or P-256 Multikey and
its did:key, signs OB 3.0 AchievementCredentials with @digitalbazaar/vc's issue
and a DataIntegrityProof (eddsa-rdfc-2022, ecdsa-rdfc-2019), and
openler.core.verify.verify_credential must accept them and refuse tampered
copies.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from interop_material import SUITES, achievement_credential, tampered_copies

from openler.core.verify import VerificationContext, verify_credential

pytestmark = pytest.mark.interop

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def unsigned_credentials() -> list[dict]:
    plain = achievement_credential()
    del plain["credentialStatus"]  # no status list to fetch offline
    minimal = achievement_credential()
    for key in ("credentialStatus", "evidence", "validUntil", "description"):
        minimal.pop(key, None)
    minimal["issuer"] = {"id": "did:example:replaced", "type": ["Profile"], "name": "Academy"}
    return [plain, minimal]


@pytest.fixture(scope="module")
def js_signed(js) -> dict[str, dict]:
    return {suite: js.run("sign.mjs", {"cryptosuite": suite, "created": "2025-06-01T09:00:00Z",
                                       "credentials": unsigned_credentials()})
            for suite in SUITES}


def proof_check(result):
    return next(c for c in result.checks if c.name == "proof")


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_js_signed_credentials_verify_in_openler(js_signed, suite):
    answer = js_signed[suite]
    assert answer["did"].startswith("did:key:z")
    for vc in answer["credentials"]:
        assert vc["proof"]["cryptosuite"] == suite
        assert vc["issuer"]["id"] == answer["did"]
        result = verify_credential(vc, ctx=VerificationContext(now=NOW))
        check = proof_check(result)
        assert (check.status, check.code) == ("passed", "proof.valid"), result.checks
        assert result.verified, [c for c in result.checks if c.status == "failed"]


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_tampered_js_signed_credentials_fail_in_openler(js_signed, suite):
    for vc in js_signed[suite]["credentials"]:
        for name, doc in tampered_copies(vc).items():
            result = verify_credential(doc, ctx=VerificationContext(now=NOW))
            assert not result.verified, name
            assert proof_check(result).status == "failed", (name, proof_check(result))
