"""Material for verification tests: keys, DIDs and an OB3 credential builder."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys import KeyPair, generate_keypair

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OB3_CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class Party:
    """A key pair with its did:key and verification method id."""

    def __init__(self, algorithm: str = "Ed25519") -> None:
        self.keypair: KeyPair = generate_keypair(algorithm)  # type: ignore[arg-type]
        self.did = did_key_from_public(self.keypair.public_key())
        self.vm = did_key_vm_id(self.keypair.public_key())


def ob3_credential(issuer: str, subject: str | None, **extra: Any) -> dict[str, Any]:
    """An unsigned OB3 AchievementCredential with three skill alignments."""
    alignments = [
        {
            "type": ["Alignment"],
            "targetName": f"Skill {i}",
            "targetUrl": f"https://skills.example/esco/{i}",
            "targetFramework": "ESCO",
            "targetCode": f"S{i}",
        }
        for i in range(3)
    ]
    subject_obj: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://school.example/achievements/welding-1",
            "type": ["Achievement"],
            "name": "Welding I",
            "description": "Safe MIG welding of mild steel.",
            "criteria": {"narrative": "Pass the practical assessment."},
            "alignment": alignments,
        },
    }
    if subject is not None:
        subject_obj["id"] = subject
    doc: dict[str, Any] = {
        "@context": list(OB3_CONTEXTS),
        "id": "urn:uuid:0f1c2d3e-4b5a-4c6d-8e7f-102132435465",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Welding I",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example Technical College"},
        "validFrom": "2026-01-15T09:00:00Z",
        "credentialSubject": subject_obj,
    }
    doc.update(extra)
    return doc
