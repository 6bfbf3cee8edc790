"""verify_any: take whatever a user pasted or uploaded and pick the right verifier.

A JSON object whose ``type`` includes ``VerifiablePresentation`` is a
presentation; any other JSON value is treated as a credential (and fails
``well_formed`` if it is not one); compact ``~``-separated text is an SD-JWT VC
(VC Data Model 2.0 section 4.13, SD-JWT VC draft). Anything else raises
VerificationInputError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openler.core.verify.checks import as_list
from openler.core.verify.context import VerificationContext
from openler.core.verify.credential import parse_input, verify_parsed_credential
from openler.core.verify.presentation import verify_parsed_presentation
from openler.core.verify.result import VerificationResult


def verify_any(value: Any, *, ctx: VerificationContext | None = None) -> VerificationResult:
    """Verify a credential or a presentation, JSON or SD-JWT, detected automatically."""
    ctx = ctx or VerificationContext()
    parsed = parse_input(value)
    if isinstance(parsed, Mapping) and "VerifiablePresentation" in as_list(parsed.get("type")):
        return verify_parsed_presentation(parsed, ctx)
    return verify_parsed_credential(parsed, ctx)
