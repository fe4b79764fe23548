"""The client's address behind TRUSTED_PROXIES: right-most untrusted X-Forwarded-For entry, else the peer."""
from __future__ import annotations

from ipaddress import ip_network

import pytest

from smimecenter.operations.addresses import client_address

PROXIES = (ip_network("10.0.0.0/8"), ip_network("2001:db8:ffff::/48"))


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address("198.51.100.9", "203.0.113.7", ()) == "198.51.100.9"


def test_a_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_address("198.51.100.9", "203.0.113.7", PROXIES) == "198.51.100.9"


def test_the_right_most_untrusted_entry_is_the_client() -> None:
    # The client forged "1.2.3.4"; our proxies appended what they saw.
    assert client_address("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.1", PROXIES) == "203.0.113.7"


def test_ports_brackets_and_mapped_addresses_are_understood() -> None:
    assert client_address("10.0.0.2", "203.0.113.7:4711", PROXIES) == "203.0.113.7"
    assert client_address("10.0.0.2", "[2001:db8::5]:443", PROXIES) == "2001:db8::5"
    assert client_address("::ffff:10.0.0.2", "::ffff:203.0.113.7", PROXIES) == "203.0.113.7"


def test_garbage_stops_the_walk_at_the_last_proxy_that_saw_a_real_connection() -> None:
    assert client_address("10.0.0.2", "203.0.113.7, not-an-address, 10.0.0.1", PROXIES) == "10.0.0.1"


def test_a_request_from_inside_our_network_is_the_left_most_proxy() -> None:
    assert client_address("10.0.0.2", "10.0.0.9, 10.0.0.1", PROXIES) == "10.0.0.9"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = (ip_network("127.0.0.1/32"),)
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    settings.DIAGNOSE_RATE_LIMIT_BURST = 1


def test_two_clients_behind_one_proxy_have_their_own_limits(client, behind_proxy) -> None:
    url = "/api/v1/diagnose"
    first = client.post(url, {"text": "x"}, content_type="application/json",
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = client.post(url, {"text": "x"}, content_type="application/json",
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    again = client.post(url, {"text": "x"}, content_type="application/json",
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert (first.status_code, second.status_code, again.status_code) == (200, 200, 429)


def test_a_forged_header_from_outside_does_not_buy_a_new_limit(client, behind_proxy) -> None:
    url = "/api/v1/diagnose"
    statuses = [client.post(url, {"text": "x"}, content_type="application/json", REMOTE_ADDR="198.51.100.9",
                            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(2)]
    assert statuses == [200, 429]
