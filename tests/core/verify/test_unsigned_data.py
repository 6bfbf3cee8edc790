"""A credential carrying data its proof does not cover (JSON-LD safe mode, VC Data
Integrity 1.0 §4) fails the proof check with a plain message in both languages."""

from __future__ import annotations

import copy
from typing import Any

from verify_fixtures import NOW

from openler.core.verify import VerificationContext, verify_credential


def smuggled(signed_ob3: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(signed_ob3)
    out["credentialSubject"]["grade"] = "A+"  # no context defines it: it would go unsigned
    return out


def test_unsigned_property_fails_the_proof_check(signed_ob3: dict[str, Any],
                                                 ctx: VerificationContext) -> None:
    assert verify_credential(signed_ob3, ctx=ctx).verified
    result = verify_credential(smuggled(signed_ob3), ctx=ctx)
    proof = result.check("proof")
    assert (proof.status, proof.code, proof.could_not_check) == (
        "failed", "proof.unsigned_data", False)
    assert proof.message == "Contains information that the issuer's signature does not cover"
    assert "$.credentialSubject.grade" in proof.detail
    assert not result.verified


def test_unsigned_property_message_in_spanish(signed_ob3: dict[str, Any]) -> None:
    result = verify_credential(smuggled(signed_ob3),
                               ctx=VerificationContext(now=NOW, language="es"))
    assert result.check("proof").message == "Contiene información que la firma del emisor no cubre"
