"""Safe mode (VC Data Integrity 1.0 §4; jsonld.js safe mode): canonize(safe=True)
refuses documents whose data JSON-LD processing would drop, on the fast path and
on the pyld fallback, and changes nothing for documents that define all their terms."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from helpers import OB_V3, VC_V2, clr_credentials, ob3_example, shared_dir
from openler.core.errors import CanonicalizationError, UnsafeDataError
from openler.core.jsonld import canonize, default_loader, to_rdf
from openler.core.jsonld.active_context import Unsupported
from openler.core.jsonld.canon import _env
from openler.core.jsonld.rdf_walk import document_quads

OB3 = shared_dir() / "vectors" / "ob3"
OB_EXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
EX = {"ex": "https://example.org/vocab#"}


def credential(**subject: Any) -> dict[str, Any]:
    return {"@context": [VC_V2], "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer", "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner", "name": "Ann", **subject}}


def refused(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(UnsafeDataError) as info:
        canonize(document, safe=True)
    assert isinstance(info.value, CanonicalizationError)
    return info.value.items


def fast(document: dict[str, Any]) -> bool:
    """Whether the fast walker handles the document in safe mode (no pyld fallback)."""
    try:
        document_quads(_env(default_loader()).root, document, [])
    except Unsupported:
        return False
    return True


def test_undefined_property_is_refused_with_its_path() -> None:
    document = credential(grade="A")
    assert fast(document)
    assert '"A"' not in canonize(document)  # what would go unsigned without safe mode
    assert refused(document) == [("$.credentialSubject.grade", "invalid property", "")]
    with pytest.raises(UnsafeDataError):
        to_rdf(document, safe=True)
    assert to_rdf(document)  # not safe: dropped silently, as JSON-LD says


def test_every_dropped_item_is_listed_in_document_order() -> None:
    document = credential(grade="A", achievement=[{"id": "urn:a", "name": "x", "score": 3}])
    document["type"] = ["VerifiableCredential", "LocalType"]
    document["issuer"] = "relative-issuer"
    items = refused(document)
    assert items == [  # an undefined key is reported once, not what it holds
        ("$.credentialSubject.achievement", "invalid property", ""),
        ("$.credentialSubject.grade", "invalid property", ""),
        ("$.issuer", "relative @id reference", "relative-issuer"),
        ("$.type[1]", "relative @type reference", "LocalType"),
    ]
    assert "$.credentialSubject.grade" in str(UnsafeDataError(items))


def test_relative_type_is_refused_though_pyld_would_resolve_it_against_a_fake_base() -> None:
    document = credential()
    document["credentialSubject"]["type"] = "Learner"
    assert "http://example.org/base/Learner" in canonize(document)  # pyld's default base
    assert refused(document) == [("$.credentialSubject.type", "relative @type reference",
                                  "Learner")]


def test_relative_ids_are_refused() -> None:
    document = credential()
    document["credentialSubject"]["id"] = "learner-7"
    assert refused(document) == [("$.credentialSubject.id", "relative @id reference",
                                  "learner-7")]


@pytest.mark.parametrize("document, event", [
    ({"@context": EX, "@graph": [{"@id": "urn:a", "ex:p": 1}, "stray"]}, "free-floating scalar"),
    ({"@context": EX, "@graph": [{"@id": "urn:a", "ex:p": 1}, {"@id": "urn:only"}]},
     "object with only @id"),
    ({"@context": EX, "@id": "urn:a", "ex:p": {"@value": None}}, "null @value value"),
    ({"@context": EX, "@id": "urn:a", "ex:p": {"@value": "x", "@language": "not a tag"}},
     "invalid @language value"),
    ({"@context": {**EX, "b": "_:blank"}, "@id": "urn:a", "b": "x"}, "blank node predicate"),
    ({"@context": {**EX, "gone": None}, "@id": "urn:a", "ex:p": 1, "gone": "x"},
     "invalid property"),
])
def test_other_dropping_events(document: dict[str, Any], event: str) -> None:
    assert fast(document)
    assert event in [e for _, e, _ in refused(document)]


@pytest.mark.parametrize("document", [
    {"@context": EX, "@id": "urn:a", "ex:p": None, "ex:q": [], "ex:r": {}},
    {"@context": {**EX, "t": {"@id": "ex:t", "@type": "@id"}}, "@id": "urn:a", "t": "_:b0"},
    {"@context": EX, "@id": "urn:a", "ex:p": {"@value": "x", "@language": "en-GB"}},
])
def test_json_ld_nothings_are_not_events(document: dict[str, Any]) -> None:
    assert canonize(document, safe=True) == canonize(document)


# -- the pyld fallback ------------------------------------------------------------

REVERSE = {**EX, "parent": {"@reverse": "ex:child"}}


def test_fallback_reports_an_undefined_property() -> None:
    document = {"@context": REVERSE, "@id": "urn:r", "parent": {"@id": "urn:p", "ex:n": "P"},
                "grade": "A"}
    assert not fast(document)
    assert ("$.grade", "dropped value", "") in refused(document)


def test_fallback_reports_relative_types_and_ids() -> None:
    document = {"@context": REVERSE, "@id": "urn:r", "@type": "Local",
                "parent": {"@id": "rel", "ex:n": "P"}}
    assert not fast(document)
    events = {(event, value) for _, event, value in refused(document)}
    assert {("relative @type reference", "Local"), ("relative @id reference", "rel")} <= events


def test_fallback_accepts_a_clean_document_unchanged() -> None:
    document = {"@context": REVERSE, "@id": "urn:r", "@type": "ex:T",
                "parent": {"@id": "urn:p", "ex:n": "P"}}
    assert not fast(document)
    assert canonize(document, safe=True) == canonize(document)
    assert "<urn:p> <https://example.org/vocab#child> <urn:r>" in canonize(document)


# -- credentials that define their terms are unaffected ---------------------------

def _vector_documents() -> list[tuple[str, dict[str, Any]]]:
    example = ob3_example()
    example["@context"] = [VC_V2, OB_V3, OB_EXT]
    return [
        ("clr credential", json.loads((OB3 / "clrv2p0" / "credential.json").read_text())),
        ("clr signed", json.loads((OB3 / "clrv2p0" / "signed-credential.json").read_text())),
        ("ob3 spec complete example",
         json.loads((OB3 / "spec-complete-example.json").read_text())),
        ("helpers ob3 example + extensions context", example),
    ]


@pytest.mark.parametrize("name, document", _vector_documents(),
                         ids=[n for n, _ in _vector_documents()])
def test_ob3_and_clr_examples_are_unaffected(name: str, document: dict[str, Any]) -> None:
    document = {k: v for k, v in document.items() if k != "proof"}
    assert canonize(document, safe=True) == canonize(document)


def test_clr_vector_canonical_form_in_safe_mode() -> None:
    document = json.loads((OB3 / "clrv2p0" / "credential.json").read_text())
    expected = (OB3 / "clrv2p0" / "document-canon.txt").read_text()
    assert canonize(document, safe=True) == expected


def test_ob3_schema_type_without_the_extensions_context_is_relative() -> None:
    items = refused(ob3_example())
    assert items == [("$.credentialSchema[0].type", "relative @type reference",
                      "1EdTechJsonSchemaValidator2019")]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(clr_credentials())
def test_safe_mode_never_changes_the_canonical_form(document: dict[str, Any]) -> None:
    try:
        safe = canonize(document, safe=True)
    except UnsafeDataError as exc:
        assert exc.items and all(path.startswith("$") for path, _, _ in exc.items)
        return
    assert safe == canonize(document)
