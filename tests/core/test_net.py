"""The one client address (core/net.py) every limit and log line names: only the entries
our own proxies appended to X-Forwarded-For are believed."""

import pytest
from django.test import RequestFactory

from core.net import client_address

CASES = [
    # (REMOTE_ADDR, X-Forwarded-For, TRUSTED_PROXY_COUNT, the client's address)
    # No proxies: the peer, whatever the header says.
    ("192.0.2.1", None, 0, "192.0.2.1"),
    ("192.0.2.1", "203.0.113.5", 0, "192.0.2.1"),
    # One proxy: the entry it appended, the last.
    ("10.0.0.1", "203.0.113.5", 1, "203.0.113.5"),
    ("10.0.0.1", "203.0.113.5 ,  ", 1, "203.0.113.5"),  # blank entries are no entries
    # Entries the client wrote itself sit to the left and are ignored.
    ("10.0.0.1", "6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),
    ("10.0.0.1", "6.6.6.6, 7.7.7.7, 203.0.113.5", 1, "203.0.113.5"),
    # Two proxies: the entry the outer one wrote; the inner one appended the outer's address.
    ("10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", 2, "203.0.113.5"),
    # Too few entries (a request that reached an inner proxy directly): nothing to believe.
    ("10.0.0.1", "10.0.0.2", 2, "10.0.0.1"),
    ("10.0.0.1", None, 1, "10.0.0.1"),
    ("10.0.0.1", "", 3, "10.0.0.1"),
    # IPv6, normalised, so one client is one bucket however it is spelt.
    ("2001:db8::1", None, 0, "2001:db8::1"),
    ("10.0.0.1", "2001:DB8:0:0:0:0:0:7", 1, "2001:db8::7"),
    ("10.0.0.1", "[2001:db8::7]:4711", 1, "2001:db8::7"),
    ("::ffff:192.0.2.9", None, 0, "192.0.2.9"),  # a dual-stack socket's IPv4 client
    ("10.0.0.1", "::ffff:203.0.113.5", 1, "203.0.113.5"),
    # A port some proxies add.
    ("10.0.0.1", "203.0.113.5:4711", 1, "203.0.113.5"),
    # Garbage where our proxy's entry should be: not believed, the peer is.
    ("10.0.0.1", "unknown", 1, "10.0.0.1"),
    ("10.0.0.1", "203.0.113.5, <script>", 1, "10.0.0.1"),
    ("10.0.0.1", "999.0.0.1", 1, "10.0.0.1"),
    ("10.0.0.1", "1" * 10_000, 1, "10.0.0.1"),
    ("10.0.0.1", ",,,", 1, "10.0.0.1"),
    # No address at all (a server on a Unix socket, without proxies): none.
    ("", None, 0, ""),
    (None, None, 0, ""),
    ("not-an-address", None, 0, ""),
]


@pytest.mark.parametrize("remote_addr, forwarded, proxies, expected", CASES)
def test_the_client_address_believes_only_what_our_proxies_appended(remote_addr, forwarded, proxies, expected, settings):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    if remote_addr is not None:
        request.META["REMOTE_ADDR"] = remote_addr
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(request) == expected


@pytest.mark.parametrize(
    "address, network",
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("", ""),
    ],
)
def test_a_per_network_limit_counts_ipv4_alone_and_ipv6_by_its_64(address, network):
    from core.net import network_of

    assert network_of(address) == network
