"""SD-JWT-based Verifiable Credentials: issue, present (with Key Binding), verify.

Spec: RFC 9901 (Selective Disclosure for JWTs) and IETF draft "SD-JWT-based
Verifiable Credentials (SD-JWT VC)", media type ``dc+sd-jwt``. Modules follow
the spec's roles: ``issuer``, ``holder``, ``verifier``.
"""

from openler.core.sdjwt.compact import SdJwtParts, decode_jwt, looks_like_sd_jwt, parse
from openler.core.sdjwt.encoding import Disclosure, decode_disclosure, make_disclosure
from openler.core.sdjwt.holder import disclosure_paths, present
from openler.core.sdjwt.issuer import SD_JWT_VC_TYP, issue_sd_jwt_vc
from openler.core.sdjwt.jose import public_jwk
from openler.core.sdjwt.keys import did_key_resolver, static_key_resolver
from openler.core.sdjwt.verifier import SdJwtCheck, SdJwtVerification, verify_sd_jwt_vc

__all__ = [
    "SD_JWT_VC_TYP",
    "Disclosure",
    "SdJwtCheck",
    "SdJwtParts",
    "SdJwtVerification",
    "decode_disclosure",
    "decode_jwt",
    "did_key_resolver",
    "disclosure_paths",
    "issue_sd_jwt_vc",
    "looks_like_sd_jwt",
    "make_disclosure",
    "parse",
    "present",
    "public_jwk",
    "static_key_resolver",
    "verify_sd_jwt_vc",
]
