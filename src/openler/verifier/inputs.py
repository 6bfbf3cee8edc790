"""Verify whatever a verifier was handed and keep the document it was read from.

The report names who issued what to whom, so besides the verification result
it needs the parsed document: the JSON of a credential or presentation, the
payload of a VC-JOSE token, or the SD-JWT text as given. Shared by the verify
page and the credit-for-prior-learning check.
"""

from __future__ import annotations

from typing import Any

from openler.core.errors import CoreError
from openler.core.sdjwt import looks_like_sd_jwt
from openler.core.verify import VerificationContext, VerificationResult, verify_any
from openler.core.verify.credential import parse_input
from openler.core.verify.vc_jose import decode_vc_jwt, looks_like_jws, verify_vc_jwt


def verify_with_document(value: Any, ctx: VerificationContext) -> tuple[VerificationResult, Any]:
    """The verification result and the document the report reads (None if unreadable)."""
    if isinstance(value, str | bytes):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        text = text.strip().lstrip("\ufeff")
        if not looks_like_sd_jwt(text) and looks_like_jws(text):
            try:
                payload: Any = decode_vc_jwt(text)[1]
            except CoreError:
                payload = None
            return verify_vc_jwt(text, ctx), payload
    document = parse_input(value)
    return verify_any(document, ctx=ctx), document
