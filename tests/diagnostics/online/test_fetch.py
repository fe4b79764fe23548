"""Safe fetching: only public addresses, checked before any connection, with time and size limits."""
from __future__ import annotations

import ipaddress
import time

import pytest
import urllib3.util.connection

from smimecenter.diagnostics.online.fetch import (
    FetchError,
    Fetcher,
    FetchPolicy,
    FetchRefused,
    parse_allow_list,
    refusal_reason,
)

LOCAL = parse_allow_list(["127.0.0.1"])


class DictCache:
    def __init__(self):
        self.data, self.timeouts = {}, {}

    def get(self, key):
        return self.data.get(key)

    def set(self, key, value, timeout=None):
        self.data[key], self.timeouts[key] = value, timeout


@pytest.fixture
def connections(monkeypatch):
    """Every socket connection urllib3 opens, recorded before it is made."""
    made = []
    real = urllib3.util.connection.create_connection

    def spy(address, *args, **kwargs):
        made.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    return made


@pytest.mark.parametrize("text", [
    "127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
    "240.0.0.1", "100.64.0.1", "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1",
    "::ffff:10.0.0.1", "2002:7f00:1::1", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",
])
def test_special_addresses_are_refused(text):
    assert refusal_reason(ipaddress.ip_address(text)) is not None


@pytest.mark.parametrize("text", ["93.184.215.14", "2606:4700::6810:84e5", "64:ff9b::5db8:d70e"])
def test_public_addresses_are_allowed(text):
    assert refusal_reason(ipaddress.ip_address(text)) is None


def test_allow_list_admits_a_listed_network_only():
    allow = parse_allow_list(["10.1.0.0/16", " 127.0.0.1 ", ""])
    assert refusal_reason(ipaddress.ip_address("10.1.2.3"), allow) is None
    assert refusal_reason(ipaddress.ip_address("127.0.0.1"), allow) is None
    assert refusal_reason(ipaddress.ip_address("10.2.0.1"), allow) is not None
    with pytest.raises(ValueError, match="not-an-address"):
        parse_allow_list(["not-an-address"])


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "localhost"])
def test_loopback_urls_are_refused_and_nothing_arrives(local_server, connections, host):
    url = local_server.serve("/ca.der", b"certificate")
    url = url.replace("127.0.0.1", host)
    with pytest.raises(FetchRefused):
        Fetcher(FetchPolicy()).get(url, 1024)
    assert local_server.requests == []
    assert connections == []


@pytest.mark.parametrize("url", ["http://10.0.0.1/ca.der", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::ffff:169.254.169.254]/", "http://[fe80::1]/"])
def test_private_urls_are_refused_before_any_connection(connections, url):
    with pytest.raises(FetchRefused):
        Fetcher(FetchPolicy()).get(url, 1024)
    assert connections == []


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/ca.der", "file:///etc/passwd", "ldap://ca.example/cn=x",
                                 "http:///nohost"])
def test_other_schemes_are_refused(connections, url):
    with pytest.raises(FetchRefused):
        Fetcher(FetchPolicy(allow=LOCAL)).get(url, 1024)
    assert connections == []


def test_a_redirect_to_a_refused_address_is_not_followed(local_server, connections):
    url = local_server.serve("/moved", b"", status=302, Location="http://169.254.169.254/latest/")
    with pytest.raises(FetchRefused, match="169.254.169.254"):
        Fetcher(FetchPolicy(allow=LOCAL)).get(url, 1024)
    assert [path for _, path, _ in local_server.requests] == ["/moved"]
    assert connections == [("127.0.0.1", local_server.port)]


def test_an_allowed_fetch_and_an_allowed_redirect(local_server):
    local_server.serve("/ca.der", b"certificate bytes", Cache_Control="public, max-age=600")
    url = local_server.serve("/old", b"", status=301, Location="/ca.der")
    fetched = Fetcher(FetchPolicy(allow=LOCAL)).get(url, 1024)
    assert fetched.body == b"certificate bytes"
    assert fetched.max_age == 600 and not fetched.from_cache


def test_redirect_loops_stop(local_server):
    url = local_server.serve("/loop", b"", status=302, Location="/loop")
    with pytest.raises(FetchError, match="redirected"):
        Fetcher(FetchPolicy(allow=LOCAL, max_redirects=3)).get(url, 1024)
    assert len(local_server.requests) == 4


