"""The two steps of the flow: off the browser goes to the provider (with a state, a nonce
and a PKCE challenge kept in the session), and back it comes with a code. Both answer 404
while ``OIDC_ISSUER`` is empty."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.sign_in.discovery import provider_configuration

logger = logging.getLogger(__name__)


def _login_page(request, message: str) -> HttpResponseRedirect:
    messages.error(request, message)
    return HttpResponseRedirect(reverse("admin:login"))


class SignInView(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs):
        # The authorization endpoint comes from discovery, in get().
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.OIDC_ISSUER:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_configuration()["authorization_endpoint"]
        except (requests.RequestException, ImproperlyConfigured, KeyError, ValueError) as exc:
            logger.warning("The identity provider's discovery document could not be read: %s", exc)
            return _login_page(request, f"{settings.OIDC_PROVIDER_NAME} cannot be reached; try again later.")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not settings.OIDC_ISSUER:
            raise Http404
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "sign_in_refusal", "")
        if not reason and self.request.GET.get("error"):
            reason = f"{settings.OIDC_PROVIDER_NAME} did not sign you in ({self.request.GET['error'][:100]})."
        return _login_page(self.request, reason or f"Signing in with {settings.OIDC_PROVIDER_NAME} did not complete.")
