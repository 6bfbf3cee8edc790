"""Reading an OpenID4VCI Credential Offer and the metadata behind it (no network here).

Spec: OpenID4VCI 1.0, sections 4.1 (Credential Offer: ``credential_offer`` or
``credential_offer_uri``, exactly one; parameters ``credential_issuer``,
``credential_configuration_ids``, ``grants`` with the pre-authorized code grant
and its ``tx_code`` object: ``input_mode``, ``length``, ``description``; the
``authorization_code`` grant with ``issuer_state`` and ``authorization_server``), 12.2.2
(Credential Issuer Metadata at the issuer identifier with
``/.well-known/openid-credential-issuer`` inserted between host and path) and
12.2.4 (``credential_configurations_supported``, ``display``); RFC 8414
section 3.1 (the same insertion rule for ``/.well-known/oauth-authorization-server``).
Whatever an offer or a metadata document says is untrusted input: every field
is checked for type and size before the wallet relies on it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit, urlunsplit

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE = "authorization_code"
OFFER_SCHEMES = ("openid-credential-offer", "haip-vci", "https", "http")
ISSUER_WELL_KNOWN = "/.well-known/openid-credential-issuer"
AS_WELL_KNOWN = "/.well-known/oauth-authorization-server"
OIDC_WELL_KNOWN = "/.well-known/openid-configuration"
MAX_OFFER_TEXT = 20_000
MAX_DESCRIPTION = 300  # section 4.1.1: tx_code description at most 300 characters


class OfferError(Exception):
    """Why an offer cannot be taken: a stable ``code`` the pages turn into words."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class TxCode:
    """What the issuer says about the transaction code the learner must type."""

    input_mode: str = "numeric"
    length: int | None = None
    description: str = ""


@dataclass(frozen=True)
class CredentialOffer:
    """A parsed Credential Offer object (section 4.1.1)."""

    credential_issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str | None = None
    tx_code: TxCode | None = None
    authorization_server: str | None = None
    authorization_code_grant: bool = False
    document: Mapping[str, Any] | None = None
    issuer_state: str | None = None  # handed back in the authorization request (5.1.3)

    def to_json(self) -> str:
        """The offer as it came, to carry between the learner's two steps."""
        return json.dumps(self.document or {}, separators=(",", ":"))


@dataclass(frozen=True)
class OfferLink:
    """An offer as the learner handed it over: by value (the object) or by reference."""

    offer: Mapping[str, Any] | None = None
    offer_uri: str | None = None


