"""Credential Issuer and Authorization Server metadata, as the wallet reads them.

Spec: OpenID4VCI 1.0, sections 12.2.3 (``credential_issuer`` identical to the
identifier the metadata was fetched for), 12.2.4 (``credential_endpoint``,
``nonce_endpoint``, ``deferred_credential_endpoint``, ``notification_endpoint``,
``authorization_servers``, ``credential_request_encryption``,
``credential_response_encryption``, ``display``,
``credential_configurations_supported`` with ``format``,
``proof_types_supported`` and ``credential_metadata.display``) and 12.3
(``pre-authorized_grant_anonymous_access_supported``); RFC 8414 sections 2
(``token_endpoint``, ``authorization_endpoint``, ``grant_types_supported`` defaulting
to ``authorization_code`` and ``implicit``, ``code_challenge_methods_supported``) and
3.3 (``issuer`` identical to the identifier used); RFC 9126 section 5
(``pushed_authorization_request_endpoint``, ``require_pushed_authorization_requests``);
RFC 9207 section 3 (``authorization_response_iss_parameter_supported``); RFC 9396
section 10 (``authorization_details_types_supported``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from openler.wallet.models import FORMAT_DATA_INTEGRITY, FORMAT_SD_JWT, FORMAT_VC_JOSE
from openler.wallet.oid4vci_offer import OfferError, pick_display, split_url

# OpenID4VCI format identifiers (Appendix A) -> how the wallet keeps the record.
FORMATS = {
    "ldp_vc": FORMAT_DATA_INTEGRITY,
    "jwt_vc_json": FORMAT_VC_JOSE,
    "jwt_vc_json-ld": FORMAT_VC_JOSE,
    "dc+sd-jwt": FORMAT_SD_JWT,
    "vc+sd-jwt": FORMAT_SD_JWT,  # the SD-JWT VC media type before its rename
}
PROOF_ALGORITHM = "EdDSA"  # the learner's key is Ed25519
PROOF_ALGORITHM_NAMES = ("EdDSA", "Ed25519")  # RFC 9864 names the fully-specified one


def _endpoint(doc: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = doc.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > 2_000:
        raise OfferError("bad_metadata", f"{name} is missing or not a URL")
    parts = split_url(value, "bad_metadata")
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
        raise OfferError("bad_metadata", f"{name} is not an https URL")
    return value


@dataclass(frozen=True)
class Configuration:
    """One entry of ``credential_configurations_supported`` the wallet can ask for."""

    id: str
    format: str
    name: str
    description: str = ""
    proof_types: Mapping[str, Any] = field(default_factory=dict)
    binding: str = "did:key"  # how the proof names the key: a did:key kid, or a jwk header
    scope: str | None = None  # the OAuth scope that asks for it (section 12.2.4)

    @property
    def record_format(self) -> str:
        """How the wallet keeps a credential of this configuration."""
        return FORMATS[self.format]

    @property
    def needs_proof(self) -> bool:
        """Whether the issuer binds the credential to a key (then a key proof is sent)."""
        return bool(self.proof_types)


@dataclass(frozen=True)
class IssuerMetadata:
    """What the wallet uses of a Credential Issuer's metadata."""

    credential_issuer: str
    credential_endpoint: str
    name: str
    nonce_endpoint: str | None = None
    deferred_endpoint: str | None = None
    notification_endpoint: str | None = None
    authorization_servers: tuple[str, ...] = ()
    encryption_required: bool = False
    configurations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def parse_issuer_metadata(doc: Any, *, expected_issuer: str, language: str) -> IssuerMetadata:
    """Check Credential Issuer Metadata against the identifier it was fetched for."""
    if not isinstance(doc, Mapping):
        raise OfferError("bad_metadata", "the issuer metadata is not a JSON object")
    if doc.get("credential_issuer") != expected_issuer:
        raise OfferError("bad_metadata",
                         "credential_issuer differs from the identifier in the offer")
    servers = doc.get("authorization_servers", [])
    if not isinstance(servers, list) or not all(
            _endpoint({"server": s}, "server", required=True) for s in servers):
        raise OfferError("bad_metadata", "authorization_servers is not a list of URLs")
    configurations = doc.get("credential_configurations_supported")
    if not isinstance(configurations, Mapping) or not configurations:
        raise OfferError("bad_metadata", "credential_configurations_supported is missing")
    required = any(isinstance(doc.get(name), Mapping)
                   and doc[name].get("encryption_required") is True
                   for name in ("credential_response_encryption",
                                "credential_request_encryption"))
    display = pick_display(doc.get("display"), language)
    host = urlsplit(expected_issuer).hostname or expected_issuer
    return IssuerMetadata(
        credential_issuer=expected_issuer,
        credential_endpoint=_endpoint(doc, "credential_endpoint", required=True) or "",
        name=str(display.get("name") or host)[:200],
        nonce_endpoint=_endpoint(doc, "nonce_endpoint"),
        deferred_endpoint=_endpoint(doc, "deferred_credential_endpoint"),
        notification_endpoint=_endpoint(doc, "notification_endpoint"),
        authorization_servers=tuple(servers), encryption_required=required,
        configurations=dict(configurations))


