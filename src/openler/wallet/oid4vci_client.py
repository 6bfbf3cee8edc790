"""The wallet side of OpenID4VCI 1.0: take a credential offered by any issuer, with the
learner's own key, over the app's SSRF-guarded HTTP port.

Spec: OpenID4VCI 1.0, sections 4.1.3 (fetch ``credential_offer_uri`` with GET),
6.1-6.3 (Token Request with ``grant_type``
``urn:ietf:params:oauth:grant-type:pre-authorized_code``, ``pre-authorized_code``
and ``tx_code``, form-encoded; Token Response with ``authorization_details``
carrying ``credential_identifiers``; errors ``invalid_request``,
``invalid_grant``, ``invalid_client``), 7 (Nonce Endpoint: POST, ``c_nonce``),
8.2 (Credential Request: ``credential_identifier`` or
``credential_configuration_id``, ``proofs``), 8.3 (Credential Response:
``credentials[].credential``, ``transaction_id`` for deferred issuance,
``notification_id``), 8.3.1.2 (Credential Error Response), 11 (Notification
Endpoint: ``credential_accepted``), 12.2.2 and 12.3 (metadata discovery).
The pre-authorized code flow is run here end to end; an offer that needs the
learner to sign in at the issuer (authorization code flow) is read here and sent
through ``oid4vci_authorize``, which ends with the same ``collect`` steps.
Every failure is an ``OfferError`` whose code the pages turn into plain words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openler.core.dids.ports import FetchResponse
from openler.core.errors import DidResolutionError
from openler.core.keys.multikey import KeyPair
from openler.wallet.oid4vci_credential import bound_to_holder, credential_of
from openler.wallet.oid4vci_http import (
    GONE,
    JSON_ACCEPT,
    HttpPort,
    get,
    issuer_error,
    post,
    read_json,
    refusal,
)
from openler.wallet.oid4vci_metadata import (
    AuthorizationServer,
    Configuration,
    IssuerMetadata,
    configuration,
    parse_as_metadata,
    parse_issuer_metadata,
)
from openler.wallet.oid4vci_offer import (
    AS_WELL_KNOWN,
    ISSUER_WELL_KNOWN,
    OIDC_WELL_KNOWN,
    PRE_AUTHORIZED,
    CredentialOffer,
    OfferError,
    OfferLink,
    TxCode,
    appended_url,
    parse_offer,
    parse_offer_link,
    well_known_url,
)
from openler.wallet.oid4vci_proof import key_proof, public_jwk

__all__ = ["HttpPort", "OfferError", "OfferPreview", "Received", "bound_to_holder",
           "check_tx_code", "collect", "load_metadata", "notify_accepted", "read_offer",
           "receive", "refusal", "resolve_offer", "token_body"]


@dataclass(frozen=True)
class OfferPreview:
    """What the learner reads before saying yes: who offers what, and whether a code is asked."""

    offer: CredentialOffer
    issuer: IssuerMetadata
    server: AuthorizationServer
    configuration: Configuration

    @property
    def issuer_name(self) -> str:
        """The issuer's display name from its metadata (its host name when it has none)."""
        return self.issuer.name

    @property
    def credential_name(self) -> str:
        """The offered credential's display name."""
        return self.configuration.name

    @property
    def tx_code(self) -> TxCode | None:
        """The transaction code the issuer asks for, if any."""
        return self.offer.tx_code

    @property
    def sign_in(self) -> bool:
        """Whether the learner signs in at the issuer first (authorization code flow)."""
        return self.offer.pre_authorized_code is None


@dataclass(frozen=True)
class Received:
    """A credential the issuer handed over, not yet stored."""

    credential: dict[str, Any] | str
    record_format: str
    configuration_id: str
    notification_id: str | None = None
    access_token: str = ""


def resolve_offer(link: OfferLink, *, http: HttpPort, language: str = "en") -> CredentialOffer:
    """The Credential Offer object: as given, or fetched from ``credential_offer_uri``."""
    if link.offer is not None:
        return parse_offer(link.offer)
    assert link.offer_uri is not None
    response = get(http, link.offer_uri, language=language)
    if response.status in GONE:
        raise OfferError("offer_gone", f"HTTP {response.status}")
    if response.status != 200:
        raise OfferError("issuer_unreachable", f"offer URI answered HTTP {response.status}")
    return parse_offer(read_json(response, "malformed_offer", "the offer"))


def _metadata_doc(http: HttpPort, identifier: str, suffix: str, *, language: str,
                  fallback: str | None = None) -> Any:
    urls = [well_known_url(identifier, suffix)]
    if fallback is not None:
        urls.append(fallback)
    for url in dict.fromkeys(urls):
        response = get(http, url, language=language)
        if response.status == 200:
            return read_json(response, "bad_metadata", "the metadata")
        if response.status != 404:
            raise OfferError("issuer_unreachable", f"metadata answered HTTP {response.status}")
    raise OfferError("bad_metadata", f"no metadata at {urls[0]}")


