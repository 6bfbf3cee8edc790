"""The pure address guard (openler.core.net): what an outbound fetch may reach."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.errors import AddressNotAllowedError
from openler.core.net import checked_addresses, ensure_public_url, is_public_address


def _resolver(*addresses: str):
    def resolve(host: str, port: int, *args: object):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]
    return resolve


REFUSED = [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.10",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
    "64:ff9b::a00:1", "2002:a00:1::1", "2002:7f00:1::1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("https://issuer.example/did.json", resolve=_resolver(address))


@pytest.mark.parametrize("address", REFUSED)
def test_ip_literals_are_refused_too(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url(f"https://{host}/x")


def test_public_address_passes_and_is_returned_for_pinning() -> None:
    checked = ensure_public_url("https://issuer.example:8443/a/did.json",
                                resolve=_resolver("93.184.216.34", "2606:2800:220:1::1"))
    assert checked.host == "issuer.example" and checked.port == 8443
    assert checked.addresses == ("93.184.216.34", "2606:2800:220:1::1")


def test_one_bad_address_among_good_ones_refuses_the_host() -> None:
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("https://mixed.example/", resolve=_resolver("93.184.216.34", "10.1.1.1"))


@pytest.mark.parametrize("url", [
    "http://issuer.example/", "ftp://issuer.example/", "file:///etc/passwd",
    "https://user:pw@issuer.example/", "https:///nohost", "https://issuer.example:99999/",
])
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url(url, resolve=_resolver("93.184.216.34"))


def test_host_name_without_resolver_is_refused() -> None:
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("https://issuer.example/")


def test_allow_private_permits_loopback_over_http_only() -> None:
    ok = ensure_public_url("http://127.0.0.1:8080/x", allow_private=True)
    assert ok.addresses == ("127.0.0.1",)
    assert ensure_public_url("https://10.0.0.5/x", allow_private=True).addresses == ("10.0.0.5",)
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("http://10.0.0.5/x", allow_private=True)
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("http://127.0.0.1/x", allow_private=False)
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("https://224.0.0.1/x", allow_private=True)


def test_checked_addresses_for_connectors() -> None:
    assert checked_addresses("h.example", 443, resolve=_resolver("8.8.8.8")) == ("8.8.8.8",)
    with pytest.raises(AddressNotAllowedError):
        checked_addresses("h.example", 443, resolve=_resolver("127.0.0.1"))


def test_resolver_failure_is_refusal() -> None:
    def broken(host: str, port: int, *args: object):
        raise socket.gaierror("no such host")
    with pytest.raises(AddressNotAllowedError):
        ensure_public_url("https://nowhere.example/", resolve=broken)


@given(st.ip_addresses(v=4))
def test_ipv4_mapped_form_gets_the_same_verdict(ip) -> None:
    import ipaddress
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert is_public_address(mapped) == is_public_address(ip)
