"""Refusing to call inside: a webhook URL must not make the server reach its own network.

The host is resolved once; if any address it resolves to is not a public one (loopback,
private, link-local such as the cloud metadata address 169.254.169.254, shared, reserved,
multicast, unspecified, or an IPv4 address mapped into IPv6), the call is refused, unless
the host is named in ``WEBHOOK_ALLOWED_HOSTS`` (``.example.com``: it and its subdomains).
The request then goes to the address that was checked (the URL's host kept for the
``Host`` header and TLS), so a second lookup cannot point it elsewhere; redirects are
never followed (``services.webhook_delivery``).
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from dataclasses import dataclass

import httpx
from django.conf import settings


class Refused(Exception):
    """The URL leads inside; calling it is not allowed."""


@dataclass(frozen=True)
class Target:
    #: the URL with its host replaced by the checked address
    url: httpx.URL
    #: the URL's own host (and port), for the Host header
    host_header: str
    #: the name TLS checks the certificate against
    server_name: str


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's roots), built once per process: building it
    reads the whole CA bundle, about as long as a loopback POST takes ten times over, and
    each delivery opens a client of its own (no connection is ever shared between hosts)."""
    return httpx.create_ssl_context()


def host_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    for allowed in settings.WEBHOOK_ALLOWED_HOSTS:
        allowed = allowed.lower()
        if allowed == "*" or host == allowed or (allowed.startswith(".") and (host == allowed[1:] or host.endswith(allowed))):
            return True
    return False


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def pin(url: str) -> Target:
    """Resolve ``url``'s host once and check every address; raises ``Refused`` (the URL
    leads inside) or ``OSError`` (the name does not resolve: worth another try)."""
    parsed = httpx.URL(url)
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    if not host_allowed(host):
        inside = [address for address in addresses if not is_public(address)]
        if inside:
            raise Refused(f"{host} resolves to {inside[0]}, not a public address (WEBHOOK_ALLOWED_HOSTS can allow it)")
    netloc = parsed.netloc.decode("ascii")
    return Target(url=parsed.copy_with(host=addresses[0]), host_header=netloc, server_name=host)
