"""The verification corpus: every failure kind gets exactly its expected check result.

Issue 6 acceptance point 2. Each case names the outcome and the exact list of
checks that failed or could not run (path in the result, check name, status,
code); nothing else may fail. The committed cases (data/*.json, written by
build_corpus.py) are Python-signed; the ``js/...`` cases are signed at test time
by Digital Bazaar's libraries from the npm registry (@digitalbazaar/vc with
eddsa-rdfc-2022 and ecdsa-rdfc-2019, through tests/interop/js/sign_corpus.mjs).
DID documents and status lists reach the verifier only through the context's
ports (build_corpus.make_context).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from build_corpus import (
    BADGES,
    CHALLENGE,
    CLEAR,
    COLLEGE,
    DATA_DIR,
    DOMAIN,
    HOLDER,
    KINDS,
    REVOKED,
    SIGNED_AT,
    STRANGER,
    SUSPENDED,
    F,
    build,
    by_key,
    case,
    did_document,
    findings,
    make_context,
    ob3,
)

from openler.core.dids import did_web_to_url
from openler.core.presentations import create_presentation
from openler.core.status import BitstringStatusList, status_entry, status_list_credential
from openler.core.verify import verify_any
from openler.core.verify.messages import message

JS_WEB = "did:web:js-college.example"
JS_HOST = "js-college.example"
JS_OFFLINE = "did:web:js-offline.example"
PRESENTED = {"challenge": CHALLENGE, "domain": DOMAIN}


def committed_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for kind in KINDS:
        cases += json.loads((DATA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    return cases


COMMITTED = committed_cases()


def run_case(item: dict[str, Any], ports: dict[str, Any], language: str = "en") -> Any:
    return verify_any(item["input"], ctx=make_context(ports, item["context"], language=language))


# Skipped checks that are not findings: nothing to check, or an earlier finding made it moot.
NOT_APPLICABLE = {"status.none", "schema.not_applicable", "holder.not_presented",
                  "holder.subject_has_no_id", "check.not_run"}


def _quiet_checks(result: Any) -> list[tuple[str, str]]:
    out = [(c.status, c.code) for c in result.checks
           if c.status != "failed" and not c.could_not_check]
    for nested in result.credentials:
        out += _quiet_checks(nested)
    return out


def assert_case(item: dict[str, Any], ports: dict[str, Any]) -> None:
    result = run_case(item, ports)
    expected = item["expect"]
    assert findings(result) == expected["findings"], json.dumps(result.to_dict(), indent=1)
    assert result.outcome == expected["outcome"]
    for status, code in _quiet_checks(result):  # everything else passed or did not apply
        assert status == "passed" or code in NOT_APPLICABLE, (status, code)
    if not expected["findings"]:
        assert ("skipped", "check.not_run") not in _quiet_checks(result)
    spanish = run_case(item, ports, "es")
    assert findings(spanish) == expected["findings"]
    for path, name, _, code in expected["findings"]:  # the report's words, in both languages
        assert message(code, "es") != code and message(code, "en") != code, (path, name)


@pytest.mark.parametrize("item", COMMITTED, ids=[c["id"] for c in COMMITTED])
def test_committed_case(item: dict[str, Any], ports: dict[str, Any]) -> None:
    assert_case(item, ports)


def test_committed_files_are_exactly_a_fresh_build() -> None:
    fresh = build()
    on_disk = {p.name: p.read_bytes() for p in DATA_DIR.glob("*.json")}
    assert sorted(on_disk) == sorted(fresh)
    for name, content in fresh.items():
        assert on_disk[name] == content, f"{name} differs: run tests/corpus/build_corpus.py"


# -- cases signed by Digital Bazaar's JavaScript libraries, made at test time ----------

def _list(purpose: str) -> dict[str, Any]:
    bits = BitstringStatusList()
    bits.set(REVOKED)
    bits.set(SUSPENDED)
    return status_list_credential(f"https://{JS_HOST}/status/{purpose}", JS_WEB, purpose,
                                  bits.encode(), datetime(2026, 1, 1, tzinfo=UTC))


def _entry(purpose: str, index: int) -> dict[str, Any]:
    return status_entry(f"https://{JS_HOST}/status/{purpose}", index, purpose)


def _rename(doc: dict[str, Any]) -> dict[str, Any]:
    changed = json.loads(json.dumps(doc))
    changed["name"] = "Welding (advanced)"
    return changed


def build_js_cases(node: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Sign with the JS libraries; return the cases and the ports they add."""
    early, late = "2026-09-01T00:00:00Z", "2026-03-01T00:00:00Z"
    web = node.run("sign_corpus.mjs", {
        "cryptosuite": "eddsa-rdfc-2022", "created": SIGNED_AT, "controller": JS_WEB,
        "keyId": "key-1",
        "credentials": [
            {"credential": ob3(JS_WEB, number=80, credentialStatus=_entry("revocation", CLEAR))},
            {"credential": ob3(JS_WEB, number=81, credentialStatus=_entry("revocation", REVOKED))},
            {"credential": ob3(JS_WEB, number=82,
                               credentialStatus=_entry("suspension", SUSPENDED))},
            {"credential": ob3(JS_WEB, number=83, validUntil=late)},
            {"credential": ob3(JS_WEB, number=84, validFrom=early)},
            {"credential": ob3(COLLEGE.did, number=85), "keepIssuer": True},
            {"credential": _list("revocation")},
            {"credential": _list("suspension")},
        ]})
    valid, revoked, suspended, expired, not_yet, foreign, rev_list, sus_list = web["credentials"]
    ecdsa = node.run("sign_corpus.mjs", {
        "cryptosuite": "ecdsa-rdfc-2019", "created": SIGNED_AT,
        "credentials": [
            {"credential": ob3("did:example:replaced", number=90)},
            {"credential": ob3("did:example:replaced", number=91, validUntil=late)},
            {"credential": ob3("did:example:replaced", number=92, validFrom=early)},
            {"credential": ob3(BADGES.did, number=93), "keepIssuer": True},
        ]})
    e_valid, e_expired, e_not_yet, e_foreign = ecdsa["credentials"]
    offline = node.run("sign_corpus.mjs", {
        "cryptosuite": "eddsa-rdfc-2022", "created": SIGNED_AT, "controller": JS_OFFLINE,
        "credentials": [{"credential": ob3(JS_OFFLINE, number=86)}]})
    stranger = by_key(BADGES, ob3(BADGES.did, STRANGER.did, number=94))
    mine = create_presentation([valid], holder=HOLDER.did)
    holder_key = {"publicKeyMultibase": HOLDER.keypair.public_multibase,
                  "secretKeyMultibase": HOLDER.keypair.secret_multibase}
    vps = node.run("sign_corpus.mjs", {
        "cryptosuite": "eddsa-rdfc-2022", "created": "2026-06-01T11:58:00Z", "key": holder_key,
        "presentations": [
            {"presentation": mine, "challenge": CHALLENGE, "domain": DOMAIN},
            {"presentation": mine, "challenge": "earlier-1", "domain": DOMAIN},
            {"presentation": mine, "challenge": CHALLENGE,
             "domain": "https://other-employer.example"},
            {"presentation": create_presentation([stranger], holder=HOLDER.did),
             "challenge": CHALLENGE, "domain": DOMAIN},
        ]})
    assert vps["controller"] == HOLDER.did  # the same key on both sides
    vp_ok, vp_challenge, vp_domain, vp_stranger = vps["presentations"]
    key_fail = F("", "issuer_key", "failed", "issuer.key_not_controlled")
    changed = F("", "proof", "failed", "proof.changed")
    mismatch = [F("", "holder_binding", "failed", "holder.mismatch"),
                F("credentials/0", "holder_binding", "failed", "holder.mismatch")]
    cases = [
        case("valid", "js/eddsa-did-web", "JS-signed, did:web, status clear", valid,
             "verified", []),
        case("valid", "js/ecdsa-did-key", "JS-signed with ecdsa-rdfc-2019", e_valid,
             "verified", []),
        case("valid", "js/presentation", "JS-signed presentation of a JS-signed credential",
             vp_ok, "verified", [], **PRESENTED),
        case("tampered", "js/eddsa-name-changed", "JS-signed, then edited", _rename(valid),
             "not_verified", [changed]),
        case("tampered", "js/ecdsa-name-changed", "JS-signed (ecdsa), then edited",
             _rename(e_valid), "not_verified", [changed]),
        case("key_not_controlled", "js/eddsa-issuer-is-college",
             "JS key of js-college signs a credential naming the college as issuer", foreign,
             "not_verified", [key_fail]),
        case("key_not_controlled", "js/ecdsa-issuer-is-another-did-key",
             "a fresh JS did:key signs a credential naming another did:key", e_foreign,
             "not_verified", [key_fail]),
        case("unreachable", "js/eddsa-did-web-refused",
             "JS-signed by a did:web issuer whose host refuses connections",
             offline["credentials"][0], "incomplete",
             [F("", "proof", "skipped", "proof.cannot_check"),
              F("", "issuer_key", "skipped", "issuer.unresolvable")]),
        case("revoked", "js/eddsa-did-web", "JS-signed credential and list, bit set", revoked,
             "not_verified", [F("", "status", "failed", "status.revoked")]),
        case("suspended", "js/eddsa-did-web", "JS-signed credential and list, bit set",
             suspended, "not_verified", [F("", "status", "failed", "status.suspended")]),
        case("expired", "js/eddsa", "JS-signed, validUntil passed", expired, "not_verified",
             [F("", "validity_period", "failed", "validity.expired")]),
        case("expired", "js/ecdsa", "JS-signed (ecdsa), validUntil passed", e_expired,
             "not_verified", [F("", "validity_period", "failed", "validity.expired")]),
        case("not_yet_valid", "js/eddsa", "JS-signed, validFrom ahead", not_yet,
             "not_verified", [F("", "validity_period", "failed", "validity.not_yet_valid")]),
        case("not_yet_valid", "js/ecdsa", "JS-signed (ecdsa), validFrom ahead", e_not_yet,
             "not_verified", [F("", "validity_period", "failed", "validity.not_yet_valid")]),
        case("holder_mismatch", "js/presentation-subject-is-stranger",
             "JS-signed presentation of a credential issued to a stranger", vp_stranger,
             "not_verified", mismatch, **PRESENTED),
        case("replay", "js/presentation-other-challenge",
             "JS-signed presentation for an earlier request", vp_challenge, "not_verified",
             [F("", "proof", "failed", "presentation.challenge_mismatch")], **PRESENTED),
        case("replay", "js/presentation-other-domain",
             "JS-signed presentation for another verifier", vp_domain, "not_verified",
             [F("", "proof", "failed", "presentation.domain_mismatch")], **PRESENTED),
    ]
    extra = {"did_documents": {did_web_to_url(JS_WEB): did_document(
        JS_WEB, [("key-1", JS_WEB, web["publicKeyMultibase"])], assertion=["key-1"],
        authentication=["key-1"])},
        "status_lists": {rev_list["id"]: rev_list, sus_list["id"]: sus_list},
        "failing_hosts": {did_web_to_url(JS_OFFLINE): "refused"}}
    return cases, extra


