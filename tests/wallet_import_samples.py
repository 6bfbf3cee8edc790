"""Credentials from issuers other than this instance, for the wallet import tests: an
OB 3.0 credential signed with a did:key made here (Data Integrity, VC-JOSE and SD-JWT VC),
an Open Badges 2.0 assertion, and badge images baked with either."""

from __future__ import annotations

import json
import struct
import zlib
from datetime import UTC, datetime
from typing import Any

from helpers import ob3_example
from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys import KeyPair, generate_keypair
from openler.core.proofs import sign
from openler.core.sdjwt import issue_sd_jwt_vc
from openler.core.sdjwt.jose import sign_jws

SIGNED_AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


class OtherIssuer:
    """An issuer on no OpenLER instance: a fresh did:key and its signatures."""

    def __init__(self, name: str = "Harbour Skills Institute",
                 keypair: KeyPair | None = None) -> None:
        self.keypair = keypair or generate_keypair("Ed25519")
        self.did = did_key_from_public(self.keypair.public_key())
        self.vm = did_key_vm_id(self.keypair.public_key())
        self.name = name

    def credential(self, *, name: str = "Marine Electrics", skill: str = "Wire a boat",
                   achievement_type: str = "Certificate", valid_from: str = "2026-01-10T00:00:00Z",
                   cid: str = "urn:uuid:0b6f2a40-1111-4c43-9d7e-5b1a3f0c2e11",
                   **extra: Any) -> dict[str, Any]:
        """An unsigned OB 3.0 credential from this issuer."""
        doc = ob3_example()
        doc["id"] = cid
        doc["issuer"] = {"id": self.did, "type": ["Profile"], "name": self.name}
        doc["validFrom"] = valid_from
        doc.pop("validUntil", None)
        doc.pop("proof", None)
        doc.pop("credentialStatus", None)
        doc.pop("credentialSchema", None)
        doc["credentialSubject"].pop("activityStartDate", None)
        doc["credentialSubject"].pop("activityEndDate", None)
        doc["name"] = name
        achievement = doc["credentialSubject"]["achievement"]
        achievement["name"] = name
        achievement["achievementType"] = achievement_type
        achievement["description"] = f"{name}: the course."
        achievement["alignment"] = [{"type": ["Alignment"], "targetName": skill,
                                     "targetUrl": "http://data.europa.eu/esco/skill/x1",
                                     "targetFramework": "ESCO", "targetCode": "x1"}]
        doc.update(extra)
        return doc

    def ldp(self, **kwargs: Any) -> dict[str, Any]:
        """The credential secured with an eddsa-rdfc-2022 Data Integrity proof."""
        return sign(self.credential(**kwargs), keypair=self.keypair, verification_method=self.vm,
                    created=SIGNED_AT)

    def vc_jwt(self, credential: dict[str, Any] | None = None, **kwargs: Any) -> str:
        """The credential secured with VC-JOSE-COSE (compact JWS, typ vc+jwt)."""
        payload = json.dumps(credential or self.credential(**kwargs)).encode("utf-8")
        return sign_jws({"typ": "vc+jwt", "kid": self.vm}, payload, self.keypair)

    def sd_jwt(self, **claims: Any) -> str:
        """A flat SD-JWT VC with every claim disclosed."""
        body = {"name": "Forklift Operation", "description": "Drives a forklift safely.",
                "issuer_name": self.name, **claims}
        return issue_sd_jwt_vc(body, disclosable=sorted(body), issuer_key=self.keypair,
                               issuer=self.did, kid=self.vm, vct="https://example.org/badge",
                               issued_at=SIGNED_AT)


def ob2_assertion(**changes: Any) -> dict[str, Any]:
    """A hosted Open Badges 2.0 assertion with its BadgeClass and issuer embedded."""
    doc = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://old-badges.example/assertions/77",
        "recipient": {"type": "email", "hashed": False, "identity": "ana@example.org"},
        "issuedOn": "2019-05-02T10:00:00Z",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass", "id": "https://old-badges.example/badges/first-aid",
            "name": "First Aid at Work", "description": "Gives first aid in the workplace.",
            "criteria": {"narrative": "Completed the two-day course."},
            "image": "https://old-badges.example/badges/first-aid.png",
            "alignment": [{"targetName": "Apply first aid",
                           "targetUrl": "http://data.europa.eu/esco/skill/first-aid"}],
            "issuer": {"type": "Profile", "id": "https://old-badges.example/issuer",
                       "name": "Old Badges Academy"},
        },
    }
    doc.update(changes)
    return doc


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def baked_png(text: str, keyword: str = "openbadgecredential", *,
              compressed: bool = False) -> bytes:
    """A 1x1 PNG with the badge text in an iTXt chunk."""
    data = text.encode("utf-8")
    body = (keyword.encode("latin-1") + b"\x00" + (b"\x01\x00" if compressed else b"\x00\x00")
            + b"\x00\x00" + (zlib.compress(data) if compressed else data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"iTXt", body)
            + _chunk(b"IDAT", zlib.compress(b"\x00\x00")) + _chunk(b"IEND", b""))


def baked_svg(text: str, *, ob3: bool = True) -> bytes:
    """An SVG with the badge in openbadges:credential (3.0) or openbadges:assertion (2.0)."""
    namespace = "https://purl.imsglobal.org/ob/v3p0" if ob3 else "http://openbadges.org"
    element = "credential" if ob3 else "assertion"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{namespace}" '
            f'width="10" height="10"><openbadges:{element}><![CDATA[{text}]]>'
            f'</openbadges:{element}><rect width="10" height="10"/></svg>').encode()