def split_url(value: str, code: str) -> SplitResult:
    """urlsplit, with its ValueError (a broken IPv6 literal, say) turned into an OfferError."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (reading it validates the port)
    except ValueError:
        raise OfferError(code, "not a valid URL") from None
    return parts


def _https_url(value: Any, what: str, *, code: str = "malformed_offer") -> str:
    if not isinstance(value, str) or len(value) > 2_000:
        raise OfferError(code, f"{what} is not a URL")
    parts = split_url(value, code)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment \
            or parts.query:
        raise OfferError(code, f"{what} is not an https URL without query or fragment")
    return value


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise OfferError("malformed_offer", f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise OfferError("malformed_offer", f"{what} is not a JSON object")
    return value


def parse_offer_link(text: str) -> OfferLink:
    """Read what the learner pasted: an offer link, an https link carrying one, or raw JSON."""
    text = (text or "").strip()
    if not text:
        raise OfferError("offer_missing")
    if len(text) > MAX_OFFER_TEXT:
        raise OfferError("malformed_offer", "too long")
    if text.startswith("{"):
        return OfferLink(offer=_json_object(text, "the offer"))
    parts = split_url(text, "malformed_offer")
    if parts.scheme.lower() not in OFFER_SCHEMES:
        raise OfferError("malformed_offer", "not an offer link")
    query = parse_qs(parts.query, keep_blank_values=True)
    by_value, by_ref = query.get("credential_offer"), query.get("credential_offer_uri")
    if (by_value is None) == (by_ref is None):
        raise OfferError("malformed_offer",
                         "the link must carry exactly one of credential_offer or "
                         "credential_offer_uri")
    if by_value is not None:
        if len(by_value) != 1:
            raise OfferError("malformed_offer", "credential_offer appears twice")
        return OfferLink(offer=_json_object(by_value[0], "credential_offer"))
    assert by_ref is not None
    if len(by_ref) != 1:
        raise OfferError("malformed_offer", "credential_offer_uri appears twice")
    uri = by_ref[0]
    target = split_url(uri, "malformed_offer")
    if len(uri) > 2_000 or target.scheme not in ("https", "http") or not target.hostname:
        raise OfferError("malformed_offer", "credential_offer_uri is not an https URL")
    return OfferLink(offer_uri=uri)


def _tx_code(value: Any) -> TxCode | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise OfferError("malformed_offer", "tx_code is not an object")
    mode = value.get("input_mode", "numeric")
    if mode not in ("numeric", "text"):
        raise OfferError("malformed_offer", "tx_code.input_mode is not numeric or text")
    length = value.get("length")
    if length is not None and (not isinstance(length, int) or isinstance(length, bool)
                               or not 1 <= length <= 64):
        raise OfferError("malformed_offer", "tx_code.length is not a small positive integer")
    description = value.get("description", "")
    if not isinstance(description, str):
        raise OfferError("malformed_offer", "tx_code.description is not a string")
    return TxCode(mode, length, description[:MAX_DESCRIPTION])


def parse_offer(document: Mapping[str, Any]) -> CredentialOffer:
    """Check a Credential Offer object and keep what the wallet uses from it."""
    if not isinstance(document, Mapping):
        raise OfferError("malformed_offer", "the offer is not a JSON object")
    issuer = _https_url(document.get("credential_issuer"), "credential_issuer")
    ids = document.get("credential_configuration_ids")
    if not isinstance(ids, list) or not ids or not all(
            isinstance(i, str) and 0 < len(i) <= 200 for i in ids):
        raise OfferError("malformed_offer",
                         "credential_configuration_ids must be a non-empty list of strings")
    grants = document.get("grants", {})
    if not isinstance(grants, Mapping):
        raise OfferError("malformed_offer", "grants is not an object")
    code = tx = server = None
    pre = grants.get(PRE_AUTHORIZED)
    if pre is not None:
        if not isinstance(pre, Mapping):
            raise OfferError("malformed_offer", "the pre-authorized code grant is not an object")
        code = pre.get("pre-authorized_code")
        if not isinstance(code, str) or not code or len(code) > 2_000:
            raise OfferError("malformed_offer", "pre-authorized_code is missing")
        tx = _tx_code(pre.get("tx_code"))
        if pre.get("authorization_server") is not None:
            server = _https_url(pre["authorization_server"], "authorization_server")
    issuer_state = None
    by_code = grants.get(AUTHORIZATION_CODE)
    if by_code is not None:
        if not isinstance(by_code, Mapping):
            raise OfferError("malformed_offer", "the authorization_code grant is not an object")
        issuer_state = by_code.get("issuer_state")
        if issuer_state is not None and (not isinstance(issuer_state, str) or not issuer_state
                                         or len(issuer_state) > 2_000):
            raise OfferError("malformed_offer", "issuer_state is not a short string")
        if pre is None and by_code.get("authorization_server") is not None:
            server = _https_url(by_code["authorization_server"], "authorization_server")
    return CredentialOffer(issuer, tuple(dict.fromkeys(ids)), code, tx, server,
                           AUTHORIZATION_CODE in grants, dict(document), issuer_state)


def well_known_url(identifier: str, suffix: str) -> str:
    """Insert a well-known path between host and path (12.2.2, RFC 8414 section 3.1)."""
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, suffix + path, "", ""))


def appended_url(identifier: str, suffix: str) -> str:
    """The older rule some issuers still follow: the well-known path appended at the end."""
    return identifier.rstrip("/") + suffix


def pick_display(entries: Any, language: str) -> dict[str, Any]:
    """The display object for the learner's language (then English, then the first one)."""
    if not isinstance(entries, list):
        return {}
    usable = [e for e in entries if isinstance(e, Mapping) and isinstance(e.get("name"), str)]
    if not usable:
        return {}

    def base(entry: Mapping[str, Any]) -> str:
        locale = entry.get("locale")
        return locale.split("-")[0].lower() if isinstance(locale, str) else ""

    for wanted in (language, "en"):
        for entry in usable:
            if base(entry) == wanted:
                return dict(entry)
    return dict(usable[0])
