"""JSON-LD constructs the canonicalizer must get exactly right, each checked against
pyld (the reference) and, for those the fast walker handles, that it did not
fall back."""

from __future__ import annotations

import re

import pytest
from pyld import jsonld

from helpers import OB_V3, VC_V2, ob3_example, ob3_proof_config
from openler.core.errors import CanonicalizationError, ContextNotAllowedError
from openler.core.jsonld import canonize, canonize_quads, default_loader, parse_nquads
from openler.core.jsonld.active_context import Unsupported
from openler.core.jsonld.canon import _env
from openler.core.jsonld.rdf_walk import document_quads

VC_V1 = "https://www.w3.org/2018/credentials/v1"
EX = {"ex": "https://example.org/vocab#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def reference(document: dict) -> str:
    """pyld's canonical form, with literals escaped as RDFC-1.0 §4.4 requires (pyld writes
    U+0000-U+001F other than tab/newline/return, and U+007F, raw: see test_against_pyld)."""
    text = jsonld.normalize(document, {"algorithm": "URDNA2015",
                                       "format": "application/n-quads",
                                       "documentLoader": default_loader()})
    if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text) is None:
        return text
    return canonize_quads(parse_nquads(text, unique=False))  # pyld may repeat quads


def fast_path_handles(document: dict) -> bool:
    try:
        document_quads(_env(default_loader()).root, document)
    except Unsupported:
        return False
    return True


def ctx(**terms: object) -> dict:
    return {**EX, **terms}


FAST = {
    "ob3 credential": ob3_example(),
    "proof configuration": ob3_proof_config(),
    "vocab for undefined terms": {"@context": [VC_V2], "type": "VerifiableCredential",
                                  "issuer": "did:example:1", "credentialSubject": {
                                      "favouriteColour": "green", "nested": {"depth": 2}}},
    "presentation repeating one credential (blank nodes tie, hash n-degree runs)": {
        "@context": [VC_V2, OB_V3], "type": "VerifiablePresentation",
        "verifiableCredential": [ob3_example(), ob3_example()]},
    "vc 1.1 credential": {
        "@context": [VC_V1], "id": "urn:uuid:1", "type": ["VerifiableCredential"],
        "issuer": {"id": "did:example:issuer"}, "issuanceDate": "2020-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject"},
        "proof": {"type": "Ed25519Signature2020", "created": "2020-01-01T00:00:00Z",
                  "proofPurpose": "assertionMethod",
                  "verificationMethod": "did:example:issuer#key"}},
    "presentation with embedded credentials": {
        "@context": [VC_V2, OB_V3], "type": "VerifiablePresentation",
        "holder": "did:example:holder",
        "verifiableCredential": [ob3_example(), {**ob3_example(), "id": "urn:uuid:other",
                                                 "name": "Another badge"}],
        "proof": {**{k: v for k, v in ob3_proof_config().items() if k != "@context"},
                  "proofPurpose": "authentication", "challenge": "abc", "domain": "x.example"}},
    "embedded context and compact IRIs": {
        "@context": ctx(name="ex:name", knows={"@id": "ex:knows", "@type": "@id"}),
        "@id": "https://a.example/#me", "name": "Ann", "ex:age": 41, "knows": "ex:bob",
        "ex:other": {"@id": "_:x", "ex:back": {"@id": "https://a.example/#me"}},
        "ex:again": {"@id": "_:x"}},
    "numbers and booleans": {
        "@context": ctx(d={"@id": "ex:d", "@type": "xsd:double"}),
        "@id": "urn:n", "ex:i": [0, -7, 10**21, 2**70], "ex:f": [1.5, -0.25, 1e-7, 3.0, 1e300],
        "ex:b": [True, False], "d": [5, "2.50", "not a number"]},
    "typed literals, language, escapes": {
        "@context": ctx(**{"when": {"@id": "ex:when", "@type": "xsd:date"}, "label": {
            "@id": "ex:label", "@language": "EN-gb"}, "@language": "fr"}),
        "@id": "urn:t", "when": "2024-02-29", "label": "colour", "ex:title": "titre",
        "ex:raw": {"@value": "x", "@type": "ex:Custom"},
        "ex:tagged": {"@value": "Hallo", "@language": "DE"},
        "ex:text": 'quote " backslash \\ tab \t newline \n return \r bell \x07 é 🎓'},
    "json literal": {
        "@context": ctx(data={"@id": "ex:data", "@type": "@json"}),
        "@id": "urn:j", "data": {"b": [1, 2.5, None, True], "a": "é\n"},
        "ex:inline": {"@value": [3, {"z": 1, "y": "x"}], "@type": "@json"}},
    "lists and empty lists": {
        "@context": ctx(steps={"@id": "ex:steps", "@container": "@list"}),
        "@id": "urn:l", "steps": ["a", {"ex:n": 1}, 3], "ex:explicit": {"@list": []},
        "ex:setOf": {"@set": ["x", "y"]}},
    "named graphs and graph containers": {
        "@context": ctx(claims={"@id": "ex:claims", "@container": "@graph"}),
        "@id": "urn:g", "claims": [{"@id": "urn:c1", "ex:p": "v"}, {"ex:q": "w"}],
        "@graph": [{"@id": "urn:inner", "ex:r": "s"}]},
    "top-level @graph": {"@context": ctx(), "@graph": [
        {"@id": "urn:a", "ex:p": {"@id": "urn:b"}}, {"@id": "urn:b", "ex:p": "x"}]},
    "language, index and id maps": {
        "@context": ctx(
            title={"@id": "ex:title", "@container": "@language"},
            byIndex={"@id": "ex:byIndex", "@container": "@index"},
            byId={"@id": "ex:byId", "@container": "@id"}),
        "@id": "urn:m", "title": {"en": "Hello", "ES": ["Hola", "Buenas"], "@none": "Hi"},
        "byIndex": {"one": {"ex:v": 1}, "two": "plain"},
        "byId": {"urn:x1": {"ex:v": "x"}, "urn:x2": [{"ex:v": "y"}]}},
    "base and relative IRIs": {
        "@context": {"@base": "https://base.example/dir/", "@vocab": "https://v.example/"},
        "@id": "doc", "link": {"@id": "../other"}, "type": "Thing",
        "@type": ["Kind", "https://abs.example/T"]},
    "relative IRIs without a base are kept as pyld resolves them": {
        "@context": ctx(), "@id": "relative/path", "ex:p": {"@id": "also relative"}},
    "type-scoped and property-scoped contexts with propagate": {
        "@context": ctx(
            Outer={"@id": "ex:Outer", "@context": {"label": "ex:outerLabel",
                                                    "@propagate": False}},
            holder={"@id": "ex:holder", "@context": {"label": "ex:holderLabel"}}),
        "@type": "Outer", "label": "a", "ex:child": {"label": "dropped or not?"},
        "holder": {"label": "b", "ex:deeper": {"label": "c"}}},
    "@nest": {
        "@context": ctx(meta="@nest", extra={"@id": "ex:extra"}),
        "@id": "urn:i", "meta": {"extra": "nested", "@type": "ex:Nested"}},
    "multiple contexts in an array and null values": {
        "@context": [VC_V2, OB_V3, {"ex": "https://example.org/vocab#"}],
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:example:i",
        "validFrom": "2024-01-01T00:00:00Z", "ex:nothing": None, "ex:empty": [],
        "credentialSubject": {"type": "AchievementSubject", "achievement": {
            "type": "Achievement", "name": "N", "criteria": {"narrative": "x"}}}},
}

