"""JSON-LD values as RDF literals (JSON-LD 1.1 Processing Algorithms §8.6 Object to
RDF Conversion), written the way pyld writes them so both paths give one dataset.

``@json`` literals use the JSON Canonicalization Scheme (RFC 8785), as §8.6 says.
"""

from __future__ import annotations

from typing import Any

from c14n.Canonicalize import canonicalize as _jcs

from openler.core.jsonld.nquads import RDF, RDF_LANGSTRING, XSD, XSD_STRING, literal

RDF_JSON = RDF + "JSON"
XSD_BOOLEAN = XSD + "boolean"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"


def _double(value: float) -> str:
    """xsd:double canonical form as pyld writes it (e.g. 1.5E0)."""
    mantissa, exponent = f"{value:1.15E}".split("E")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    exp = int(exponent)
    return f"{mantissa}E{exp}"


def to_literal(value: Any, datatype: str | None, language: str | None) -> str:
    """The RDF literal for a JSON-LD value (JSON-LD 1.1 §8.6 Object to RDF)."""
    if datatype == "@json":
        return literal(_jcs(value).decode(), RDF_JSON, None)
    if value is True or value is False:
        return literal("true" if value else "false", datatype or XSD_BOOLEAN, None)
    if isinstance(value, float) and not value.is_integer():
        return literal(_double(value), datatype or XSD_DOUBLE, None)
    if datatype == XSD_DOUBLE:
        try:
            number = float(value)
        except (ValueError, TypeError):
            return literal(value, XSD_DOUBLE, None)
        return literal(_double(number), XSD_DOUBLE, None)
    if isinstance(value, int | float):
        if abs(value) >= 1e21:
            return literal(_double(value), datatype or XSD_DOUBLE, None)
        return literal(str(int(value)), datatype or XSD_INTEGER, None)
    if language is not None:
        return literal(value, datatype or RDF_LANGSTRING, language)
    return literal(value, datatype or XSD_STRING, None)
