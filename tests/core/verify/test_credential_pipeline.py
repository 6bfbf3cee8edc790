"""verify_credential: ordered checks, stable codes, "failed" vs "could not check"."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from verify_fixtures import NOW, Party, ob3_credential

from openler.core.dids import DidResolver, FetchResponse
from openler.core.errors import (
    DidResolutionError,
    InvalidDidError,
    StatusListError,
    UnsupportedDidMethodError,
    VerificationInputError,
)
from openler.core.proofs import sign
from openler.core.sdjwt import issue_sd_jwt_vc
from openler.core.status import BitstringStatusList, StatusListCache, status_entry
from openler.core.status import status_list_credential as make_list
from openler.core.verify import VerificationContext, verify_any, verify_credential
from openler.core.verify.checks import check_key_controlled
from openler.core.verify.credential import CREDENTIAL_CHECKS

LIST_URL = "https://issuer.example/status/1"


def signed(issuer: Party, subject: str | None = "did:example:learner", **extra: Any) -> dict:
    return sign(
        ob3_credential(issuer.did, subject, **extra),
        keypair=issuer.keypair,
        verification_method=issuer.vm,
        created="2026-01-15T09:00:00Z",
    )


def status_world(issuer: Party, *, revoked: int | None = None, purpose: str = "revocation"):
    bits = BitstringStatusList()
    if revoked is not None:
        bits.set(revoked)
    listing = sign(
        make_list(LIST_URL, issuer.did, purpose, bits.encode(), datetime(2026, 1, 1, tzinfo=UTC)),
        keypair=issuer.keypair,
        verification_method=issuer.vm,
        created="2026-01-01T00:00:00Z",
    )
    fetched: list[str] = []

    def fetch(url: str) -> dict:
        fetched.append(url)
        if url != LIST_URL:
            raise StatusListError(f"no list at {url}")
        return listing

    return fetch, fetched


def test_valid_credential_passes_every_check(signed_ob3: dict, ctx: VerificationContext) -> None:
    result = verify_credential(signed_ob3, ctx=ctx)
    assert tuple(c.name for c in result.checks) == CREDENTIAL_CHECKS
    assert result.verified and result.outcome == "verified"
    assert result.check("status").code == "status.none"
    assert result.check("status").status == "skipped"
    assert [c.status for c in result.checks].count("passed") == 5


def test_change_after_signing(signed_ob3: dict, ctx: VerificationContext) -> None:
    result = verify_credential({**signed_ob3, "name": "Welding II"}, ctx=ctx)
    proof = result.check("proof")
    assert (proof.status, proof.code) == ("failed", "proof.changed")
    assert proof.message == "Changed after it was issued"
    assert "signature" in proof.detail.lower()
    es = verify_credential(
        {**signed_ob3, "name": "X"}, ctx=VerificationContext(now=NOW, language="es")
    )
    assert es.check("proof").message == "Cambiado después de su emisión"


def test_signed_with_a_key_the_issuer_does_not_control(
    issuer: Party, ctx: VerificationContext
) -> None:
    impostor = Party()
    doc = sign(
        ob3_credential(issuer.did, "did:example:x"),
        keypair=impostor.keypair,
        verification_method=impostor.vm,
        created="2026-01-15T09:00:00Z",
    )
    result = verify_credential(doc, ctx=ctx)
    assert result.check("proof").status == "passed"
    assert result.check("issuer_key").code == "issuer.key_not_controlled"
    assert not result.verified


def test_validity_window(issuer: Party, ctx: VerificationContext) -> None:
    expired = verify_credential(signed(issuer, validUntil="2026-03-01T00:00:00Z"), ctx=ctx)
    assert expired.check("validity_period").code == "validity.expired"
    early = verify_credential(signed(issuer, validFrom="2027-01-01T00:00:00Z"), ctx=ctx)
    assert early.check("validity_period").code == "validity.not_yet_valid"
    assert early.check("proof").status == "passed"
    assert not expired.verified and not early.verified


def test_missing_proof(issuer: Party, ctx: VerificationContext) -> None:
    result = verify_credential(ob3_credential(issuer.did, "did:example:x"), ctx=ctx)
    assert result.check("proof").code == "proof.missing"
    assert result.check("issuer_key").status == "skipped"


class Offline:
    def fetch(self, url: str) -> FetchResponse:
        raise DidResolutionError(url, "network unreachable")


def test_unreachable_did_web_issuer_could_not_check(issuer: Party) -> None:
    doc = ob3_credential("did:web:college.example", "did:example:x")
    doc = sign(
        doc,
        keypair=issuer.keypair,
        verification_method="did:web:college.example#key-1",
        created="2026-01-15T09:00:00Z",
    )
    ctx = VerificationContext(now=NOW, resolver=DidResolver(fetcher=Offline()))
    result = verify_credential(doc, ctx=ctx)
    key = result.check("issuer_key")
    assert (key.status, key.code, key.could_not_check) == ("skipped", "issuer.unresolvable", True)
    assert result.check("proof").could_not_check
    assert result.outcome == "incomplete" and not result.verified
    assert not any(c.status == "failed" for c in result.checks)


@pytest.mark.parametrize(
    "revoked, purpose, code",
    [
        (None, "revocation", "status.active"),
        (7, "revocation", "status.revoked"),
        (7, "suspension", "status.suspended"),
    ],
)
def test_status_list(issuer: Party, revoked: int | None, purpose: str, code: str) -> None:
    fetch, fetched = status_world(issuer, revoked=revoked, purpose=purpose)
    cache = StatusListCache()
    doc = signed(issuer, credentialStatus=status_entry(LIST_URL, 7, purpose))
    ctx = VerificationContext(now=NOW, fetch_status_list=fetch, status_cache=cache)
    first = verify_credential(doc, ctx=ctx)
    second = verify_credential(doc, ctx=ctx)
    assert first.check("status").code == code == second.check("status").code
    assert first.verified is (revoked is None)
    assert fetched == [LIST_URL]  # the second verification used the cache


def test_status_list_unreachable_is_could_not_check(issuer: Party) -> None:
    fetch, _ = status_world(issuer)
    doc = signed(
        issuer, credentialStatus=status_entry("https://gone.example/list", 3, "revocation")
    )
    result = verify_credential(doc, ctx=VerificationContext(now=NOW, fetch_status_list=fetch))
    status = result.check("status")
    assert (status.status, status.code, status.could_not_check) == (
        "skipped",
        "status.unreachable",
        True,
    )
    assert result.outcome == "incomplete"
    no_fetcher = verify_credential(doc, ctx=VerificationContext(now=NOW))
    assert no_fetcher.check("status").code == "status.unreachable"


def test_cached_list_of_one_issuer_does_not_clear_another_issuers_credential(
    issuer: Party,
) -> None:
    fetch, fetched = status_world(issuer)
    ctx = VerificationContext(now=NOW, fetch_status_list=fetch, status_cache=StatusListCache())
    own = signed(issuer, credentialStatus=status_entry(LIST_URL, 7, "revocation"))
    assert verify_credential(own, ctx=ctx).check("status").code == "status.active"
    other = Party()
    foreign = signed(other, credentialStatus=status_entry(LIST_URL, 7, "revocation"))
    status = verify_credential(foreign, ctx=ctx).check("status")
    assert (status.status, status.code, status.could_not_check) == (
        "skipped", "status.invalid", True)
    assert "not signed by the issuer" in status.detail
    assert fetched == [LIST_URL]  # refused from the cache, without a second fetch
    assert verify_credential(own, ctx=ctx).check("status").code == "status.active"


def test_list_claiming_the_issuer_but_signed_by_another_key_is_not_trusted(issuer: Party) -> None:
    forger = Party()
    forged = sign(
        make_list(LIST_URL, issuer.did, "revocation", BitstringStatusList().encode(),
                  datetime(2026, 1, 1, tzinfo=UTC)),
        keypair=forger.keypair, verification_method=forger.vm, created="2026-01-01T00:00:00Z",
    )
    doc = signed(issuer, credentialStatus=status_entry(LIST_URL, 7, "revocation"))
    ctx = VerificationContext(now=NOW, fetch_status_list={LIST_URL: forged}.__getitem__,
                              status_cache=StatusListCache())
    status = verify_credential(doc, ctx=ctx).check("status")
    assert (status.code, status.could_not_check) == ("status.invalid", True)
    assert status.detail.startswith("status.list_unverified")


def test_a_proof_given_as_a_one_element_list_verifies(issuer: Party,
                                                      ctx: VerificationContext) -> None:
    single = signed(issuer)
    as_list = {**single, "proof": [single["proof"]]}
    result = verify_credential(as_list, ctx=ctx)
    assert result.verified, result.to_dict()
    assert [c.code for c in result.checks][:4] == [
        "format.ok", "schema.ok", "proof.valid", "issuer.key_controlled"]
    tampered = {**as_list, "name": "Welding II"}
    assert verify_credential(tampered, ctx=ctx).check("proof").code == "proof.changed"


def test_status_list_signed_by_someone_else_is_not_trusted(issuer: Party) -> None:
    fetch, _ = status_world(Party(), revoked=None)
    doc = signed(issuer, credentialStatus=status_entry(LIST_URL, 7, "revocation"))
    result = verify_credential(doc, ctx=VerificationContext(now=NOW, fetch_status_list=fetch))
    assert result.check("status").could_not_check
    issuer_of_list = status_world(issuer)[0]
    ok = verify_credential(doc, ctx=VerificationContext(now=NOW, fetch_status_list=issuer_of_list))
    assert ok.check("status").code == "status.active"


@pytest.mark.parametrize("value", [[1, 2], 42, {"type": "nothing"}, None])
def test_non_credentials_are_results(value: Any, ctx: VerificationContext) -> None:
    result = verify_any(json.dumps(value), ctx=ctx)
    assert result.check("well_formed").status == "failed"
    assert not result.verified


@pytest.mark.parametrize("value", ["", "not json", "{", b"\xff\xfe", '"a string"'])
def test_unusable_input_raises_the_documented_type(value: Any, ctx: VerificationContext) -> None:
    with pytest.raises(VerificationInputError):
        verify_any(value, ctx=ctx)


def test_detection_of_formats(signed_ob3: dict, issuer: Party, ctx: VerificationContext) -> None:
    as_text = verify_any(json.dumps(signed_ob3), ctx=ctx)
    as_bytes = verify_any(json.dumps(signed_ob3).encode(), ctx=ctx)
    assert as_text.verified and as_bytes.verified and as_text.format == "json"
    token = issue_sd_jwt_vc(
        {"name": "Ana"},
        disclosable={"name"},
        issuer_key=issuer.keypair,
        issuer=issuer.did,
        vct="https://v.example",
        kid=issuer.vm,
        issued_at=int(NOW.timestamp()) - 10,
    )
    sd = verify_any(token + "\n", ctx=ctx)
    assert (sd.kind, sd.format) == ("credential", "sd-jwt")
    assert sd.verified and sd.claims["name"] == "Ana"
    assert [c.name for c in sd.checks] == [
        "well_formed",
        "schema",
        "proof",
        "issuer_key",
        "status",
        "validity_period",
        "holder_binding",
    ]
    broken = verify_any(token.replace(".", "x.", 1), ctx=ctx)
    assert not broken.verified


def test_input_document_is_not_mutated(signed_ob3: dict, ctx: VerificationContext) -> None:
    before = json.dumps(signed_ob3, sort_keys=True)
    verify_any(signed_ob3, ctx=ctx)
    assert json.dumps(signed_ob3, sort_keys=True) == before


def test_issuer_with_an_unsupported_did_method_could_not_check(issuer: Party,
                                                                ctx: VerificationContext) -> None:
    doc = sign(ob3_credential("did:example:college", "did:example:x"), keypair=issuer.keypair,
               verification_method="did:example:college#key-1", created="2026-01-15T09:00:00Z")
    result = verify_credential(doc, ctx=ctx)
    key = result.check("issuer_key")
    assert (key.status, key.code, key.could_not_check) == ("skipped", "issuer.unresolvable", True)
    assert result.outcome == "incomplete"


class _RaisingResolver:
    """A resolver whose every lookup fails with one given error."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def resolve_verification_method(self, vm_id: str) -> Any:
        raise self.error


@pytest.mark.parametrize(
    ("error", "status", "code", "could_not_check"),
    [
        # the type decides, not the wording of the reason
        (UnsupportedDidMethodError("did:zz:1", "no resolver here"), "skipped",
         "issuer.unresolvable", True),
        (InvalidDidError("did:zz:1", "unsupported DID method 'zz'"), "failed",
         "issuer.key_not_controlled", False),
        (DidResolutionError("did:web:down.example", "timed out"), "skipped",
         "issuer.unresolvable", True),
    ],
)
def test_issuer_key_check_tells_unsupported_from_absent_by_type(
    signed_ob3: dict, error: Exception, status: str, code: str, could_not_check: bool
) -> None:
    ctx = VerificationContext(now=NOW, resolver=_RaisingResolver(error))
    key = check_key_controlled(signed_ob3, ctx, party="issuer", purpose="assertionMethod",
                               name="issuer_key", ok_code="issuer.key_controlled",
                               bad_code="issuer.key_not_controlled")
    assert (key.status, key.code, key.could_not_check) == (status, code, could_not_check)
