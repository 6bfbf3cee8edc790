"""Literal escaping in canonical N-Quads (RDFC-1.0 §4.4, "Canonical N-Quads"): the
spec escapes U+0008 as \\b, U+000C as \\f, the other controls U+0000-U+001F and U+007F
as \\uXXXX (uppercase hex), besides \\t \\n \\r \\" \\\\; pyld escapes only the last five
(rdf-canon in JS follows the spec, and so do we). Also: the package's ``to_rdf`` is
the function, not the walker module."""

from __future__ import annotations

import inspect

from pyld import jsonld

import openler.core.jsonld as jsonld_package
from openler.core.jsonld import canonize, canonize_quads, default_loader, parse_nquads, to_rdf
from openler.core.jsonld.nquads import escape_spec

EX = {"ex": "https://example.org/vocab#"}
TEXT = "a\bb\fc\x01d\x7fe\tf\ng\rh\"i\\j\x1fk"
EXPECTED = ('<urn:e> <https://example.org/vocab#s> '
            '"a\\bb\\fc\\u0001d\\u007Fe\\tf\\ng\\rh\\"i\\\\j\\u001Fk" .\n')


def test_control_characters_are_escaped_as_the_spec_says() -> None:
    document = {"@context": EX, "@id": "urn:e", "ex:s": TEXT}
    assert canonize(document).encode() == EXPECTED.encode()
    assert canonize(document, safe=True) == EXPECTED


def test_pyld_differs_only_in_those_characters() -> None:
    document = {"@context": EX, "@id": "urn:e", "ex:s": TEXT}
    theirs = jsonld.normalize(document, {"algorithm": "URDNA2015",
                                         "format": "application/n-quads",
                                         "documentLoader": default_loader()})
    assert theirs != EXPECTED
    assert "\b" in theirs and "\x7f" in theirs  # written raw by pyld
    assert canonize_quads(parse_nquads(theirs)) == EXPECTED  # same dataset, spec escaping


def test_escaping_is_the_same_on_every_path() -> None:
    value = {"@value": TEXT, "@language": "en"}  # value object path
    typed = {"@value": TEXT, "@type": "ex:D"}
    document = {"@context": {**EX, "j": {"@id": "ex:j", "@type": "@json"}}, "@id": "urn:e",
                "ex:v": value, "ex:t": typed, "j": {"k": TEXT}}
    out = canonize(document)
    assert f'"{escape_spec(TEXT)}"@en' in out
    assert f'"{escape_spec(TEXT)}"^^<https://example.org/vocab#D>' in out
    assert '\\u0001' in out and "\x01" not in out and "\x7f" not in out and "\b" not in out
    # a construct that goes to pyld (reverse property) gets the spec's escaping too
    reverse = {"@context": {**EX, "up": {"@reverse": "ex:down"}}, "@id": "urn:e",
               "ex:s": TEXT, "up": {"@id": "urn:u"}}
    assert EXPECTED in canonize(reverse)


def test_escape_spec_round_trips_through_the_parser() -> None:
    every = "".join(chr(c) for c in range(0x20)) + "\x7f\"\\é🎓"
    line = f'<urn:s> <urn:p> "{escape_spec(every)}" .\n'
    assert canonize_quads(line) == line
    assert parse_nquads(line)[0][2] == f'"{escape_spec(every)}"'


def test_to_rdf_is_the_function_after_the_canonicalizer_loaded() -> None:
    canonize({"@context": EX, "@id": "urn:x", "ex:p": 1})  # loads canon and the walker
    assert inspect.isfunction(jsonld_package.to_rdf)
    assert jsonld_package.to_rdf is to_rdf
    assert to_rdf({"@context": EX, "@id": "urn:x", "ex:p": 1}) == [
        ("<urn:x>", "<https://example.org/vocab#p>",
         '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', None)]
