"""The Credential Response as the wallet reads it, and whose key the credential names.

Spec: OpenID4VCI 1.0, sections 8.1 (the issued credential is bound to the key the
wallet proved), 8.3 (``credentials[].credential``, ``transaction_id`` for
deferred issuance, ``notification_id``) and Appendix A (``ldp_vc`` credentials are
JSON objects; ``jwt_vc_json`` and SD-JWT VC credentials are strings); SD-JWT VC,
section 3.2.2.2 (``cnf`` with ``jwk`` or ``kid``); VC Data Model 2.0, section
4.4 (``credentialSubject.id``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from openler.wallet.models import FORMAT_DATA_INTEGRITY, FORMAT_SD_JWT
from openler.wallet.oid4vci_offer import OfferError


def credential_of(body: Any, fmt: str) -> tuple[dict[str, Any] | str, str | None]:
    """The first issued credential in the shape its format demands, and the notification id."""
    if not isinstance(body, Mapping):
        raise OfferError("bad_credential", "the credential response is not an object")
    if "transaction_id" in body and "credentials" not in body:
        raise OfferError("deferred")
    items = body.get("credentials")
    if not isinstance(items, list) or not items or not isinstance(items[0], Mapping):
        raise OfferError("bad_credential", "the response has no credentials")
    credential = items[0].get("credential")
    if fmt == FORMAT_DATA_INTEGRITY:
        if not isinstance(credential, dict):
            raise OfferError("bad_credential", "an ldp_vc credential must be a JSON object")
    elif not isinstance(credential, str) or not credential.strip():
        raise OfferError("bad_credential", "a JWT or SD-JWT credential must be a string")
    notification = body.get("notification_id")
    return credential, notification if isinstance(notification, str) else None


def _jwt_claims(compact: str) -> Mapping[str, Any]:
    try:
        payload = compact.split("~", 1)[0].split(".")[1]
        value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, UnicodeDecodeError, RecursionError):
        raise OfferError("bad_credential", "the JWT payload cannot be read") from None
    if not isinstance(value, Mapping):
        raise OfferError("bad_credential", "the JWT payload is not an object")
    return value


def _subject_ids(document: Mapping[str, Any]) -> list[str]:
    subjects = document.get("credentialSubject")
    items = subjects if isinstance(subjects, list) else [subjects]
    return [s["id"] for s in items if isinstance(s, Mapping) and isinstance(s.get("id"), str)]


def bound_to_holder(credential: dict[str, Any] | str, record_format: str, *, did: str,
                    jwk: Mapping[str, str]) -> bool | None:
    """Whether the credential names the learner's key (None: it names no holder at all)."""
    if isinstance(credential, dict):
        ids = _subject_ids(credential)
        return (did in ids) if ids else None
    claims = _jwt_claims(credential)
    if record_format == FORMAT_SD_JWT:
        cnf = claims.get("cnf")
        if not isinstance(cnf, Mapping):
            return None
        if isinstance(cnf.get("kid"), str):
            return str(cnf["kid"]).split("#", 1)[0] == did
        key = cnf.get("jwk")
        return isinstance(key, Mapping) and all(key.get(k) == v for k, v in jwk.items())
    names = [claims["sub"]] if isinstance(claims.get("sub"), str) else []
    inner = claims.get("vc") if isinstance(claims.get("vc"), Mapping) else claims
    names += _subject_ids(inner)  # type: ignore[arg-type]
    return (did in names) if names else None
