"""N-Quads terms, serialization and a small parser (RDF 1.1 N-Quads; RDFC-1.0 §4.1
canonical N-Quads).

A quad is a tuple ``(subject, predicate, object, graph)`` of terms already in
their N-Quads spelling: ``<iri>``, ``_:label`` or a literal ``"..."`` with its
suffix; ``graph`` is ``None`` for the default graph. Keeping terms as strings
makes serialization a concatenation, which is what canonicalization does most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openler.core.errors import CanonicalizationError

Quad = tuple[str, str, str, str | None]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = RDF + "langString"
XSD_STRING = XSD + "string"

_SPEC_SPECIAL = re.compile('[\\\\"\x00-\x1f\x7f]')
_SPEC_ECHAR = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b",
               "\f": "\\f"}


def _spec_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _SPEC_ECHAR.get(ch) or f"\\u{ord(ch):04X}"


def escape_spec(value: str) -> str:
    """Escape a literal per RDFC-1.0 canonical N-Quads (ECHAR, else UCHAR for controls)."""
    if _SPEC_SPECIAL.search(value) is None:
        return value
    return _SPEC_SPECIAL.sub(_spec_char, value)


def literal(lexical: str, datatype: str, language: str | None, escape=escape_spec) -> str:
    """The N-Quads spelling of a literal (xsd:string and langString datatypes implied)."""
    text = '"' + escape(lexical) + '"'
    if datatype == RDF_LANGSTRING:
        return text + "@" + language if language else text
    if datatype == XSD_STRING:
        return text
    return text + "^^<" + datatype + ">"


def serialize(quads: Iterable[Quad]) -> str:
    """Sorted N-Quads text of ``quads``."""
    lines = [f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in quads]
    lines.sort()
    return "".join(lines)


# -- parsing (enough for the RDFC-1.0 test suite and canonical outputs) -----------

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ECHAR = re.compile(r"\\([tbnrf\"'\\])|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ECHAR_MAP = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
              "\\": "\\"}
_TERM = re.compile(
    r'\s*(?:<(?P<iri>[^>]*)>|(?P<bnode>_:[^\s.]+(?:\.[^\s.]+)*)'
    r'|"(?P<lit>(?:[^"\\]|\\.)*)"(?:\^\^<(?P<dt>[^>]*)>|@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*))?)'
)


def _unescape_iri(text: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _unescape_literal(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return _ECHAR_MAP[m.group(1)]
        return chr(int(m.group(2) or m.group(3), 16))

    return _ECHAR.sub(one, text)


def parse_nquads(text: str, *, escape=escape_spec, unique: bool = True) -> list[Quad]:
    """Parse N-Quads into quads with canonical term spellings; duplicates are dropped
    unless ``unique`` is false (pyld repeats some quads, e.g. equal empty lists)."""
    quads: dict[Quad, None] = {}
    repeats: list[Quad] = []
    for number, raw in enumerate(text.split("\n"), 1):  # not splitlines(): \f, \x1c... are data
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        terms: list[str] = []
        pos = 0
        while True:
            m = _TERM.match(line, pos)
            if m is None:
                break
            pos = m.end()
            if m.group("iri") is not None:
                terms.append("<" + _unescape_iri(m.group("iri")) + ">")
            elif m.group("bnode") is not None:
                terms.append(m.group("bnode"))
            else:
                lexical = _unescape_literal(m.group("lit"))
                if m.group("lang"):
                    terms.append(literal(lexical, RDF_LANGSTRING, m.group("lang"), escape))
                else:
                    dt = _unescape_iri(m.group("dt")) if m.group("dt") else XSD_STRING
                    terms.append(literal(lexical, dt, None, escape))
        if line[pos:].strip() != "." or len(terms) not in (3, 4):
            raise CanonicalizationError(f"N-Quads line {number} is not a quad: {raw!r}")
        graph = terms[3] if len(terms) == 4 else None
        quad = (terms[0], terms[1], terms[2], graph)
        if quad in quads and not unique:
            repeats.append(quad)
        quads[quad] = None
    return list(quads) + repeats