def load_metadata(offer: CredentialOffer, *, http: HttpPort, language: str = "en",
                  sign_in: bool = False) -> tuple[IssuerMetadata, AuthorizationServer]:
    """Credential Issuer Metadata and the metadata of the Authorization Server to use."""
    issuer_path = offer.credential_issuer.split("://", 1)[-1].partition("/")[2].strip("/")
    doc = _metadata_doc(http, offer.credential_issuer, ISSUER_WELL_KNOWN, language=language,
                        fallback=appended_url(offer.credential_issuer, ISSUER_WELL_KNOWN)
                        if issuer_path else None)
    issuer = parse_issuer_metadata(doc, expected_issuer=offer.credential_issuer,
                                   language=language)
    servers = issuer.authorization_servers
    if offer.authorization_server is not None:
        if servers and offer.authorization_server not in servers:
            raise OfferError("malformed_offer", "authorization_server is not one of the issuer's")
        candidates: tuple[str, ...] = (offer.authorization_server,)
    else:
        candidates = servers or (offer.credential_issuer,)
    server: AuthorizationServer | None = None
    for server_id in candidates:  # several: the first that takes this flow's grant
        as_doc = _metadata_doc(http, server_id, AS_WELL_KNOWN, language=language,
                               fallback=appended_url(server_id, OIDC_WELL_KNOWN))
        server = parse_as_metadata(as_doc, expected_issuer=server_id)
        if (server.can_sign_in if sign_in else server.pre_authorized):
            break
    assert server is not None
    return issuer, server


def read_offer(text: str, *, http: HttpPort, language: str = "en") -> OfferPreview:
    """Read an offer and its issuer's metadata so the learner can decide (nothing is redeemed)."""
    offer = resolve_offer(parse_offer_link(text), http=http, language=language)
    sign_in = offer.pre_authorized_code is None  # 4.1.1: no grant given, ask the server
    issuer, server = load_metadata(offer, http=http, language=language, sign_in=sign_in)
    if issuer.encryption_required:
        raise OfferError("encryption_required")
    if sign_in and not server.can_sign_in:
        raise OfferError("needs_sign_in", "no authorization endpoint at the server")
    if not sign_in and not server.pre_authorized:
        raise OfferError("needs_sign_in", "no pre-authorized code grant at the server")
    first: OfferError | None = None
    for config_id in offer.configuration_ids:  # the first one this wallet can keep
        try:
            chosen = configuration(issuer, config_id, language=language)
        except OfferError as exc:
            first = first or exc
            continue
        return OfferPreview(offer, issuer, server, chosen)
    assert first is not None
    raise first


def check_tx_code(spec: TxCode | None, value: str) -> str | None:
    """The code to send, or an OfferError when the learner's answer cannot be right."""
    value = (value or "").strip()
    if spec is None:
        return None
    if not value:
        raise OfferError("tx_code_missing")
    if spec.input_mode == "numeric" and not value.isdigit():
        raise OfferError("tx_code_digits")
    if spec.length is not None and len(value) != spec.length:
        raise OfferError("tx_code_length", str(spec.length))
    return value


def _token_error(response: FetchResponse, *, sent_tx_code: bool) -> OfferError:
    error, description = issuer_error(response)
    said = description.lower()
    if not error:
        return OfferError("issuer_unreachable", f"token endpoint answered HTTP {response.status}")
    if error == "invalid_grant":
        if sent_tx_code and ("transaction" in said or "tx_code" in said or "pin" in said):
            return OfferError("tx_code_wrong", description)
        if any(word in said for word in ("expired", "used", "unknown", "invalid")) \
                or not sent_tx_code:
            return OfferError("offer_gone", description)
        return OfferError("code_or_offer", description)
    if error == "invalid_client":
        return OfferError("needs_client", description)
    return OfferError("issuer_error", f"{error}: {description}"[:300])


def _token(http: HttpPort, preview: OfferPreview, tx_code: str | None) -> Mapping[str, Any]:
    form = {"grant_type": PRE_AUTHORIZED,
            "pre-authorized_code": preview.offer.pre_authorized_code or ""}
    if tx_code is not None:
        form["tx_code"] = tx_code
    response = post(http, preview.server.token_endpoint, form=form,
                    headers={"Accept": JSON_ACCEPT})
    if response.status != 200:
        raise _token_error(response, sent_tx_code=tx_code is not None)
    return token_body(response)


def token_body(response: FetchResponse) -> Mapping[str, Any]:
    """A successful Token Response (6.2), checked: a Bearer ``access_token``."""
    body = read_json(response, "issuer_error", "the token response")
    if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str):
        raise OfferError("issuer_error", "the token response has no access_token")
    token_type = body.get("token_type", "Bearer")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise OfferError("issuer_error", f"token_type {str(token_type)[:20]} is not supported")
    return body


