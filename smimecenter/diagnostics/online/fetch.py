"""Fetching a CA's public files (AIA caIssuers, CRLs, OCSP) without becoming a proxy into our network.

A certificate names the addresses we fetch, and anyone can write a certificate, so every address
is treated as hostile: only http and https; the host is resolved once, every address it resolves
to must be public (or listed in the allow list), and the connection goes to that checked address
(no second resolution a DNS answer could change); redirects are followed by hand with the same
checks; time and size are limited while reading. Responses are kept in a small cache interface so
a burst of checks against one CA makes one request; the site plugs Django's cache into it.
"""
from __future__ import annotations

import concurrent.futures
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import urllib3

__all__ = [
    "CERTIFICATE_LIMIT",
    "CRL_LIMIT",
    "OCSP_LIMIT",
    "FetchError",
    "FetchRefused",
    "Fetched",
    "Fetcher",
    "FetchPolicy",
    "ResponseCache",
    "refusal_reason",
    "parse_allow_list",
]

CERTIFICATE_LIMIT = 64 * 1024  # one CA certificate or a small PKCS#7 bundle
CRL_LIMIT = 10 * 1024 * 1024  # large CAs publish CRLs of several MiB
OCSP_LIMIT = 64 * 1024  # an OCSP response with its responder certificate
_CHUNK = 16 * 1024
_USER_AGENT = "SMIME-Center-certificate-check"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 forms that carry an IPv4 address the packet may end up at.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


class FetchError(Exception):
    """A fetch that did not give an answer; the message is plain words for a person."""


class FetchRefused(FetchError):
    """A fetch we did not attempt because the address is not one we may connect to."""


class ResponseCache(Protocol):
    """The two methods of Django's cache API the fetcher needs (the engine does not import Django)."""

    def get(self, key: str) -> object: ...

    def set(self, key: str, value: object, timeout: float | None = ...) -> None: ...


@dataclass(frozen=True)
class FetchPolicy:
    allow: tuple[Network, ...] = ()  # addresses tests or an intranet CA may reach despite the rules
    connect_timeout: float = 2.0
    fetch_timeout: float = 5.0  # connect, redirects and reading together, per fetch
    diagnosis_budget: float = 10.0  # all fetches of one diagnosis together
    max_fetches: int = 12  # network requests per diagnosis (cached answers are free)
    max_redirects: int = 3
    default_cache_seconds: int = 3600  # when the response says nothing about its lifetime
    max_cache_seconds: int = 7 * 24 * 3600


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    body: bytes
    from_cache: bool
    max_age: int | None = None  # Cache-Control max-age, when the server gave one


def parse_allow_list(items: Iterable[str]) -> tuple[Network, ...]:
    """`DIAGNOSE_ONLINE_ALLOW`: addresses or networks; raises ValueError naming a bad item."""
    networks = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
    return tuple(networks)


def refusal_reason(address: Address, allow: Sequence[Network] = ()) -> str | None:
    """None when we may connect to `address`, else why not.

    Private, loopback, link-local, multicast, reserved and unspecified addresses (RFC 6890's special
    purpose registries, as Python's ipaddress knows them) are refused; so is an IPv6 address that
    embeds such an IPv4 address (IPv4-mapped, 6to4, NAT64, Teredo), which would reach it anyway.
    """
    if any(address.version == network.version and address in network for network in allow):
        return None
    if isinstance(address, ipaddress.IPv6Address):
        for embedded in _embedded_ipv4(address):
            reason = refusal_reason(embedded, allow)
            if reason:
                return reason
        if any(address in network for network in _NAT64):
            return None  # a translator's prefix: the IPv4 address it carries is what counts
    for flag, words in (("is_loopback", "a loopback address"), ("is_unspecified", "an unspecified address"),
                        ("is_link_local", "a link-local address"), ("is_multicast", "a multicast address"),
                        ("is_private", "a private address"), ("is_reserved", "a reserved address")):
        if getattr(address, flag):
            return f"{address} is {words}"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo:
        found.extend(address.teredo)
    if any(address in network for network in _NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


Resolver = Callable[..., list]
# getaddrinfo cannot be given a timeout; it runs here so a slow DNS server costs a fetch its time
# limit, not more. A lookup that hangs keeps its thread; the pool bounds how many can.
_RESOLVERS = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="online-resolve")


