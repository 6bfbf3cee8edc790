"""Verifiable presentations: combine credentials and prove who is presenting them.

Spec: VC Data Model 2.0 section 4.13; VC Data Integrity 1.0 (authentication proofs).
"""

from openler.core.presentations.enveloped import envelope, is_enveloped, unwrap
from openler.core.presentations.presentation import (
    PresentationError,
    create_presentation,
    sign_presentation,
)

__all__ = [
    "PresentationError",
    "create_presentation",
    "envelope",
    "is_enveloped",
    "sign_presentation",
    "unwrap",
]
