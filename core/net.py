"""Who is asking: the one client address every limit and log line names.

Each proxy in front of us appends the address it saw to X-Forwarded-For, so of its
entries only the last ``TRUSTED_PROXY_COUNT`` were written by proxies of ours; what the
client wrote itself sits to their left and is never believed. The client is the entry the
outermost of our proxies wrote. Without proxies (``0``), or when the header holds fewer
entries than we have proxies (a request that reached an inner one directly), it is the
peer the web server saw, REMOTE_ADDR; so it is when the trusted entry is no address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The asking client's address (normalised: ``2001:db8::1``, an IPv4-mapped IPv6
    address as IPv4), or "" when neither the trusted entry nor REMOTE_ADDR is an address."""
    meta = request.META
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [entry.strip() for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [entry for entry in forwarded if entry]
        if len(forwarded) >= proxies:
            address = _address(forwarded[-proxies])
            if address:
                return address
    return _address(meta.get("REMOTE_ADDR") or "")


def _address(text: str) -> str:
    """``text`` as an IP address ("" if it is none), without the port some proxies add
    (``192.0.2.1:4711``, ``[2001:db8::1]:4711``)."""
    if len(text) > 64:  # the longest IPv6 address with a scope and a port is shorter
        return ""
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


#: the prefix an IPv6 client is counted by: a subscriber line gets a /64 (or more)
IPV6_NETWORK_PREFIX = 64


def network_of(address: str) -> str:
    """The network a per-network limit counts ``address`` (as ``client_address`` gives
    it) in: an IPv4 address alone, an IPv6 address's /64, since one home or host holds a
    whole /64 and could otherwise take a fresh address for each request. "" stays ""."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_NETWORK_PREFIX}", strict=False))
    return str(parsed)