@dataclass
class Fetcher:
    """Fetches for one diagnosis: counts requests and time against the policy's limits."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    cache: ResponseCache | None = None
    resolver: Resolver | None = None  # socket.getaddrinfo, looked up at each call
    requests_made: int = 0
    _started: float | None = None

    def get(self, url: str, limit: int, *, body: bytes | None = None, content_type: str | None = None,
            cache_key: str | None = None, use_cache: bool = True) -> Fetched:
        """The response body of `url` (POST `body` when given), at most `limit` bytes.

        Raises FetchRefused when the address may not be fetched and FetchError for anything else.
        """
        key = "online:" + (cache_key or url)
        if use_cache and self.cache is not None:
            cached = self.cache.get(key)
            if isinstance(cached, bytes):
                return Fetched(url=url, body=cached, from_cache=True)
        if self.requests_made >= self.policy.max_fetches:
            raise FetchRefused(f"this check already made {self.policy.max_fetches} requests, "
                               "the most one check may make")
        now = time.monotonic()
        if self._started is None:
            self._started = now
        left = self.policy.diagnosis_budget - (now - self._started)
        if left <= 0:
            raise FetchRefused("this check used up its time for fetching")
        deadline = now + min(self.policy.fetch_timeout, left)
        self.requests_made += 1
        current = url
        for _ in range(self.policy.max_redirects + 1):
            status, headers, payload = self._request(current, limit, body, content_type, deadline)
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                current = urljoin(current, headers["location"])
                if status == 303:
                    body, content_type = None, None
                continue
            if status != 200:
                raise FetchError(f"{_host(url)} answered with HTTP status {status}")
            return Fetched(url=url, body=payload, from_cache=False,
                           max_age=_max_age(headers.get("cache-control", "")))
        raise FetchError(f"{_host(url)} redirected more than {self.policy.max_redirects} times")

    def remember(self, fetched: Fetched, seconds: float | None, cache_key: str | None = None) -> None:
        """Keep a verified answer for `seconds` (None: what the server said, or the default)."""
        if self.cache is None or fetched.from_cache:
            return
        if seconds is None:
            seconds = fetched.max_age if fetched.max_age is not None else self.policy.default_cache_seconds
        seconds = min(seconds, self.policy.max_cache_seconds)
        if seconds >= 1:
            self.cache.set("online:" + (cache_key or fetched.url), fetched.body, int(seconds))

    # --- one request -------------------------------------------------------------------------

    def _request(self, url: str, limit: int, body: bytes | None, content_type: str | None,
                 deadline: float) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefused(f"only http and https addresses are fetched, not {scheme or 'this'}")
        try:
            host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchRefused("the address has an invalid port") from None
        if not host:
            raise FetchRefused("the address names no host")
        address = self._resolve(host, port, deadline)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"{host} did not answer in time")
        timeout = urllib3.Timeout(connect=min(self.policy.connect_timeout, left), read=left)
        pool_kwargs: dict[str, object] = {"timeout": timeout, "retries": False, "maxsize": 1}
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(str(address), port, server_hostname=host,
                                               assert_hostname=host, cert_reqs="CERT_REQUIRED",
                                               **pool_kwargs)
        else:
            pool = urllib3.HTTPConnectionPool(str(address), port, **pool_kwargs)
        default_port = 443 if scheme == "https" else 80
        host_header = (f"[{host}]" if ":" in host else host) + (f":{port}" if port != default_port else "")
        headers = {"Host": host_header, "User-Agent": _USER_AGENT, "Accept": "*/*"}
        if content_type:
            headers["Content-Type"] = content_type
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            response = pool.urlopen("POST" if body is not None else "GET", target, body=body,
                                    headers=headers, redirect=False, preload_content=False,
                                    assert_same_host=False)
            try:
                payload = _read_limited(response, limit, deadline, host)
                return response.status, {k.lower(): v for k, v in response.headers.items()}, payload
            finally:
                response.release_conn()
        except FetchError:
            raise
        except urllib3.exceptions.NewConnectionError:  # a subclass of ConnectTimeoutError
            raise FetchError(f"{host} could not be reached") from None
        except urllib3.exceptions.ConnectTimeoutError:
            raise FetchError(f"{host} did not accept a connection in time") from None
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise FetchError(f"{host} did not answer in time") from None
        except (urllib3.exceptions.HTTPError, OSError):
            raise FetchError(f"{host} could not be reached") from None
        finally:
            pool.close()

    def _resolve(self, host: str, port: int, deadline: float) -> Address:
        """The one address we connect to; refused when any address the name has is refused."""
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [literal]
        else:
            lookup = _RESOLVERS.submit(self.resolver or socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
            try:
                answers = lookup.result(timeout=max(0.0, min(self.policy.connect_timeout,
                                                             deadline - time.monotonic())))
            except concurrent.futures.TimeoutError:
                raise FetchError(f"the name {host} did not resolve in time") from None
            except (OSError, UnicodeError):
                raise FetchError(f"the name {host} could not be resolved") from None
            addresses = list(dict.fromkeys(ipaddress.ip_address(a[4][0].split("%")[0]) for a in answers))
            if not addresses:
                raise FetchError(f"the name {host} could not be resolved")
        for address in addresses:
            reason = refusal_reason(address, self.policy.allow)
            if reason:
                raise FetchRefused(f"{host} was not fetched: {reason}")
        return addresses[0]


def _read_limited(response: urllib3.BaseHTTPResponse, limit: int, deadline: float, host: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"{host} sent more than the {limit // 1024} KiB we accept")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"{host} did not answer in time")
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{host} sent more than the {limit // 1024} KiB we accept")
        chunks.append(chunk)


def _max_age(cache_control: str) -> int | None:
    """max-age of a Cache-Control header; 0 for no-store/no-cache (RFC 9111 section 5.2.2)."""
    age = None
    for directive in cache_control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name in ("no-store", "no-cache"):
            return 0
        if name == "max-age" and value.strip().strip('"').isdigit():
            age = int(value.strip().strip('"'))
    return age


def _host(url: str) -> str:
    return urlsplit(url).hostname or url
