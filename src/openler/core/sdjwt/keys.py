"""Finding the issuer's key for an SD-JWT VC (SD-JWT VC draft, section 3.5,
"Issuer-signed JWT Verification Key Validation").

Two ways are supported: a fixed JWK the verifier already trusts, or a DID
(did:key offline, did:web through the resolver's fetcher): the header's
``kid`` is a DID URL whose DID must be the ``iss`` and whose method must be
listed under ``assertionMethod``. A key that is definitely not the issuer's
raises KeyMaterialError; a DID that cannot be fetched raises
DidResolutionError (the verifier reports "could not check").
"""

from __future__ import annotations

from typing import Any

from openler.core.dids import did_key_vm_id, is_listed_for, public_key_from_did_key
from openler.core.dids.document import public_key_from_vm
from openler.core.errors import (
    DidResolutionError,
    InvalidDidError,
    KeyMaterialError,
    UnsupportedDidMethodError,
)
from openler.core.sdjwt.jose import JoseKey, to_jose_key
from openler.core.sdjwt.verifier import IssuerKeyResolver


def static_key_resolver(key: Any) -> IssuerKeyResolver:
    """A resolver that always answers with one trusted key (JWK dict or key object)."""
    jose_key = to_jose_key(key)

    def resolve(issuer: str, header: dict[str, Any]) -> JoseKey:
        return jose_key

    return resolve


def did_key_resolver(resolver: Any) -> IssuerKeyResolver:
    """A resolver that reads the issuer's DID document through a DidResolver."""

    def resolve(issuer: str, header: dict[str, Any]) -> JoseKey:
        kid = header.get("kid")
        if kid is None and issuer.startswith("did:key:"):
            kid = did_key_vm_id(public_key_from_did_key(issuer))
        if not issuer.startswith("did:"):
            # SD-JWT VC 3.5: an https issuer publishes JWT VC Issuer Metadata, which this
            # resolver does not fetch; say "could not check" rather than "not the issuer's".
            raise DidResolutionError(issuer, "issuer metadata (non-DID issuers) is not supported")
        if not isinstance(kid, str) or not kid:
            raise KeyMaterialError("the SD-JWT names no key (kid) and its issuer is not a did:key")
        if kid.startswith("#"):
            kid = issuer + kid
        try:
            doc, vm = resolver.resolve_verification_method(kid)
        except UnsupportedDidMethodError as exc:
            raise DidResolutionError(kid, exc.reason) from None  # could not check
        except InvalidDidError as exc:
            raise KeyMaterialError(f"key {kid} not found: {exc.reason}") from None
        if doc.get("id") != issuer:
            raise KeyMaterialError(f"key {kid} is controlled by {doc.get('id')}, not {issuer}")
        if not is_listed_for(doc, kid, "assertionMethod"):
            raise KeyMaterialError(f"key {kid} is not listed for assertionMethod")
        if isinstance(vm.get("publicKeyJwk"), dict):
            return to_jose_key(vm["publicKeyJwk"])
        try:
            return to_jose_key(public_key_from_vm(vm))
        except InvalidDidError as exc:
            raise KeyMaterialError(f"key {kid} is unusable: {exc.reason}") from None

    return resolve
