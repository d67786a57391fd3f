"""System checks of what the settings cannot refuse at start-up but production must not
run with: ``manage.py check --deploy`` reports them."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(host: str) -> bool:
    host = (host or "").lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs=None, **kwargs):
    """``SITE_URL`` makes every absolute link (emails, feeds, Statuspage's JSON): left at its
    default (``http://localhost:8000``) or at another address of this machine alone, no
    subscriber can follow them."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if not _is_local(host):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}, an address of this machine only: the links in emails, feeds and "
            "status.json will not open for anyone else.",
            hint="Set SITE_URL to the address users reach the site at, e.g. https://incidents.example.com.",
            id="core.W001",
        )
    ]
