"""Sign and verify an OB 3.0 AchievementCredential: OpenLER's core vs a pyld baseline.

The credential has three skill alignments and a BitstringStatusListEntry; the
status list is fetched from memory once and then served from the cache; the
issuer is a did:key (resolved offline). "verify" is the whole pipeline
(well-formed, schema, proof, issuer key, status, validity). The baseline runs
the same sign/verify code with the eddsa-rdfc-2022 suite's canonicalization
swapped for pyld's URDNA2015 ``normalize``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from bench.registry import Figure, register, time_ms

CREATED = "2026-01-15T09:00:00Z"
LIST_URL = "https://college.example/status/1"
SUITE = "eddsa-rdfc-2022"


def sample_credential(issuer: str, subject: str, status: dict[str, Any]) -> dict[str, Any]:
    """The benchmark credential: OB 3.0 with three alignments and a status entry."""
    alignments = [{"type": ["Alignment"], "targetName": name, "targetFramework": "ESCO",
                   "targetCode": code, "targetUrl": f"http://data.europa.eu/esco/skill/{code}"}
                  for name, code in (("weld metal", "S6.2.1"), ("use welding equipment",
                                                                "S6.2.2"),
                                     ("apply health and safety standards", "S3.1.4"))]
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2b0f7c1e-5a0d-4c55-9b7e-3f1d6a8e9c10",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": "MIG Welding Level 1",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example Technical College"},
        "validFrom": "2026-01-15T09:00:00Z",
        "credentialSubject": {
            "id": subject, "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://college.example/achievements/mig-1",
                "type": ["Achievement"], "name": "MIG Welding Level 1",
                "description": "Welds mild steel safely with MIG equipment.",
                "criteria": {"narrative": "Passed the observed practical assessment."},
                "alignment": alignments}},
        "credentialStatus": status,
    }


@contextlib.contextmanager
def pyld_canonicalization() -> Iterator[None]:
    """Temporarily make the eddsa-rdfc-2022 suite canonicalize with pyld (the baseline)."""
    from pyld import jsonld

    from openler.core.proofs.suites import CRYPTOSUITES

    def normalize(document: dict[str, Any], *, loader: Any = None, safe: bool = False) -> str:
        # pyld's own safe mode stands in for ours, so both sides do the same checks.
        return jsonld.normalize(document, {"algorithm": "URDNA2015",
                                           "format": "application/n-quads",
                                           "documentLoader": loader or default_loader(),
                                           "safe": safe})

    from openler.core.jsonld import default_loader

    original = CRYPTOSUITES[SUITE]
    CRYPTOSUITES[SUITE] = dataclasses.replace(original, transform=normalize,
                                              canonize_config=normalize)
    try:
        yield
    finally:
        CRYPTOSUITES[SUITE] = original


def setup() -> tuple[Any, Any, Any]:
    """Keys, a signed credential, and a verification context with a warm status cache."""
    from openler.core.dids import DidResolver, did_key_from_public, did_key_vm_id
    from openler.core.keys import generate_keypair
    from openler.core.proofs import sign
    from openler.core.schema import warm_up
    from openler.core.status import (
        BitstringStatusList,
        StatusListCache,
        status_entry,
        status_list_credential,
    )
    from openler.core.verify import VerificationContext

    issuer = generate_keypair("Ed25519")
    did, vm = did_key_from_public(issuer.public_key()), did_key_vm_id(issuer.public_key())
    holder = did_key_from_public(generate_keypair("Ed25519").public_key())
    listing = sign(status_list_credential(LIST_URL, did, "revocation",
                                          BitstringStatusList().encode(),
                                          datetime(2026, 1, 1, tzinfo=UTC)),
                   keypair=issuer, verification_method=vm, created=CREATED)
    credential = sample_credential(did, holder, status_entry(LIST_URL, 42, "revocation"))
    ctx = VerificationContext(resolver=DidResolver(), now=datetime(2026, 6, 1, tzinfo=UTC),
                              fetch_status_list={LIST_URL: listing}.__getitem__,
                              status_cache=StatusListCache(ttl_seconds=3600))
    warm_up()

    def do_sign() -> dict[str, Any]:
        return sign(credential, keypair=issuer, verification_method=vm, cryptosuite=SUITE,
                    created=CREATED)

    return do_sign, credential, ctx


@register("core")
def core_figures() -> list[Figure]:
    """core.sign_ms, core.verify_ms, their pyld baselines and the speed-ups."""
    from openler.core.verify import verify_credential

    do_sign, _, ctx = setup()
    signed = do_sign()

    def do_verify() -> Any:
        return verify_credential(signed, ctx=ctx)

    first = do_verify()
    if not first.verified:
        raise RuntimeError(f"benchmark credential does not verify: {first.to_dict()}")
    sign_ms, verify_ms = time_ms(do_sign), time_ms(do_verify)
    with pyld_canonicalization():
        if do_sign()["proof"]["proofValue"] != signed["proof"]["proofValue"]:
            raise RuntimeError("pyld and OpenLER canonical forms differ")
        if not do_verify().verified:
            raise RuntimeError("baseline pipeline does not verify")
        pyld_sign_ms, pyld_verify_ms = time_ms(do_sign), time_ms(do_verify)
    return [
        Figure("core.sign_ms", sign_ms, "ms"),
        Figure("core.verify_ms", verify_ms, "ms"),
        Figure("core.pyld_sign_ms", pyld_sign_ms, "ms"),
        Figure("core.pyld_verify_ms", pyld_verify_ms, "ms"),
        Figure("core.sign_speedup", pyld_sign_ms / sign_ms, "x"),
        Figure("core.verify_speedup", pyld_verify_ms / verify_ms, "x"),
    ]