def _credential_display(entry: Mapping[str, Any], language: str) -> dict[str, Any]:
    metadata = entry.get("credential_metadata")
    if isinstance(metadata, Mapping) and metadata.get("display") is not None:
        return pick_display(metadata.get("display"), language)
    return pick_display(entry.get("display"), language)  # where drafts before 1.0 put it


def _fallback_name(config_id: str, entry: Mapping[str, Any]) -> str:
    for key in ("credential_definition", "vct"):
        value = entry.get(key)
        if isinstance(value, Mapping) and isinstance(value.get("type"), list):
            names = [t for t in value["type"] if isinstance(t, str)
                     and t != "VerifiableCredential"]
            if names:
                return names[-1]
        if isinstance(value, str):
            return value.rstrip("/").rsplit("/", 1)[-1]
    return config_id


def configuration(metadata: IssuerMetadata, config_id: str, *,
                  language: str) -> Configuration:
    """The offered configuration, checked to be one this wallet can receive and keep."""
    entry = metadata.configurations.get(config_id)
    if not isinstance(entry, Mapping):
        raise OfferError("bad_metadata",
                         f"the offered configuration {config_id!r} is not in the metadata")
    fmt = entry.get("format")
    if not isinstance(fmt, str):
        raise OfferError("bad_metadata", f"configuration {config_id!r} has no format")
    if fmt not in FORMATS:
        raise OfferError("unsupported_format", fmt[:60])
    proof_types = entry.get("proof_types_supported") or {}
    if not isinstance(proof_types, Mapping):
        raise OfferError("bad_metadata", "proof_types_supported is not an object")
    if proof_types:
        jwt = proof_types.get("jwt")
        if not isinstance(jwt, Mapping):
            raise OfferError("unsupported_proof", "the issuer does not take jwt key proofs")
        algorithms = jwt.get("proof_signing_alg_values_supported", [])
        if isinstance(algorithms, list) and algorithms and not any(
                a in algorithms for a in PROOF_ALGORITHM_NAMES):
            raise OfferError("unsupported_proof", "the issuer does not take EdDSA key proofs")
        if jwt.get("key_attestations_required") is not None:
            raise OfferError("unsupported_proof", "the issuer requires a key attestation")
    binding = "did:key"
    methods = entry.get("cryptographic_binding_methods_supported")
    if proof_types and isinstance(methods, list) and methods and "did:key" not in methods:
        if "jwk" not in methods:
            raise OfferError("unsupported_proof", "the issuer binds neither a did:key nor a jwk")
        binding = "jwk"
    display = _credential_display(entry, language)
    scope = entry.get("scope")
    return Configuration(
        id=config_id, format=fmt,
        name=str(display.get("name") or _fallback_name(config_id, entry))[:200],
        description=str(display.get("description") or "")[:500]
        if isinstance(display.get("description", ""), str) else "",
        proof_types=dict(proof_types), binding=binding,
        scope=scope if isinstance(scope, str) and 0 < len(scope) <= 500 else None)


@dataclass(frozen=True)
class AuthorizationServer:
    """What the wallet uses of the Authorization Server's metadata."""

    issuer: str
    token_endpoint: str
    anonymous_access: bool = True
    pre_authorized: bool = True
    authorization_endpoint: str | None = None
    authorization_code: bool = True
    par_endpoint: str | None = None
    require_par: bool = False
    iss_parameter: bool = False  # RFC 9207: the callback must then carry ``iss``
    challenge_methods: tuple[str, ...] = ()
    details_types: tuple[str, ...] = ()

    @property
    def can_sign_in(self) -> bool:
        """Whether the learner can be sent to sign in here (authorization code flow)."""
        return self.authorization_code and self.authorization_endpoint is not None


def _strings(doc: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = doc.get(name)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def parse_as_metadata(doc: Any, *, expected_issuer: str) -> AuthorizationServer:
    """Check RFC 8414 metadata: the same issuer and a token endpoint."""
    if not isinstance(doc, Mapping):
        raise OfferError("bad_metadata", "the authorization server metadata is not an object")
    if doc.get("issuer") != expected_issuer:
        raise OfferError("bad_metadata", "the authorization server names another issuer")
    grants = doc.get("grant_types_supported")
    pre = not isinstance(grants, list) or "urn:ietf:params:oauth:grant-type:pre-authorized_code" \
        in grants
    code = not isinstance(grants, list) or "authorization_code" in grants
    anonymous = doc.get("pre-authorized_grant_anonymous_access_supported", False) is True
    return AuthorizationServer(
        expected_issuer, _endpoint(doc, "token_endpoint", required=True) or "", anonymous, pre,
        authorization_endpoint=_endpoint(doc, "authorization_endpoint"),
        authorization_code=code,
        par_endpoint=_endpoint(doc, "pushed_authorization_request_endpoint"),
        require_par=doc.get("require_pushed_authorization_requests") is True,
        iss_parameter=doc.get("authorization_response_iss_parameter_supported") is True,
        challenge_methods=_strings(doc, "code_challenge_methods_supported"),
        details_types=_strings(doc, "authorization_details_types_supported"))