def test_size_limit_is_enforced_while_reading(local_server):
    declared = local_server.serve("/big", b"x" * 5000)
    undeclared = local_server.serve("/stream", b"x" * 70000, Omit_Length="1")
    fetcher = Fetcher(FetchPolicy(allow=LOCAL))
    with pytest.raises(FetchError, match="more than"):
        fetcher.get(declared, 4096)
    with pytest.raises(FetchError, match="more than"):
        fetcher.get(undeclared, 64 * 1024)
    assert fetcher.get(undeclared, 80000).body == b"x" * 70000


def test_a_slow_server_costs_at_most_the_fetch_timeout(local_server):
    url = local_server.serve("/slow", b"late")
    local_server.delay["/slow"] = 2.0
    started = time.monotonic()
    with pytest.raises(FetchError, match="in time"):
        Fetcher(FetchPolicy(allow=LOCAL, fetch_timeout=0.3)).get(url, 1024)
    assert time.monotonic() - started < 1.5


def test_fetch_count_and_diagnosis_budget(local_server):
    url = local_server.serve("/ca.der", b"certificate")
    fetcher = Fetcher(FetchPolicy(allow=LOCAL, max_fetches=2))
    fetcher.get(url, 1024)
    fetcher.get(url, 1024)
    with pytest.raises(FetchRefused, match="2 requests"):
        fetcher.get(url, 1024)
    assert len(local_server.requests) == 2
    spent = Fetcher(FetchPolicy(allow=LOCAL, diagnosis_budget=0.5))
    spent.get(url, 1024)  # the first fetch starts the clock
    time.sleep(0.6)
    with pytest.raises(FetchRefused, match="time"):
        spent.get(url, 1024)


def test_errors_and_status_codes_are_fetch_errors(local_server):
    fetcher = Fetcher(FetchPolicy(allow=LOCAL))
    with pytest.raises(FetchError, match="404"):
        fetcher.get(local_server.url("/missing"), 1024)
    closed = local_server.port
    local_server.server.shutdown()
    local_server.server.server_close()
    with pytest.raises(FetchError, match="could not be reached"):
        fetcher.get(f"http://127.0.0.1:{closed}/ca.der", 1024)


def test_answers_are_cached_by_url_for_their_lifetime(local_server):
    url = local_server.serve("/ca.der", b"certificate", Cache_Control="max-age=120")
    cache = DictCache()
    first = Fetcher(FetchPolicy(allow=LOCAL), cache=cache)
    fetched = first.get(url, 1024)
    first.remember(fetched, None)
    again = Fetcher(FetchPolicy(allow=LOCAL), cache=cache).get(url, 1024)
    assert again.body == b"certificate" and again.from_cache
    assert len(local_server.requests) == 1
    assert cache.timeouts["online:" + url] == 120
    no_store = local_server.serve("/fresh", b"x", Cache_Control="no-store")
    fetcher = Fetcher(FetchPolicy(allow=LOCAL), cache=cache)
    fetcher.remember(fetcher.get(no_store, 1024), None)
    assert "online:" + no_store not in cache.data


def test_a_slow_name_lookup_costs_at_most_the_connect_timeout(connections):
    def slow_dns(host, port, **kwargs):
        time.sleep(1.0)
        return [(2, 1, 6, "", ("93.184.215.14", port))]

    started = time.monotonic()
    with pytest.raises(FetchError, match="did not resolve in time"):
        Fetcher(FetchPolicy(connect_timeout=0.2), resolver=slow_dns).get("http://ca.example/ca.der", 1024)
    assert time.monotonic() - started < 0.8
    assert connections == []


def test_a_name_is_refused_when_any_of_its_addresses_is_private(connections):
    def mixed_dns(host, port, **kwargs):
        return [(2, 1, 6, "", ("93.184.215.14", port)), (2, 1, 6, "", ("10.0.0.1", port))]

    with pytest.raises(FetchRefused, match="10.0.0.1"):
        Fetcher(FetchPolicy(), resolver=mixed_dns).get("http://ca.example/ca.der", 1024)
    assert connections == []
