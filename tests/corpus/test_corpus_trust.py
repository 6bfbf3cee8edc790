"""The corpus's last kind: "issuer unknown to this organization", a warning, not a failure.

Whether an issuer is known is the verifying organization's view, not the record's, so
these cases run the committed and the JS-signed valid cases through the plain-language
report (``openler.verifier.report.build``) with a trust registry in the Digital
Credentials Consortium format: each issuer missing from the registry is reported as
exactly one ``issuer_unknown`` warning (state "warning"), a listed issuer as known with
the registry that vouched for it (state "verified"), and an unknown issuer never hides a
real failure (a tampered record stays "not verified").
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from build_corpus import make_context
from test_corpus import COMMITTED, js_world, run_case  # noqa: F401  (js_world: a fixture)

from openler.core.verify import verify_any
from openler.verifier import report
from openler.verifier.registry_file import parse_registry

REGISTRY_NAME = "Corpus test registry"


def _issuers(document: Any) -> list[str]:
    """Issuer DIDs of a credential or of each credential in a presentation (JSON only)."""
    if not isinstance(document, dict):
        return []
    if "VerifiablePresentation" in document.get("type", []):
        return [d for m in document.get("verifiableCredential", []) for d in _issuers(m)]
    issuer = document.get("issuer")
    did = issuer.get("id") if isinstance(issuer, dict) else issuer
    return [did] if isinstance(did, str) else []


def _registry(dids: list[str]) -> Any:
    entries = {did: {"name": f"Issuer {n}", "location": "Test", "url": "https://example.org"}
               for n, did in enumerate(dids)}
    return parse_registry(json.dumps({"meta": {"created": "2026-11-01"},
                                      "registry": entries}), name=REGISTRY_NAME)


JSON_VALID = [c for c in COMMITTED if c["kind"] == "valid" and _issuers(c["input"])]
TAMPERED = [c for c in COMMITTED if c["kind"] == "tampered" and _issuers(c["input"])
            and "presentation" not in c["id"]]


def test_there_are_at_least_three_cases_of_each_side():
    assert len(JSON_VALID) >= 3 and len(TAMPERED) >= 2


@pytest.mark.parametrize("item", JSON_VALID, ids=lambda c: c["id"])
def test_an_issuer_missing_from_the_registry_is_one_warning(item, ports):
    result = run_case(item, ports)
    assert result.outcome == "verified"
    issuers = _issuers(item["input"])
    unknown = report.build(result, document=item["input"],
                           trust=_registry(["did:web:someone-else.example"]).lookup)
    assert unknown.state == "warning"
    kinds = [p.kind for p in unknown.problems]
    assert kinds == ["issuer_unknown"] * len(issuers), kinds
    known = report.build(result, document=item["input"], trust=_registry(issuers).lookup)
    assert known.state == "verified" and known.problems == ()
    for cred in known.credentials:
        assert cred.issuer.entry is not None
        assert cred.issuer.entry.registry_name == REGISTRY_NAME
    # Without a registry the report does not judge the issuer at all.
    assert report.build(result, document=item["input"]).state == "verified"


@pytest.mark.parametrize("item", TAMPERED, ids=lambda c: c["id"])
def test_an_unknown_issuer_never_hides_a_failure(item, ports):
    result = run_case(item, ports)
    built = report.build(result, document=item["input"], trust=_registry([]).lookup)
    assert built.state == "not_verified"
    kinds = {p.kind for p in built.problems}
    assert "tampered" in kinds and "issuer_unknown" in kinds


@pytest.mark.interop
def test_js_signed_credentials_from_unknown_issuers_are_warnings(js_world):  # noqa: F811
    cases, ports = js_world
    valid = [c for c in cases.values() if c["kind"] == "valid" and _issuers(c["input"])]
    assert len(valid) >= 1
    for item in valid:
        result = verify_any(item["input"], ctx=make_context(ports, item["context"]))
        assert result.outcome == "verified", item["id"]
        built = report.build(result, document=item["input"], trust=_registry([]).lookup)
        assert built.state == "warning", item["id"]
        assert {p.kind for p in built.problems} == {"issuer_unknown"}
