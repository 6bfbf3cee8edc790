"""Published canonical forms: 1EdTech OB 3.0 / CLR 2.0 implementation-guide vectors
and the W3C vc-di-eddsa / vc-di-ecdsa test vectors."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from helpers import shared_dir
from openler.core.jsonld import (
    DocumentLoader,
    canonize,
    canonize_quads,
    default_loader,
    parse_nquads,
)

VECTORS = shared_dir() / "vectors"
OB3 = VECTORS / "ob3"
# The W3C vectors name the examples context; it is a single @vocab (VC 2.0 §B.3).
EXAMPLES_LOADER = DocumentLoader(
    extra={
        "https://www.w3.org/ns/credentials/examples/v2": {
            "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
        },
    }
)


def _json(path: Path) -> dict:
    return json.loads(path.read_text())


def test_clr_document_before_signing_matches_the_published_canonical_form() -> None:
    document = _json(OB3 / "clrv2p0" / "document-before-signing.json")
    assert canonize(document) == (OB3 / "clrv2p0" / "document-canon.txt").read_text()


def test_clr_signed_credential_without_proof_gives_the_same_canonical_form() -> None:
    signed = _json(OB3 / "clrv2p0" / "signed-credential.json")
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    assert canonize(unsigned) == (OB3 / "clrv2p0" / "document-canon.txt").read_text()


def test_clr_proof_configuration_matches_the_published_canonical_form() -> None:
    document = _json(OB3 / "clrv2p0" / "document-before-signing.json")
    proof = _json(OB3 / "clrv2p0" / "proof.json")
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    assert canonize(config) == (OB3 / "clrv2p0" / "proof-canon.txt").read_text()


def test_ob3_teamwork_badge_matches_the_published_canonical_form() -> None:
    # The implementation guide's "Teamwork Badge" credential, rebuilt from its
    # canonical form with the OB 3.0.3 context.
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "http://example.com/credentials/3527",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://example.edu/issuers/565049",
            "type": ["Profile"],
            "name": "Example Corp",
            "url": "https://www.imsglobal.org",
        },
        "validFrom": "2010-01-01T00:00:00Z",
        "name": "Teamwork Badge",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.com/achievements/21st-century-skills/teamwork",
                "type": ["Achievement"],
                "criteria": {
                    "narrative": "Team members are nominated for this badge by their "
                    "peers and recognized upon review by Example Corp "
                    "management."
                },
                "description": "This badge recognizes the development of the capacity to "
                "collaborate within a group environment.",
                "name": "Teamwork",
            },
        },
    }
    assert canonize(document) == (OB3 / "obv3p0" / "document-canon.txt").read_text()
    config = {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "created": "2010-01-01T19:23:24Z",
        "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": "https://example.edu/issuers/565049#"
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
        "proofPurpose": "assertionMethod",
    }
    assert canonize(config) == (OB3 / "obv3p0" / "proof-canon.txt").read_text()


@pytest.mark.parametrize("name", ["obv3p0/document-canon.txt", "clrv2p0/document-canon.txt"])
def test_published_canonical_forms_are_fixpoints(name: str) -> None:
    text = (OB3 / name).read_text()
    assert canonize_quads(text) == text


W3C = [
    ("vc-di-eddsa", "eddsa-rdfc-2022", "DataInt"),
    ("vc-di-ecdsa", "ecdsa-rdfc-2019-p256", "ECDSAP256"),
]


@pytest.mark.parametrize(("folder", "suite", "suffix"), W3C)
def test_w3c_unsigned_credential_canonical_form(folder: str, suite: str, suffix: str) -> None:
    document = _json(VECTORS / folder / "unsigned.json")
    expected = (VECTORS / folder / suite / f"canonDoc{suffix}.txt").read_text()
    assert canonize(document, loader=EXAMPLES_LOADER) == expected


@pytest.mark.parametrize(("folder", "suite", "suffix"), W3C)
def test_w3c_proof_configuration_canonical_form(folder: str, suite: str, suffix: str) -> None:
    config = _json(VECTORS / folder / suite / f"proofConfig{suffix}.json")
    expected = (VECTORS / folder / suite / f"proofCanon{suffix}.txt").read_text()
    assert canonize(config, loader=EXAMPLES_LOADER) == expected


def test_signed_w3c_credential_keeps_its_proof_in_a_named_graph() -> None:
    signed = _json(VECTORS / "vc-di-eddsa" / "eddsa-rdfc-2022" / "signedDataInt.json")
    quads = parse_nquads(canonize(signed, loader=EXAMPLES_LOADER))
    proof_value = [q for q in quads if q[1] == "<https://w3id.org/security#proofValue>"]
    assert len(proof_value) == 1
    graph = proof_value[0][3]
    assert graph is not None and graph.startswith("_:c14n")
    assert (f"<{signed['id']}>", "<https://w3id.org/security#proof>", graph, None) in quads


def test_canonize_does_not_mutate_its_input() -> None:
    document = _json(OB3 / "clrv2p0" / "document-before-signing.json")
    before = copy.deepcopy(document)
    canonize(document, loader=default_loader())
    assert document == before