def _credential_identifier(token: Mapping[str, Any], config_id: str) -> str | None:
    details = token.get("authorization_details")
    if not isinstance(details, list):
        return None
    for detail in details:
        if isinstance(detail, Mapping) and detail.get("type") == "openid_credential" \
                and detail.get("credential_configuration_id") == config_id:
            ids = detail.get("credential_identifiers")
            if isinstance(ids, list) and ids and isinstance(ids[0], str):
                return ids[0]
    return None


def _nonce(http: HttpPort, preview: OfferPreview, token: Mapping[str, Any]) -> str | None:
    endpoint = preview.issuer.nonce_endpoint
    if endpoint is None:
        legacy = token.get("c_nonce")  # drafts before the Nonce Endpoint sent it here
        return legacy if isinstance(legacy, str) else None
    response = post(http, endpoint, headers={"Accept": JSON_ACCEPT})
    body = read_json(response, "issuer_error", "the nonce response") if response.status == 200 \
        else None
    if not isinstance(body, Mapping) or not isinstance(body.get("c_nonce"), str):
        raise OfferError("issuer_error", f"nonce endpoint answered HTTP {response.status}")
    return str(body["c_nonce"])


CREDENTIAL_ERRORS = {
    "invalid_proof": "proof_refused", "invalid_nonce": "proof_refused",
    "credential_request_denied": "request_denied",
    "invalid_encryption_parameters": "encryption_required",
    "invalid_token": "offer_gone",
}


def _request(http: HttpPort, preview: OfferPreview, *, access_token: str,
             identifier: str | None, proof: str | None) -> FetchResponse:
    body: dict[str, Any] = ({"credential_identifier": identifier} if identifier else
                            {"credential_configuration_id": preview.configuration.id})
    if proof is not None:
        body["proofs"] = {"jwt": [proof]}
    return post(http, preview.issuer.credential_endpoint, json_body=body,
                headers={"Authorization": f"Bearer {access_token}", "Accept": JSON_ACCEPT})


def receive(preview: OfferPreview, *, http: HttpPort, keypair: KeyPair, tx_code: str,
            now: datetime) -> Received:
    """Redeem the offer and ask for the credential, proving the learner's key."""
    code = check_tx_code(preview.tx_code, tx_code)
    return collect(preview, token=_token(http, preview, code), http=http, keypair=keypair,
                   now=now)


def collect(preview: OfferPreview, *, token: Mapping[str, Any], http: HttpPort,
            keypair: KeyPair, now: datetime) -> Received:
    """With an access token in hand (either flow): nonce, key proof, then the credential."""
    access = str(token["access_token"])
    identifier = _credential_identifier(token, preview.configuration.id)
    conf = preview.configuration
    nonce = _nonce(http, preview, token) if conf.needs_proof else None
    for attempt in range(2):
        proof = (key_proof(keypair, audience=preview.issuer.credential_issuer, nonce=nonce,
                           now=now, binding=conf.binding) if conf.needs_proof else None)
        response = _request(http, preview, access_token=access, identifier=identifier,
                            proof=proof)
        if response.status in (200, 202):
            break
        error, description = issuer_error(response)
        if error == "invalid_nonce" and attempt == 0:
            fresh = read_json(response, "issuer_error", "the error").get("c_nonce")
            nonce = fresh if isinstance(fresh, str) else _nonce(http, preview, token)
            continue
        if not error:
            raise OfferError("issuer_unreachable",
                             f"credential endpoint answered HTTP {response.status}")
        raise OfferError(CREDENTIAL_ERRORS.get(error, "issuer_error"),
                         f"{error}: {description}"[:300])
    if response.status == 202:
        raise OfferError("deferred")
    credential, notification = credential_of(
        read_json(response, "bad_credential", "the credential response"), conf.record_format)
    if conf.needs_proof and bound_to_holder(credential, conf.record_format,
                                            did=keypair.controller or "",
                                            jwk=public_jwk(keypair)) is False:
        raise OfferError("not_bound")
    return Received(credential, conf.record_format, conf.id, notification, access)


def notify_accepted(received: Received, preview: OfferPreview, *, http: HttpPort) -> bool:
    """Tell the issuer the credential is in the wallet (section 11); failures are ignored."""
    endpoint = preview.issuer.notification_endpoint
    if endpoint is None or received.notification_id is None:
        return False
    try:
        response = http.post(endpoint, json_body={"notification_id": received.notification_id,
                                                  "event": "credential_accepted"},
                             headers={"Authorization": f"Bearer {received.access_token}"})
    except DidResolutionError:
        return False
    return response.status in (200, 204)

