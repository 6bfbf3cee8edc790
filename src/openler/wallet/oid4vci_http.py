"""HTTP for the wallet side of OpenID4VCI: the port, and how its failures read.

Spec: OpenID4VCI 1.0, sections 6.3 and 8.3.1 (error responses are JSON objects
with ``error`` and ``error_description``, after RFC 6749 section 5.2 and RFC 6750
section 3); the SSRF guard (``openler.core.net``) refuses private addresses, plain
http in production and unresolvable names, each named here for the learner.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from openler.core.dids.ports import FetchResponse
from openler.core.errors import AddressNotAllowedError, DidResolutionError
from openler.core.net import is_public_address
from openler.wallet.oid4vci_offer import OfferError

JSON_ACCEPT = "application/json"
GONE = frozenset({400, 403, 404, 410})


class HttpPort(Protocol):
    """GET and POST over the SSRF guard (``openler.net.SafeHttpFetcher``)."""

    def fetch(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResponse:
        """GET ``url``."""
        ...

    def post(self, url: str, *, form: dict[str, str] | None = None, json_body: Any = None,
             headers: dict[str, str] | None = None) -> FetchResponse:
        """POST to ``url``."""
        ...


def read_json(response: FetchResponse, code: str, what: str) -> Any:
    """The JSON body, or an OfferError with ``code``: issuers answer JSON, never pages."""
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise OfferError(code, f"{what} is not JSON") from None


def _private_host(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
        return host == "localhost" or host.endswith(".localhost") or \
            not is_public_address(ipaddress.ip_address(host))
    except ValueError:  # a name, not an address literal
        return False


def refusal(exc: AddressNotAllowedError, url: str) -> OfferError:
    """Name why the guard refused a URL: a private address, or a host it cannot use."""
    reason = exc.reason
    if "non-public" in reason or "unicast" in reason or _private_host(url):
        return OfferError("address_refused", url)
    return OfferError("issuer_unreachable", reason)  # no such host, or plain http


def get(http: HttpPort, url: str, *, language: str) -> FetchResponse:
    """GET JSON in the learner's language; a refused or failed connection is an OfferError."""
    try:
        return http.fetch(url, headers={"Accept": JSON_ACCEPT, "Accept-Language": language})
    except AddressNotAllowedError as exc:
        raise refusal(exc, url) from None
    except DidResolutionError as exc:
        raise OfferError("issuer_unreachable", exc.reason) from None


def post(http: HttpPort, url: str, **kwargs: Any) -> FetchResponse:
    """POST through the guard; a refused or failed connection is an OfferError."""
    try:
        return http.post(url, **kwargs)
    except AddressNotAllowedError as exc:
        raise refusal(exc, url) from None
    except DidResolutionError as exc:
        raise OfferError("issuer_unreachable", exc.reason) from None


def issuer_error(response: FetchResponse) -> tuple[str, str]:
    """The OAuth-style ``error`` and ``error_description`` ("", "" when there is none)."""
    try:
        body = json.loads(response.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        body = None
    if not isinstance(body, Mapping) or not isinstance(body.get("error"), str):
        return "", ""
    description = body.get("error_description")
    return body["error"], description if isinstance(description, str) else ""
