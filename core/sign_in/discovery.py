"""The provider's endpoints, from ``<OIDC_ISSUER>/.well-known/openid-configuration``.

Read at the first sign-in, not at start-up (a provider that is down must not stop the
site, whose password login for superusers is the way in while it is), and kept for an
hour per process."""

import time

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_TTL_SECONDS = 3600
_documents: dict[str, tuple[float, dict]] = {}


def provider_configuration() -> dict:
    """The discovery document of ``settings.OIDC_ISSUER``; it must name that issuer."""
    issuer = settings.OIDC_ISSUER
    cached = _documents.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    # OpenID Connect Discovery 1.0, section 4.3: the issuer in the document must be the
    # one asked for, or a document on another host could send sign-ins elsewhere.
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(f"{issuer}'s discovery document names the issuer {document.get('issuer')!r}")
    _documents[issuer] = (time.monotonic() + _TTL_SECONDS, document)
    return document
