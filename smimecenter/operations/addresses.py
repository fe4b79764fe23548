"""The client's address when the site sits behind reverse proxies (TRUSTED_PROXIES).

Each proxy appends the address it received the request from to X-Forwarded-For, so the entries a
client can forge are on the left and the ones our own proxies wrote are on the right. Reading from
the right and skipping our proxies, the first address that is not one of them is the client
(the rule of RFC 7239 section 7.4 for the Forwarded header, applied to its older twin). Without
trusted proxies, or for a request that did not come through one, the header is ignored.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = IPv4Network | IPv6Network


def _parse(entry: str) -> IPv4Address | IPv6Address | None:
    """An address from one X-Forwarded-For entry: `203.0.113.7`, `203.0.113.7:4711`, `[2001:db8::1]:80`."""
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].split("]", 1)[0]
    elif entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    try:
        address = ip_address(entry)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: str, proxies: Iterable[Network]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in proxies)


def client_address(peer: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client's address, given the peer that connected to us and the X-Forwarded-For it sent."""
    if not proxies or not forwarded_for or not is_trusted(peer, proxies):
        return peer
    nearest = peer
    for entry in reversed(forwarded_for.split(",")):
        parsed = _parse(entry)
        if parsed is None:
            # Garbage written before our proxies: the last proxy that saw a real connection is
            # as far back as we can know.
            return nearest
        if not any(parsed in network for network in proxies):
            return str(parsed)
        nearest = str(parsed)
    # Every entry is one of our proxies: the request started inside our own network.
    return nearest


class ClientAddressMiddleware:
    """Put the real client's address in REMOTE_ADDR, where rate limits and Django itself look for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = settings.TRUSTED_PROXIES
        if proxies:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies)
        return self.get_response(request)
