"""The holder's side of SD-JWT (RFC 9901, sections 4.3 and 7.2-7.3): choose
which Disclosures to send and, when asked, add a Key Binding JWT.

Disclosing a path reveals that claim with everything under it; any claim
above it that is itself concealed is revealed too (otherwise the verifier
could not place it). The KB-JWT (typ ``kb+jwt``) carries ``iat``, ``aud``,
``nonce`` and ``sd_hash``, the digest of the presented SD-JWT.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from openler.core.errors import SdJwtIssuanceError
from openler.core.sdjwt.compact import decode_jwt, parse
from openler.core.sdjwt.encoding import digest
from openler.core.sdjwt.jose import sign_jws
from openler.core.sdjwt.paths import Path, parse_paths
from openler.core.sdjwt.processing import process

KB_JWT_TYP = "kb+jwt"


def _wanted(path: Path, chosen: frozenset[Path]) -> bool:
    return any(path[: len(q)] == q or q[: len(path)] == path for q in chosen)


def disclosure_paths(sd_jwt: str) -> dict[str, Path]:
    """Where each Disclosure of an SD-JWT lands, so a wallet can offer choices."""
    parts = parse(sd_jwt)
    return process(decode_jwt(parts.issuer_jwt).payload, parts.disclosures).paths


def key_binding_jwt(presented: str, *, holder_key: Any, nonce: str, audience: str,
                    issued_at: datetime | int | None = None) -> str:
    """Sign the KB-JWT that proves the holder controls ``cnf.jwk`` for this request."""
    if isinstance(issued_at, datetime):
        iat = int(issued_at.timestamp())
    else:
        iat = issued_at if issued_at is not None else int(time.time())
    payload = {"iat": iat, "aud": audience, "nonce": nonce, "sd_hash": digest(presented)}
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return sign_jws({"typ": KB_JWT_TYP}, raw, holder_key)


def present(
    sd_jwt: str,
    *,
    disclose: Iterable[str | tuple[str | int, ...]],
    holder_key: Any = None,
    nonce: str | None = None,
    audience: str | None = None,
    issued_at: datetime | int | None = None,
) -> str:
    """Reveal only the chosen claims, bound to this verifier's nonce and audience."""
    parts = parse(sd_jwt)
    processed = process(decode_jwt(parts.issuer_jwt).payload, parts.disclosures)
    if processed.problems:
        raise SdJwtIssuanceError(
            "the SD-JWT's disclosures do not fit its payload: " + processed.problems[0].detail)
    chosen = parse_paths(disclose)
    kept = tuple(d for d in parts.disclosures
                 if d in processed.paths and _wanted(processed.paths[d], chosen))
    presented = "~".join((parts.issuer_jwt, *kept)) + "~"
    if holder_key is None:
        return presented
    if nonce is None or audience is None:
        raise SdJwtIssuanceError("key binding needs both the verifier's nonce and audience")
    return presented + key_binding_jwt(presented, holder_key=holder_key, nonce=nonce,
                                       audience=audience, issued_at=issued_at)
