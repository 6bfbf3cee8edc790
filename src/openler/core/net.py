"""Address guard for outbound fetches (did:web documents, status lists): pure logic.

Spec: did:web Method Specification, section 4 (Security: HTTPS only) and
the SSRF guidance of the OWASP Server-Side Request Forgery Prevention Cheat
Sheet: refuse URLs whose host resolves to loopback, private, link-local,
unique-local, multicast, reserved or unspecified addresses, including IPv4
addresses embedded in IPv6 (IPv4-mapped, 6to4, Teredo, NAT64 64:ff9b::/96).

Name resolution is injected (a ``socket.getaddrinfo``-like callable), so
the core opens no socket; the HTTP fetcher pins the addresses checked here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from openler.core.errors import AddressNotAllowedError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# getaddrinfo(host, port, ...) -> [(family, type, proto, canonname, sockaddr), ...]
Resolve = Callable[..., Sequence[tuple[Any, ...]]]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """A URL that passed the guard, with the addresses to connect to (in resolver order)."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """Whether ``ip`` is a globally routable unicast address (embedded IPv4 unwrapped)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            return is_public_address(inner)
        if ip.scope_id:
            return False
    return (ip.is_global and not ip.is_multicast and not ip.is_reserved
            and not ip.is_loopback and not ip.is_link_local and not ip.is_unspecified
            and not ip.is_private)


def _is_loopback(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def _resolve(host: str, port: int, resolve: Resolve | None, url: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    if resolve is None:
        raise AddressNotAllowedError(url, "host name given but no resolver injected")
    try:
        infos = resolve(host, port)
    except OSError as exc:
        raise AddressNotAllowedError(url, f"cannot resolve {host!r}: {exc}") from None
    found: list[IPAddress] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        ip = ipaddress.ip_address(address)
        if ip not in found:
            found.append(ip)
    if not found:
        raise AddressNotAllowedError(url, f"{host!r} resolved to no address")
    return found


def _check(host: str, port: int, allow_private: bool, resolve: Resolve | None,
           url: str) -> list[IPAddress]:
    addresses = _resolve(host, port, resolve, url)
    for ip in addresses:
        if ip.is_multicast or ip.is_unspecified:
            raise AddressNotAllowedError(url, f"{ip} is not a unicast address")
        if not allow_private and not is_public_address(ip):
            raise AddressNotAllowedError(url, f"{host!r} resolves to non-public address {ip}")
    return addresses


def checked_addresses(host: str, port: int, *, allow_private: bool = False,
                      resolve: Resolve | None = None) -> tuple[str, ...]:
    """Resolve ``host`` and return its addresses only if every one may be contacted.

    A connector calls this at connect time and dials one of the returned
    addresses, so a DNS answer cannot change between the check and the use.
    """
    found = _check(host.strip("[]"), port, allow_private, resolve, f"{host}:{port}")
    return tuple(str(ip) for ip in found)


def ensure_public_url(url: str, *, allow_private: bool = False,
                      resolve: Resolve | None = None) -> CheckedUrl:
    """Check ``url`` before fetching it; raises AddressNotAllowedError when refused.

    ``allow_private`` (tests and local development only) permits non-public
    addresses and plain http to loopback; multicast and unspecified stay refused.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise AddressNotAllowedError(url, f"scheme {scheme!r} is not allowed")
    if parts.username is not None or parts.password is not None:
        raise AddressNotAllowedError(url, "credentials in URLs are not allowed")
    host = parts.hostname
    if not host:
        raise AddressNotAllowedError(url, "URL has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise AddressNotAllowedError(url, "invalid port") from None
    addresses = _check(host, port, allow_private, resolve, url)
    if scheme == "http" and not (allow_private and all(_is_loopback(ip) for ip in addresses)):
        raise AddressNotAllowedError(url, "only https is allowed")
    return CheckedUrl(url=url, scheme=scheme, host=host, port=port,
                      addresses=tuple(str(ip) for ip in addresses))