JS_CASE_IDS = [
    "valid/js/eddsa-did-web", "valid/js/ecdsa-did-key", "valid/js/presentation",
    "tampered/js/eddsa-name-changed", "tampered/js/ecdsa-name-changed",
    "key_not_controlled/js/eddsa-issuer-is-college",
    "key_not_controlled/js/ecdsa-issuer-is-another-did-key",
    "unreachable/js/eddsa-did-web-refused",
    "revoked/js/eddsa-did-web", "suspended/js/eddsa-did-web",
    "expired/js/eddsa", "expired/js/ecdsa", "not_yet_valid/js/eddsa", "not_yet_valid/js/ecdsa",
    "holder_mismatch/js/presentation-subject-is-stranger",
    "replay/js/presentation-other-challenge", "replay/js/presentation-other-domain",
]


@pytest.fixture(scope="module")
def js_world(node: Any, ports: dict[str, Any]) -> tuple[dict[str, dict], dict[str, Any]]:
    cases, extra = build_js_cases(node)
    merged = {**ports,
              "did_documents": {**ports["did_documents"], **extra["did_documents"]},
              "status_lists": {**ports["status_lists"], **extra["status_lists"]},
              "failing_hosts": {**ports["failing_hosts"], **extra["failing_hosts"]}}
    return {c["id"]: c for c in cases}, merged


