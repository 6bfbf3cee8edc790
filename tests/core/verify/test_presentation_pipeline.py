"""verify_presentation: authentication proof, challenge/domain, holder binding, nested results."""

from __future__ import annotations

from typing import Any

from verify_fixtures import NOW, Party, ob3_credential

from openler.core.keys import generate_keypair
from openler.core.presentations import create_presentation, sign_presentation
from openler.core.proofs import sign
from openler.core.sdjwt import issue_sd_jwt_vc
from openler.core.verify import VerificationContext, verify_any, verify_presentation

CHALLENGE, DOMAIN = "c-123", "https://employer.example"


def signed_vp(holder: Party, credentials: list[Any], *, signer: Party | None = None) -> dict:
    signer = signer or holder
    vp = create_presentation(credentials, holder=holder.did)
    return sign_presentation(
        vp,
        keypair=signer.keypair,
        verification_method=signer.vm,
        challenge=CHALLENGE,
        domain=DOMAIN,
        created="2026-05-01T00:00:00Z",
    )


def ctx(**kw: Any) -> VerificationContext:
    return VerificationContext(
        now=NOW, challenge=kw.pop("challenge", CHALLENGE), domain=kw.pop("domain", DOMAIN), **kw
    )


def second_credential(holder: Party) -> dict:
    other = Party("P-256")
    return sign(
        ob3_credential(other.did, holder.did),
        keypair=other.keypair,
        verification_method=other.vm,
        cryptosuite="ecdsa-rdfc-2019",
        created="2026-01-15T09:00:00Z",
    )


def test_presentation_from_two_issuers_verifies(signed_ob3: dict, holder: Party) -> None:
    result = verify_any(signed_vp(holder, [signed_ob3, second_credential(holder)]), ctx=ctx())
    assert result.kind == "presentation"
    assert [c.name for c in result.checks] == [
        "well_formed",
        "proof",
        "holder_binding",
        "credentials",
    ]
    assert result.verified, [c for c in result.checks if c.status != "passed"]
    assert len(result.credentials) == 2
    for nested in result.credentials:
        assert nested.verified
        assert nested.check("holder_binding").code == "holder.ok"
    assert result.to_dict()["credentials"][0]["checks"][0]["name"] == "well_formed"


def test_wrong_challenge_and_domain(signed_ob3: dict, holder: Party) -> None:
    vp = signed_vp(holder, [signed_ob3])
    wrong_challenge = verify_presentation(vp, ctx=ctx(challenge="other"))
    assert wrong_challenge.check("proof").code == "presentation.challenge_mismatch"
    wrong_domain = verify_presentation(vp, ctx=ctx(domain="https://evil.example"))
    assert wrong_domain.check("proof").code == "presentation.domain_mismatch"
    assert not wrong_challenge.verified and not wrong_domain.verified


def test_credential_of_someone_else_is_a_holder_mismatch(signed_ob3: dict) -> None:
    stranger = Party()
    result = verify_presentation(signed_vp(stranger, [signed_ob3]), ctx=ctx())
    assert result.check("proof").status == "passed"
    assert result.check("holder_binding").code == "holder.mismatch"
    assert result.credentials[0].check("holder_binding").code == "holder.mismatch"
    assert result.credentials[0].check("proof").status == "passed"
    assert not result.verified


def test_subject_without_id_is_skipped_with_reason(issuer: Party, holder: Party) -> None:
    anonymous = sign(
        ob3_credential(issuer.did, None),
        keypair=issuer.keypair,
        verification_method=issuer.vm,
        created="2026-01-15T09:00:00Z",
    )
    result = verify_presentation(signed_vp(holder, [anonymous]), ctx=ctx())
    nested = result.credentials[0].check("holder_binding")
    assert nested.status == "skipped" and nested.code == "holder.subject_has_no_id"
    assert result.verified


def test_presentation_signed_by_another_key(signed_ob3: dict, holder: Party) -> None:
    result = verify_presentation(signed_vp(holder, [signed_ob3], signer=Party()), ctx=ctx())
    assert result.check("holder_binding").code == "holder.key_not_controlled"
    assert not result.verified


def test_tampered_nested_credential_fails_the_presentation(signed_ob3: dict, holder: Party) -> None:
    tampered = {**signed_ob3, "name": "Welding II"}
    result = verify_presentation(signed_vp(holder, [tampered]), ctx=ctx())
    assert result.credentials[0].check("proof").code == "proof.changed"
    assert result.check("credentials").code == "credentials.failed"
    assert result.check("proof").status == "passed"


def test_unsigned_presentation(signed_ob3: dict, holder: Party) -> None:
    vp = create_presentation([signed_ob3], holder=holder.did)
    result = verify_presentation(vp, ctx=ctx())
    assert result.check("proof").code == "proof.missing"
    assert not result.verified


def test_enveloped_sd_jwt_bound_to_the_holder(issuer: Party, holder: Party) -> None:
    token = issue_sd_jwt_vc(
        {"name": "Ana"},
        disclosable={"name"},
        issuer_key=issuer.keypair,
        issuer=issuer.did,
        vct="https://v.example",
        kid=issuer.vm,
        holder_jwk=holder.keypair.public_key(),
        issued_at=NOW,
    )
    result = verify_presentation(signed_vp(holder, [token]), ctx=ctx())
    nested = result.credentials[0]
    assert nested.format == "sd-jwt"
    assert nested.check("holder_binding").code == "holder.ok"
    assert nested.claims["name"] == "Ana"
    assert result.verified, result.to_dict()
    other = generate_keypair("Ed25519")
    foreign = issue_sd_jwt_vc(
        {"name": "Bo"},
        disclosable=set(),
        issuer_key=issuer.keypair,
        issuer=issuer.did,
        vct="v",
        kid=issuer.vm,
        holder_jwk=other.public_key(),
        issued_at=NOW,
    )
    mismatch = verify_presentation(signed_vp(holder, [foreign]), ctx=ctx())
    assert mismatch.credentials[0].check("holder_binding").code == "holder.mismatch"
