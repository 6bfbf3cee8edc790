"""Shared fixtures for verification tests: keys, DIDs and a signed OB3 credential."""

from __future__ import annotations

from typing import Any

import pytest
from verify_fixtures import NOW, Party, ob3_credential

from openler.core.proofs import sign
from openler.core.verify import VerificationContext


@pytest.fixture(scope="session")
def issuer() -> Party:
    return Party()


@pytest.fixture(scope="session")
def holder() -> Party:
    return Party()


@pytest.fixture(scope="session")
def signed_ob3(issuer: Party, holder: Party) -> dict[str, Any]:
    return sign(
        ob3_credential(issuer.did, holder.did),
        keypair=issuer.keypair,
        verification_method=issuer.vm,
        created="2026-01-15T09:00:00Z",
    )


@pytest.fixture()
def ctx() -> VerificationContext:
    return VerificationContext(now=NOW)
