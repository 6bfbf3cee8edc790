"""Building and signing verifiable presentations.

Spec: VC Data Model 2.0 section 4.13 (Verifiable Presentations: ``holder``,
``verifiableCredential``, enveloped credentials) and VC Data Integrity 1.0
sections 2.2 (proof purpose ``authentication``) and 2.1 (``challenge`` and
``domain`` that bind a presentation to one verifier's request).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from openler.core.errors import PresentationError
from openler.core.jsonld import DocumentLoader
from openler.core.keys import KeyPair
from openler.core.presentations.enveloped import envelope
from openler.core.proofs import sign

VC_V2 = "https://www.w3.org/ns/credentials/v2"


def _member(credential: Mapping[str, Any] | str) -> dict[str, Any]:
    if isinstance(credential, str):
        token = credential.strip()
        if "~" not in token:
            raise PresentationError("a credential given as text must be a compact SD-JWT VC")
        return envelope(token)
    if not isinstance(credential, Mapping):
        raise PresentationError(f"unsupported credential type {type(credential).__name__}")
    return dict(credential)


def create_presentation(credentials: Iterable[Mapping[str, Any] | str], *, holder: str,
                        id: str | None = None,
                        extra_contexts: Iterable[str] = ()) -> dict[str, Any]:
    """An unsigned presentation carrying credentials from one or several issuers."""
    if not isinstance(holder, str) or not holder:
        raise PresentationError("a presentation needs the holder's DID")
    vp: dict[str, Any] = {"@context": [VC_V2, *extra_contexts]}
    if id is not None:
        vp["id"] = id
    vp["type"] = ["VerifiablePresentation"]
    vp["holder"] = holder
    vp["verifiableCredential"] = [_member(c) for c in credentials]
    return vp


def sign_presentation(vp: Mapping[str, Any], *, keypair: KeyPair, verification_method: str,
                      challenge: str, domain: str | None = None,
                      cryptosuite: str = "eddsa-rdfc-2022",
                      created: datetime | str | None = None,
                      loader: DocumentLoader | None = None) -> dict[str, Any]:
    """A new presentation with an authentication proof bound to the verifier's challenge."""
    if not challenge:
        raise PresentationError("an authentication proof needs the verifier's challenge")
    return sign(vp, keypair=keypair, verification_method=verification_method,
                cryptosuite=cryptosuite, proof_purpose="authentication", created=created,
                challenge=challenge, domain=domain, loader=loader)