FALLBACK = {
    "@included": {"@context": ctx(), "@id": "urn:i",
                  "@included": [{"@id": "urn:inc", "ex:p": "q"}]},
    "reverse properties": {"@context": ctx(parent={"@reverse": "ex:child"}),
                           "@id": "urn:r", "parent": {"@id": "urn:p", "ex:name": "P"}},
    "list of lists": {"@context": ctx(), "@id": "urn:ll", "ex:m": {"@list": [[1, 2], [3]]}},
    "type map": {"@context": ctx(byType={"@id": "ex:byType", "@container": "@type"}),
                 "@id": "urn:tm", "byType": {"ex:A": {"ex:v": 1}, "ex:B": "urn:b"}},
    "graph id map": {"@context": ctx(g={"@id": "ex:g", "@container": ["@graph", "@id"]}),
                     "@id": "urn:gm", "g": {"urn:g1": {"ex:v": 1}}},
}


@pytest.mark.parametrize("name", sorted(FAST))
def test_fast_path_matches_pyld(name: str) -> None:
    document = FAST[name]
    assert fast_path_handles(document)
    assert canonize(document) == reference(document)


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_unsupported_constructs_fall_back_to_pyld(name: str) -> None:
    document = FALLBACK[name]
    assert not fast_path_handles(document)
    assert canonize(document) == reference(document)


def test_cached_contexts_give_the_same_answer_twice() -> None:
    document = ob3_example()
    first = canonize(document)
    document["name"] = "Changed"
    second = canonize(document)
    assert first != second
    assert "Changed" in second
    document["name"] = ob3_example()["name"]
    assert canonize(document) == first


def test_unknown_context_is_refused_not_fetched() -> None:
    document = {"@context": [VC_V2, "https://evil.example/context.jsonld"],
                "type": "VerifiableCredential"}
    with pytest.raises(ContextNotAllowedError):
        canonize(document)


def test_unknown_scoped_context_url_is_refused() -> None:
    document = {"@context": [{"Thing": {"@id": "https://e.example/Thing",
                                        "@context": "https://evil.example/scoped"}}],
                "@type": "Thing", "https://e.example/p": "x"}
    with pytest.raises(ContextNotAllowedError):
        canonize(document)


def test_invalid_json_ld_raises_canonicalization_error() -> None:
    document = {"@context": [VC_V2, {"id": "https://attempt.example/redefine"}],
                "id": "urn:x", "type": "VerifiableCredential"}
    with pytest.raises(CanonicalizationError, match="protected term redefinition"):
        canonize(document)
