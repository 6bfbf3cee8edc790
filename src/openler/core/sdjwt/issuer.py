"""Issuing an SD-JWT VC (RFC 9901 section 4; SD-JWT-based Verifiable
Credentials draft, sections 3.1-3.2).

The issuer replaces each disclosable claim by the digest of a Disclosure
(``_sd`` arrays for object properties, ``{"...": digest}`` for array
elements), working from the leaves up so nested claims can be disclosable
inside disclosable claims. ``_sd`` arrays are sorted, optionally padded with
decoy digests, and ``_sd_alg`` is ``sha-256``.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from openler.core.errors import SdJwtIssuanceError
from openler.core.sdjwt.encoding import SD_ALG, Disclosure, b64url_encode, digest, make_disclosure
from openler.core.sdjwt.jose import public_jwk, sign_jws
from openler.core.sdjwt.paths import Path, format_path, parse_paths

SD_JWT_VC_TYP = "dc+sd-jwt"
# SD-JWT VC draft 3.2.2: these registered claims must never be selectively disclosable.
NEVER_DISCLOSABLE = frozenset({"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"})
_PAYLOAD_CLAIMS = frozenset({*NEVER_DISCLOSABLE, "iat", "_sd", "_sd_alg"})


def _timestamp(value: datetime | int | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return int(value.timestamp())


class _Concealer:
    def __init__(self, targets: frozenset[Path], decoys: int,
                 random_bytes: Callable[[int], bytes]) -> None:
        self.targets = targets
        self.decoys = decoys
        self.random_bytes = random_bytes
        self.disclosures: list[Disclosure] = []
        self.seen: set[Path] = set()

    def salt(self) -> str:
        return b64url_encode(self.random_bytes(16))

    def _disclose(self, path: Path, name: str | None, value: Any) -> str:
        self.seen.add(path)
        disclosure = make_disclosure(self.salt(), name, value)
        self.disclosures.append(disclosure)
        return disclosure.digest

    def conceal(self, value: Any, path: Path) -> Any:
        if isinstance(value, Mapping):
            kept: dict[str, Any] = {}
            digests: list[str] = []
            for key, item in value.items():
                child = (*path, key)
                inner = self.conceal(item, child)
                if child in self.targets:
                    digests.append(self._disclose(child, key, inner))
                else:
                    kept[key] = inner
            if digests:
                digests += [digest(self.salt()) for _ in range(self.decoys)]
                kept["_sd"] = sorted(digests)
            return kept
        if isinstance(value, list):
            out: list[Any] = []
            for index, item in enumerate(value):
                child = (*path, index)
                inner = self.conceal(item, child)
                out.append({"...": self._disclose(child, None, inner)}
                           if child in self.targets else inner)
            return out
        return value


def issue_sd_jwt_vc(
    claims: Mapping[str, Any],
    *,
    disclosable: Iterable[str | tuple[str | int, ...]],
    issuer_key: Any,
    issuer: str,
    vct: str,
    holder_jwk: Any = None,
    kid: str | None = None,
    issued_at: datetime | int | None = None,
    expires_at: datetime | int | None = None,
    not_before: datetime | int | None = None,
    status: Mapping[str, Any] | None = None,
    decoys: int = 0,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> str:
    """Sign an SD-JWT VC whose listed claims the holder can later reveal one by one."""
    targets = parse_paths(disclosable)
    for path in targets:
        if not path:
            raise SdJwtIssuanceError("an empty path cannot be disclosable")
        if len(path) == 1 and path[0] in _PAYLOAD_CLAIMS:
            raise SdJwtIssuanceError(f"claim {path[0]!r} must not be selectively disclosable")
    clash = _PAYLOAD_CLAIMS.intersection(claims)
    if clash:
        raise SdJwtIssuanceError(f"claims may not set {sorted(clash)}; use the keyword arguments")
    concealer = _Concealer(targets, max(0, decoys), random_bytes)
    body = concealer.conceal(dict(claims), ())
    missing = targets - concealer.seen
    if missing:
        raise SdJwtIssuanceError(
            "disclosable paths not found in the claims: "
            + ", ".join(sorted(format_path(p) for p in missing)))
    iat = _timestamp(issued_at)
    payload: dict[str, Any] = {"iss": issuer, "vct": vct,
                               "iat": iat if iat is not None else int(time.time())}
    for name, value in (("exp", expires_at), ("nbf", not_before)):
        if value is not None:
            payload[name] = _timestamp(value)
    if holder_jwk is not None:
        payload["cnf"] = {"jwk": public_jwk(holder_jwk)}
    if status is not None:
        payload["status"] = dict(status)
    payload.update(body)
    payload["_sd_alg"] = SD_ALG
    header: dict[str, Any] = {"typ": SD_JWT_VC_TYP}
    if kid:
        header["kid"] = kid
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    token = sign_jws(header, raw, issuer_key)
    return "~".join([token, *(d.encoded for d in concealer.disclosures)]) + "~"
