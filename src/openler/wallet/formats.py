"""Telling what a learner brought to the wallet: which credential format, or which baked image.

Spec: W3C VC Data Model 2.0, sections 4 and 4.13 (credentials, presentations,
EnvelopedVerifiableCredential); W3C VC-JOSE-COSE, section 3.1.1 (``vc+jwt``);
RFC 9901 section 4 (compact SD-JWT); Open Badges 2.0, "Assertion" and
"Baking Specification" (PNG ``iTXt`` keyword ``openbadges``, SVG
``openbadges:assertion``); 1EdTech Open Badges 3.0, section 5.3 (baked
images: PNG ``iTXt`` keyword ``openbadgecredential``, SVG
``openbadges:credential``). Detection never verifies anything: it only says
what the input is, or raises ImportRefused with a code the page explains.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree as SafeXml
from defusedxml.common import DefusedXmlException

from openler.core.errors import SdJwtError
from openler.core.sdjwt import decode_jwt, looks_like_sd_jwt
from openler.core.verify.vc_jose import looks_like_jws
from openler.wallet.errors import WalletError
from openler.wallet.models import (
    FORMAT_DATA_INTEGRITY,
    FORMAT_OB2,
    FORMAT_SD_JWT,
    FORMAT_VC_JOSE,
)

MAX_BYTES = 1_000_000  # the import limit (1 MB), for files and pasted text alike
MAX_IN_PRESENTATION = 50
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = (b"openbadgecredential", b"openbadges")
SVG_NAMESPACES = ("https://purl.imsglobal.org/ob/v3p0", "http://openbadges.org")
SVG_ELEMENTS = ("credential", "assertion")

# Why an input cannot be imported: the page turns each code into a sentence.
REFUSAL_CODES = ("empty", "too_big", "not_text", "not_readable", "not_credential",
                 "unsupported", "bad_image", "no_badge_in_image", "hosted_only",
                 "duplicate", "empty_presentation")


class ImportRefused(WalletError):
    """The input cannot become a record (its ``code`` is one of REFUSAL_CODES)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"import refused: {code}{': ' + detail if detail else ''}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Candidate:
    """One credential found in the input, in the form the wallet keeps it."""

    credential: dict[str, Any] | str
    record_format: str
    signed_ob2: bool = False  # an Open Badges 2.0 assertion that arrived as a JWS


@dataclass(frozen=True, slots=True)
class Detected:
    """What the input is: one credential, or a presentation holding several."""

    candidates: tuple[Candidate, ...]
    presentation: bool = False


