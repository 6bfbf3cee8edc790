"""Enveloped SD-JWT VCs with Key Binding inside a signed presentation: the KB-JWT must answer
the presentation's own challenge and domain, and carry only the disclosures chosen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from verify_fixtures import NOW, Party

from openler.core.presentations import create_presentation, sign_presentation
from openler.core.sdjwt import issue_sd_jwt_vc, present
from openler.core.verify import VerificationContext, verify_presentation

CHALLENGE, DOMAIN = "share-challenge-1", "https://wallet.example"
CLAIMS = {"given_name": "Ana", "family_name": "Learner", "grade": "A", "course": "Welding"}


def _token(issuer: Party, holder: Party) -> str:
    return issue_sd_jwt_vc(CLAIMS, disclosable={"given_name", "family_name", "grade"},
                           issuer_key=issuer.keypair, issuer=issuer.did, vct="https://v.example",
                           kid=issuer.vm, holder_jwk=holder.keypair.public_key(), issued_at=NOW)


def _vp(holder: Party, member: str) -> dict[str, Any]:
    vp = create_presentation([member], holder=holder.did)
    return sign_presentation(vp, keypair=holder.keypair, verification_method=holder.vm,
                             challenge=CHALLENGE, domain=DOMAIN, created="2026-06-01T12:00:00Z")


def _ctx(**kw: Any) -> VerificationContext:
    return VerificationContext(now=kw.pop("now", NOW), challenge=CHALLENGE, domain=DOMAIN, **kw)


def _bound(issuer: Party, holder: Party, *, nonce: str = CHALLENGE, aud: str = DOMAIN,
           issued_at=NOW) -> str:
    return present(_token(issuer, holder), disclose=["given_name"], holder_key=holder.keypair,
                   nonce=nonce, audience=aud, issued_at=issued_at)


def test_kb_jwt_answering_the_challenge_verifies_with_only_chosen_claims(
        issuer: Party, holder: Party) -> None:
    result = verify_presentation(_vp(holder, _bound(issuer, holder)), ctx=_ctx())
    member = result.credentials[0]
    assert result.verified, result.to_dict()
    assert member.check("holder_binding").code == "holder.ok"
    assert member.claims["given_name"] == "Ana"
    assert "family_name" not in member.claims and "grade" not in member.claims
    assert member.claims["course"] == "Welding"  # never concealed, always there


def test_kb_jwt_for_another_challenge_fails_the_member(issuer: Party, holder: Party) -> None:
    result = verify_presentation(_vp(holder, _bound(issuer, holder, nonce="old")), ctx=_ctx())
    check = result.credentials[0].check("holder_binding")
    assert check.status == "failed" and check.code == "presentation.challenge_mismatch"
    assert not result.verified


def test_kb_jwt_for_another_audience_fails_the_member(issuer: Party, holder: Party) -> None:
    token = _bound(issuer, holder, aud="https://elsewhere.example")
    check = verify_presentation(_vp(holder, token), ctx=_ctx()).credentials[0].check(
        "holder_binding")
    assert check.code == "presentation.audience_mismatch"


def test_kb_jwt_signed_by_someone_else_fails(issuer: Party, holder: Party) -> None:
    thief = Party()
    token = present(_token(issuer, holder), disclose=["given_name"], holder_key=thief.keypair,
                    nonce=CHALLENGE, audience=DOMAIN, issued_at=NOW)
    check = verify_presentation(_vp(holder, token), ctx=_ctx()).credentials[0].check(
        "holder_binding")
    assert check.code == "holder.mismatch"  # presented by someone other than the subject


def test_old_kb_jwt_is_refused_unless_the_verifier_stored_the_challenge(
        issuer: Party, holder: Party) -> None:
    vp = _vp(holder, _bound(issuer, holder))
    later = NOW + timedelta(days=20)
    fresh_only = verify_presentation(vp, ctx=_ctx(now=later))
    assert fresh_only.credentials[0].check("holder_binding").code == "presentation.stale"
    stored = verify_presentation(vp, ctx=_ctx(now=later, kb_max_age_seconds=None))
    assert stored.credentials[0].check("holder_binding").code == "holder.ok"


def test_required_key_binding_refuses_a_member_without_it(issuer: Party, holder: Party) -> None:
    bare = present(_token(issuer, holder), disclose=["grade"])
    vp = _vp(holder, bare)
    assert verify_presentation(vp, ctx=_ctx()).credentials[0].check(
        "holder_binding").code == "holder.ok"
    strict = verify_presentation(vp, ctx=_ctx(require_key_binding=True))
    assert strict.credentials[0].check("holder_binding").code == "holder.key_binding_missing"
