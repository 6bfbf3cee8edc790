"""Failure kinds the verifier keeps apart (issue 6): unreachable vs invalid, someone else's
Key Binding vs a broken one, a stale answer vs a wrong one, and VC-JOSE wherever JSON
credentials are accepted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from verify_fixtures import NOW, Party, ob3_credential

from openler.core.dids import DidResolver, FetchResponse, did_web_document, did_web_to_url
from openler.core.errors import VerificationInputError
from openler.core.presentations import create_presentation, envelope, sign_presentation
from openler.core.proofs import sign
from openler.core.sdjwt import issue_sd_jwt_vc, present
from openler.core.sdjwt.jose import sign_jws
from openler.core.status import (
    BitstringStatusList,
    StatusListCache,
    status_entry,
    status_list_credential,
)
from openler.core.verify import VerificationContext, verify_any, verify_credential
from openler.core.verify.context import GuardedResolver
from openler.core.verify.messages import CATALOG

CHALLENGE, DOMAIN = "kinds-challenge", "https://employer.example"
WEB = "did:web:college.example"
LIST_URL = "https://college.example/status/1"


class Refusing:
    """A did:web port whose host refuses connections (the way a socket says it)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def fetch(self, url: str) -> FetchResponse:
        self.calls += 1
        raise self.error


def _web_signed(key: Party, **extra: Any) -> dict[str, Any]:
    return sign(ob3_credential(WEB, "did:example:learner", **extra), keypair=key.keypair,
                verification_method=f"{WEB}#key-1", created="2026-01-15T09:00:00Z")


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "refused"),
                                   TimeoutError("timed out"), OSError("network is unreachable")])
def test_a_refusing_host_is_could_not_check_not_a_crash(error: Exception) -> None:
    port = Refusing(error)
    ctx = VerificationContext(now=NOW, resolver=DidResolver(fetcher=port))
    result = verify_credential(_web_signed(Party()), ctx=ctx)
    proof, key = result.check("proof"), result.check("issuer_key")
    assert (proof.status, proof.code, proof.could_not_check) == (
        "skipped", "proof.cannot_check", True)
    assert (key.status, key.code, key.could_not_check) == ("skipped", "issuer.unresolvable", True)
    assert result.outcome == "incomplete" and port.calls >= 1


def test_guarded_resolver_wraps_once_and_forwards() -> None:
    inner = DidResolver()
    ctx = VerificationContext(resolver=inner)
    assert isinstance(ctx.resolver, GuardedResolver) and ctx.resolver.inner is inner
    again = VerificationContext(resolver=ctx.resolver)
    assert again.resolver is ctx.resolver
    ctx.resolver.forget()  # other attributes reach the real resolver


def test_status_list_whose_signer_cannot_be_reached_is_unreachable() -> None:
    key = Party()
    listing = sign(status_list_credential(LIST_URL, WEB, "revocation",
                                          BitstringStatusList().encode(),
                                          datetime(2026, 1, 1, tzinfo=UTC)),
                   keypair=key.keypair, verification_method=f"{WEB}#key-1",
                   created="2026-01-01T00:00:00Z")
    doc = _web_signed(key, credentialStatus=status_entry(LIST_URL, 7, "revocation"))
    offline = VerificationContext(now=NOW, resolver=DidResolver(fetcher=Refusing(
        ConnectionRefusedError(111, "refused"))), fetch_status_list={LIST_URL: listing}.get,
        status_cache=StatusListCache())
    status = verify_credential(doc, ctx=offline).check("status")
    assert (status.code, status.could_not_check) == ("status.unreachable", True)
    # the same list with the document reachable but the key missing: the list is not trusted
    other = Party()
    document = did_web_document(WEB, [(f"{WEB}#key-1", other.keypair.public_key())])

    class Serving:
        def fetch(self, url: str) -> FetchResponse:
            assert url == did_web_to_url(WEB)
            return FetchResponse(200, json.dumps(document).encode(), {})

    online = VerificationContext(now=NOW, resolver=DidResolver(fetcher=Serving()),
                                 fetch_status_list={LIST_URL: listing}.get)
    status = verify_credential(doc, ctx=online).check("status")
    assert (status.code, status.could_not_check) == ("status.invalid", True)


def _sd_jwt(issuer: Party, holder: Party) -> str:
    return issue_sd_jwt_vc({"name": "Ana"}, disclosable={"name"}, issuer_key=issuer.keypair,
                           issuer=issuer.did, vct="https://v.example", kid=issuer.vm,
                           holder_jwk=holder.keypair.public_key(), issued_at=NOW)


def _kb(token: str, key: Party, *, nonce: str = CHALLENGE, at: datetime = NOW) -> str:
    return present(token, disclose=["name"], holder_key=key.keypair, nonce=nonce,
                   audience=DOMAIN, issued_at=at)


def _ctx(**kw: Any) -> VerificationContext:
    return VerificationContext(now=kw.pop("now", NOW), challenge=CHALLENGE, domain=DOMAIN, **kw)


