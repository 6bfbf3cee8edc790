"""Verification: ordered, named checks with stable codes and plain-language messages.

Spec: VC Data Model 2.0 section 7.1 (verification), VC Data Integrity 1.0
section 4.4, Bitstring Status List v1.0 section 3.2, RFC 9901 section 7.
A bad credential is a result; exceptions (VerificationInputError) only for
input that is neither JSON nor an SD-JWT.
"""

from openler.core.verify.context import VerificationContext
from openler.core.verify.credential import verify_credential
from openler.core.verify.detect import verify_any
from openler.core.verify.messages import CATALOG, message
from openler.core.verify.presentation import verify_presentation
from openler.core.verify.result import Check, VerificationResult

__all__ = [
    "CATALOG",
    "Check",
    "VerificationContext",
    "VerificationResult",
    "message",
    "verify_any",
    "verify_credential",
    "verify_presentation",
]
