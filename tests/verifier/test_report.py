"""The plain-language report: every failure kind stays apart, with its severity; the issuer's
standing comes from the organization's trust registry (a warning, never a failure); the
overall state never depends on colour; a stored result rebuilds the same report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_material import Party, credential, presentation

from openler.core.verify import VerificationContext, VerificationResult, verify_any
from openler.core.verify.messages import CATALOG
from openler.core.verify.result import make_check
from openler.verifier import report
from openler.verifier.trust import TrustEntry

CHECKS = ("well_formed", "schema", "proof", "issuer_key", "status", "validity_period")

# (check name, status, code, could_not_check) -> expected kind and severity
CASES = [
    ("proof", "failed", "proof.changed", False, "tampered", "failure"),
    ("proof", "failed", "sdjwt.unknown_disclosure", False, "tampered", "failure"),
    ("issuer_key", "failed", "issuer.key_not_controlled", False, "wrong_key", "failure"),
    ("issuer_key", "skipped", "issuer.unresolvable", True, "issuer_unreachable",
     "could_not_check"),
    ("proof", "skipped", "proof.cannot_check", True, "issuer_unreachable", "could_not_check"),
    ("status", "failed", "status.suspended", False, "suspended", "failure"),
    ("status", "failed", "status.revoked", False, "revoked", "failure"),
    ("status", "skipped", "status.unreachable", True, "status_unknown", "could_not_check"),
    ("validity_period", "failed", "validity.not_yet_valid", False, "not_yet_valid", "failure"),
    ("validity_period", "failed", "validity.expired", False, "expired", "failure"),
    ("holder_binding", "failed", "holder.mismatch", False, "not_holder", "failure"),
    ("holder_binding", "failed", "holder.key_binding_missing", False, "not_holder", "failure"),
    ("proof", "failed", "presentation.challenge_mismatch", False, "replay", "failure"),
    ("proof", "failed", "presentation.domain_mismatch", False, "replay", "failure"),
    ("holder_binding", "failed", "presentation.audience_mismatch", False, "replay", "failure"),
    ("holder_binding", "failed", "presentation.stale", False, "replay", "failure"),
    ("proof", "failed", "proof.missing", False, "unsigned", "failure"),
    ("well_formed", "failed", "format.invalid", False, "malformed", "failure"),
]


def _result(name: str, status: str, code: str, could_not_check: bool) -> VerificationResult:
    checks = []
    for each in (*CHECKS, "holder_binding"):
        if each == name:
            checks.append(make_check(each, status, code, "detail", could_not_check=could_not_check))
        else:
            checks.append(make_check(each, "passed", "format.ok"))
    return VerificationResult("credential", "json", tuple(checks))


@pytest.mark.parametrize(("name", "status", "code", "cnc", "kind", "severity"), CASES)
def test_each_code_maps_to_its_own_kind(name, status, code, cnc, kind, severity):
    built = report.build(_result(name, status, code, cnc))
    assert built.kinds == (kind,)
    assert built.summary[0].severity == severity
    expected_state = "incomplete" if severity == "could_not_check" else "not_verified"
    assert built.state == expected_state
    line = next(c for c in built.checks if c.name == name)
    assert line.kind == kind
    assert line.word == ("could_not_check" if cnc else "problem")


def test_every_kind_has_words_and_the_failure_kinds_are_distinct():
    titles = [k.title for k in report.KINDS.values()]
    assert len(set(titles)) == len(titles)
    for text in report.KINDS.values():
        assert text.meaning and text.action and text.title
    assert set(report.KIND_BY_CODE.values()) <= set(report.KINDS)
    assert set(report.KIND_BY_CODE) <= set(CATALOG)  # only codes the core can emit


def test_a_proof_that_could_not_run_for_lack_of_the_key_is_could_not_check():
    result = VerificationResult("credential", "json", (
        make_check("proof", "skipped", "check.not_run", "key", could_not_check=True),
        make_check("issuer_key", "skipped", "issuer.unresolvable", could_not_check=True)))
    built = report.build(result)
    assert built.kinds == ("issuer_unreachable",)
    assert built.state == "incomplete"


def test_an_earlier_failure_does_not_add_a_kind_for_the_checks_it_skipped():
    result = VerificationResult("credential", "json", (
        make_check("well_formed", "failed", "format.invalid"),
        make_check("proof", "skipped", "check.not_run"),
        make_check("status", "skipped", "status.none")))
    assert report.build(result).kinds == ("malformed",)


def test_a_genuine_credential_from_a_known_issuer_is_verified_with_its_registry():
    issuer = Party()
    doc = credential(issuer)
    entry = TrustEntry(did=issuer.did, name="Example University", registry_name="DCC Sandbox")
    built = report.build(verify_any(doc), document=doc,
                         trust=lambda did: entry if did == issuer.did else None)
    assert built.state == "verified" and built.problems == ()
    cred = built.credentials[0]
    assert cred.issuer.did == issuer.did and cred.issuer.known
    assert cred.issuer.entry.registry_name == "DCC Sandbox"
    assert cred.achievement == "Data Analysis with Python"
    assert cred.subject_id == "did:example:learner-7f3a"
    assert cred.credential_type == "OpenBadgeCredential"
    assert built.icon and built.headline == "Verified: everything checks out"


def test_an_unknown_issuer_is_a_warning_not_a_failure():
    doc = credential(Party())
    built = report.build(verify_any(doc), document=doc, trust=lambda did: None)
    assert built.state == "warning"
    assert [(p.kind, p.severity) for p in built.problems] == [("issuer_unknown", "warning")]
    assert not built.credentials[0].issuer.known


def test_without_a_registry_the_issuer_is_not_judged():
    doc = credential(Party())
    built = report.build(verify_any(doc), document=doc)
    assert built.state == "verified"
    assert built.credentials[0].issuer.checked is False


def test_real_failures_keep_their_kinds_apart():
    issuer, stranger = Party(), Party()
    tampered = dict(credential(issuer), name="Something else")
    wrong_key = credential(issuer, signer=stranger)
    expired = credential(issuer, validUntil="2025-07-01T00:00:00Z")
    later = credential(issuer, validFrom="2099-01-01T00:00:00Z", validUntil="2100-01-01T00:00:00Z")
    found = {name: report.build(verify_any(doc), document=doc).kinds
             for name, doc in (("tampered", tampered), ("wrong_key", wrong_key),
                               ("expired", expired), ("later", later))}
    assert "tampered" in found["tampered"] and "wrong_key" not in found["tampered"]
    assert "wrong_key" in found["wrong_key"] and "tampered" not in found["wrong_key"]
    assert found["expired"] == ("expired",)
    assert found["later"] == ("not_yet_valid",)


def test_a_presentation_by_someone_else_and_a_replayed_one():
    issuer, learner, other = Party(), Party(), Party()
    doc = credential(issuer, subject=learner.did)
    mine = presentation(learner, [doc])
    ctx = VerificationContext(challenge="c-123", domain="https://hire.example")
    good = report.build(verify_any(mine, ctx=ctx), document=mine)
    assert good.state == "verified" and good.holder == learner.did
    assert good.credentials[0].number == 1
    theirs = presentation(other, [doc])
    stolen = report.build(verify_any(theirs, ctx=ctx), document=theirs)
    assert "not_holder" in stolen.kinds and stolen.state == "not_verified"
    replay_ctx = VerificationContext(challenge="another", domain="https://hire.example")
    replayed = report.build(verify_any(mine, ctx=replay_ctx), document=mine)
    assert replayed.kinds == ("replay",)


def test_a_stored_result_rebuilds_the_same_report():
    issuer = Party()
    doc = credential(issuer, validUntil="2025-07-01T00:00:00Z")
    result = verify_any(doc, ctx=VerificationContext(now=datetime(2026, 1, 1, tzinfo=UTC)))
    again = report.result_from_dict(result.to_dict())
    assert report.build(again, document=doc) == report.build(result, document=doc)


@given(st.sampled_from(sorted(CATALOG)), st.sampled_from(["passed", "failed", "skipped"]),
       st.booleans())
def test_any_code_gives_a_consistent_state(code, status, cnc):
    result = VerificationResult("credential", "json", (
        make_check("proof", status, code, could_not_check=cnc and status == "skipped"),))
    built = report.build(result, trust=lambda did: None)
    assert built.state in ("verified", "warning", "incomplete", "not_verified")
    if status == "failed":
        assert built.state == "not_verified"
    for line in built.checks:
        assert line.message("es") and line.title("en")
    assert all(p.kind in report.KINDS for p in built.problems)


def test_an_sd_jwt_credential_says_who_issued_what_from_its_disclosed_claims(clock):
    from verifier_material import VCT, sd_jwt_for

    holder = Party()
    text = sd_jwt_for(holder.pair.public_key(), clock())
    result = verify_any(text)
    built = report.build(result, document=text, trust=lambda did: None)
    cred = built.credentials[0]
    assert cred.format == "sd-jwt" and cred.issuer.did.startswith("did:key:")
    assert cred.achievement == VCT and cred.subject_name == "Ana Ruiz"
    assert "issuer_unknown" in built.kinds


@pytest.mark.parametrize(("name", "status", "cnc", "kind"), [
    ("proof", "failed", False, "bad_signature"), ("issuer_key", "failed", False, "wrong_key"),
    ("holder_binding", "failed", False, "not_holder"), ("schema", "failed", False, "malformed"),
    ("status", "skipped", True, "status_unknown"), ("proof", "skipped", True, "issuer_unreachable"),
    ("status", "failed", False, None), ("validity_period", "failed", False, None),
])
def test_a_code_the_core_adds_later_lands_in_its_family(name, status, cnc, kind):
    from openler.core.verify.result import Check

    check = Check(name, status, "future.code", "Some new problem", "", cnc)
    assert report.kind_of(check) == kind
    built = report.build(VerificationResult("credential", "json", (check,)))
    assert built.state == ("not_verified" if status == "failed" else "incomplete")
    assert built.checks[0].message("es") == "Some new problem"  # as given, never a crash


def test_a_presentation_says_where_each_kind_was_found():
    issuer, learner = Party(), Party()
    good = credential(issuer, subject=learner.did)
    bad = dict(credential(issuer, subject=learner.did), name="Changed")
    vp = presentation(learner, [good, bad])
    ctx = VerificationContext(challenge="c-123", domain="https://hire.example")
    built = report.build(verify_any(vp, ctx=ctx), document=vp, trust=lambda did: None)
    assert built.places("tampered") == ("2",)
    assert built.places("issuer_unknown") == ("1", "2")
    assert [c.state for c in built.credentials] == ["warning", "not_verified"]
    assert [p.kind for p in built.summary] == ["tampered", "issuer_unknown"]