@pytest.mark.interop
@pytest.mark.parametrize("case_id", JS_CASE_IDS)
def test_js_signed_case(case_id: str, js_world: tuple[dict[str, dict], dict[str, Any]]) -> None:
    cases, ports = js_world
    assert_case(cases[case_id], ports)


@pytest.mark.interop
def test_every_kind_has_at_least_three_cases(
        js_world: tuple[dict[str, dict], dict[str, Any]]) -> None:
    cases, _ = js_world
    assert sorted(cases) == sorted(JS_CASE_IDS)
    per_kind = Counter(c["kind"] for c in COMMITTED) + Counter(c["kind"] for c in cases.values())
    assert set(per_kind) == set(KINDS)
    assert min(per_kind.values()) >= 3, per_kind
    failing = [k for k in KINDS if k != "valid"]
    js_kinds = {c["kind"] for c in cases.values()} & set(failing)
    assert js_kinds == set(failing), js_kinds  # the independent implementation too
    ids = [c["id"] for c in COMMITTED] + list(cases)
    assert len(ids) == len(set(ids))


def test_kinds_are_kept_apart() -> None:
    """No two failure kinds share a deciding code (the report can name each)."""
    codes: dict[str, set[str]] = {}
    for item in COMMITTED:
        codes.setdefault(item["kind"], set()).update(
            f[3] for f in item["expect"]["findings"])
    assert codes["valid"] == set()
    kinds = [k for k in KINDS if k != "valid"]
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            shared = codes[a] & codes[b]
            assert not shared, (a, b, shared)