def _types(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _contexts(doc: Mapping[str, Any]) -> list[Any]:
    return _types(doc.get("@context"))


def is_ob2(doc: Mapping[str, Any]) -> bool:
    """An Open Badges 2.0 assertion (its context, and type Assertion)."""
    return OB2_CONTEXT in _contexts(doc) and "Assertion" in _types(doc.get("type"))


def _is_presentation(doc: Mapping[str, Any]) -> bool:
    return "VerifiablePresentation" in _types(doc.get("type"))


def _is_credential(doc: Mapping[str, Any]) -> bool:
    return "VerifiableCredential" in _types(doc.get("type")) or "credentialSubject" in doc


def _from_json(doc: Any) -> Detected:
    if not isinstance(doc, Mapping):
        raise ImportRefused("not_credential", "the JSON is not an object")
    if is_ob2(doc):
        return Detected((Candidate(dict(doc), FORMAT_OB2),))
    if (token := _enveloped(doc)) is not None:
        return _from_text(token)
    if _is_presentation(doc):
        return _from_presentation(doc)
    if _is_credential(doc):
        return Detected((Candidate(dict(doc), FORMAT_DATA_INTEGRITY),))
    if OB2_CONTEXT in _contexts(doc):
        raise ImportRefused("unsupported", "an Open Badges 2.0 document that is not an assertion")
    raise ImportRefused("not_credential", "no VerifiableCredential type or credentialSubject")


def _enveloped(item: Mapping[str, Any]) -> str | None:
    """The token inside an EnvelopedVerifiableCredential (a ``data:`` URL), if it is one."""
    target = item.get("id")
    if "EnvelopedVerifiableCredential" in _types(item.get("type")) and isinstance(target, str) \
            and target.startswith("data:") and "," in target:
        return target.split(",", 1)[1]
    return None


def _from_presentation(doc: Mapping[str, Any]) -> Detected:
    found: list[Candidate] = []
    for item in _types(doc.get("verifiableCredential"))[:MAX_IN_PRESENTATION]:
        try:
            if isinstance(item, Mapping) and (token := _enveloped(item)) is not None:
                found.extend(_from_text(token).candidates)
            elif isinstance(item, Mapping):
                found.extend(_from_json(item).candidates)
            elif isinstance(item, str):
                found.extend(_from_text(item).candidates)
        except ImportRefused:
            continue  # one unreadable entry does not hide the others
    if not found:
        raise ImportRefused("empty_presentation")
    return Detected(tuple(found), presentation=True)


def _from_jws(token: str) -> Detected:
    try:
        jwt = decode_jwt(token)
    except SdJwtError as exc:
        raise ImportRefused("not_readable", str(exc)) from None
    payload = jwt.payload
    if is_ob2(payload):
        return Detected((Candidate(dict(payload), FORMAT_OB2, signed_ob2=True),))
    vc, vp = payload.get("vc"), payload.get("vp")
    if isinstance(vp, Mapping):
        return _from_presentation(vp)
    if _is_presentation(payload):
        return _from_presentation(payload)
    if _is_credential(vc if isinstance(vc, Mapping) else payload):
        return Detected((Candidate(token, FORMAT_VC_JOSE),))
    raise ImportRefused("not_credential", "the JWT does not carry a credential")


def _from_text(text: str) -> Detected:
    text = text.strip().lstrip("\ufeff").strip()
    if not text:
        raise ImportRefused("empty")
    if looks_like_sd_jwt(text):
        return Detected((Candidate(text, FORMAT_SD_JWT),))
    if looks_like_jws(text):
        return _from_jws(text)
    if text.startswith(("http://", "https://")) and len(text.split()) == 1:
        raise ImportRefused("hosted_only", "a web address, not the badge itself")
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        raise ImportRefused("not_readable", "neither JSON, a JWT nor an SD-JWT") from None
    return _from_json(parsed)


def _png_text(data: bytes) -> str:
    """The baked text of a PNG (OB 3.0 keyword first, then OB 2.0)."""
    found: dict[bytes, str] = {}
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if len(body) != length:
            raise ImportRefused("bad_image", "the PNG is cut short")
        at += 12 + length
        if kind in (b"iTXt", b"tEXt") and b"\x00" in body:
            keyword, rest = body.split(b"\x00", 1)
            if keyword in PNG_KEYWORDS and keyword not in found:
                found[keyword] = _png_chunk_text(kind, rest)
        if kind == b"IEND":
            break
    for keyword in PNG_KEYWORDS:
        if keyword in found:
            return found[keyword]
    raise ImportRefused("no_badge_in_image")


def _png_chunk_text(kind: bytes, rest: bytes) -> str:
    try:
        if kind == b"tEXt":
            return rest.decode("latin-1")
        compressed, _method = rest[0], rest[1]
        _language, rest = rest[2:].split(b"\x00", 1)
        _translated, text = rest.split(b"\x00", 1)
        if compressed:
            inflater = zlib.decompressobj()
            text = inflater.decompress(text, MAX_BYTES + 1)
            if len(text) > MAX_BYTES:
                raise ImportRefused("too_big", "the baked text is larger than 1 MB")
        return text.decode("utf-8")
    except (IndexError, ValueError, zlib.error):
        raise ImportRefused("bad_image", "the badge text in the PNG is damaged") from None


def _svg_text(data: bytes) -> str:
    """The baked text of an SVG: the element's content, or its ``verify`` address."""
    try:
        root = SafeXml.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SafeXml.ParseError, ValueError):
        raise ImportRefused("bad_image", "the SVG is not readable XML") from None
    for element_name in SVG_ELEMENTS:
        for namespace in SVG_NAMESPACES:
            for element in root.iter(f"{{{namespace}}}{element_name}"):
                text = "".join(element.itertext()).strip()
                if text:
                    return text
                if element.get("verify"):
                    raise ImportRefused("hosted_only", str(element.get("verify")))
    raise ImportRefused("no_badge_in_image")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()


def detect(data: bytes | str) -> Detected:
    """What an uploaded file or pasted text holds; ImportRefused with its reason if nothing usable."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BYTES:
        raise ImportRefused("too_big")
    if not raw.strip():
        raise ImportRefused("empty")
    if raw.startswith(PNG_SIGNATURE):
        return _from_text(_png_text(raw))
    if raw[:3] in (b"\xff\xd8\xff", b"GIF") or raw[:4] in (b"%PDF", b"RIFF"):
        raise ImportRefused("unsupported", "an image or document type without a baked badge")
    if _looks_like_svg(raw):
        return _from_text(_svg_text(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportRefused("not_text") from None
    return _from_text(text)


def media_type(record_format: str) -> tuple[str, str]:
    """The media type and file extension a record of this format downloads as."""
    return {
        FORMAT_VC_JOSE: ("application/vc+jwt", "jwt"),
        FORMAT_SD_JWT: ("application/dc+sd-jwt", "sd-jwt"),
    }.get(record_format, ("application/json", "json"))