def test_key_binding_by_another_key_is_a_holder_mismatch(issuer: Party, holder: Party) -> None:
    token = _sd_jwt(issuer, holder)
    assert verify_any(_kb(token, holder), ctx=_ctx()).check("holder_binding").code == "holder.ok"
    thief = verify_any(_kb(token, Party()), ctx=_ctx()).check("holder_binding")
    assert (thief.status, thief.code) == ("failed", "holder.mismatch")


def test_a_stale_key_binding_is_a_replay_unless_the_challenge_was_stored(
        issuer: Party, holder: Party) -> None:
    old = _kb(_sd_jwt(issuer, holder), holder, at=NOW - timedelta(hours=2))
    stale = verify_any(old, ctx=_ctx()).check("holder_binding")
    assert (stale.status, stale.code) == ("failed", "presentation.stale")
    stored = verify_any(old, ctx=_ctx(kb_max_age_seconds=None)).check("holder_binding")
    assert stored.code == "holder.ok"



def test_a_key_binding_over_other_disclosures_keeps_the_generic_code(
        issuer: Party, holder: Party) -> None:
    token = _sd_jwt(issuer, holder)
    kb_jwt = _kb(token, holder).rsplit("~", 1)[1]  # the holder's own, valid signature
    spliced = present(token, disclose=[]) + kb_jwt  # but its sd_hash covers "name"
    check = verify_any(spliced, ctx=_ctx()).check("holder_binding")
    assert (check.status, check.code) == ("failed", "holder.key_binding_invalid")
    assert "sd_hash" in check.detail


def test_a_member_answering_another_request_is_a_replay_at_the_top(
        issuer: Party, holder: Party) -> None:
    member = _kb(_sd_jwt(issuer, holder), holder, nonce="earlier")
    vp = sign_presentation(create_presentation([member], holder=holder.did),
                           keypair=holder.keypair, verification_method=holder.vm,
                           challenge=CHALLENGE, domain=DOMAIN, created="2026-06-01T11:00:00Z")
    result = verify_any(vp, ctx=_ctx())
    assert result.check("holder_binding").code == "presentation.challenge_mismatch"
    assert result.credentials[0].check("holder_binding").code == "presentation.challenge_mismatch"


def _vc_jwt(issuer: Party, subject: str, **claims: Any) -> str:
    body = {**ob3_credential(issuer.did, subject), **claims}
    return sign_jws({"typ": "vc+jwt", "kid": issuer.vm}, json.dumps(body).encode(),
                    issuer.keypair)


def test_verify_any_takes_compact_vc_jose_text(issuer: Party, holder: Party) -> None:
    token = _vc_jwt(issuer, holder.did)
    result = verify_any(token, ctx=VerificationContext(now=NOW))
    assert result.verified, result.to_dict()
    assert result.claims["issuer"]["id"] == issuer.did
    assert verify_any(f"  {token}\n".encode(), ctx=VerificationContext(now=NOW)).verified
    late = verify_any(_vc_jwt(issuer, holder.did, exp=int((NOW - timedelta(days=1)).timestamp())),
                      ctx=VerificationContext(now=NOW))
    assert late.check("validity_period").code == "validity.expired"
    with pytest.raises(VerificationInputError):
        verify_any("not.a-token", ctx=VerificationContext(now=NOW))


@pytest.mark.parametrize("as_member", ["enveloped", "text"])
def test_presentation_with_vc_jose_members(issuer: Party, holder: Party, as_member: str) -> None:
    def member(token: str) -> Any:
        return envelope(token, media_type="application/vc+jwt") if as_member == "enveloped" \
            else token

    mine, theirs = _vc_jwt(issuer, holder.did), _vc_jwt(issuer, "did:example:someone-else")
    unsigned = create_presentation([], holder=holder.did)
    unsigned["verifiableCredential"] = [member(mine), member(theirs)]
    vp = sign_presentation(unsigned, keypair=holder.keypair, verification_method=holder.vm,
                           challenge=CHALLENGE, domain=DOMAIN, created="2026-06-01T11:00:00Z")
    result = verify_any(vp, ctx=_ctx())
    assert result.check("well_formed").code == "format.ok"
    assert result.check("proof").status == "passed"
    first, second = result.credentials
    assert first.verified and first.check("holder_binding").code == "holder.ok"
    assert first.claims["credentialSubject"]["id"] == holder.did
    assert second.check("holder_binding").code == "holder.mismatch"
    assert second.check("proof").code == "proof.valid"
    assert result.check("holder_binding").code == "holder.mismatch"


def test_unknown_enveloped_media_type_is_still_refused(holder: Party) -> None:
    unsigned = create_presentation([], holder=holder.did)
    unsigned["verifiableCredential"] = [envelope("abc", media_type="application/vc+cose")]
    result = verify_any(unsigned, ctx=_ctx())
    assert result.credentials[0].check("well_formed").code == "format.invalid"


def test_new_codes_have_both_languages() -> None:
    for code in ("presentation.stale", "proof.cannot_check", "holder.mismatch"):
        english, spanish = CATALOG[code]
        assert english and spanish and english != spanish
