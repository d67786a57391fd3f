"""API key authentication and role checks.

``Authorization: Bearer <token>`` is looked up by the token's hash. Each view names the
roles that may call each of its actions; ``global_access`` may call everything, and a key
never gains a role it was not given.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from . import gate


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header ("" for any other
    Authorization header), or None without one."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        token = bearer_token(request)
        if token is None:
            return None
        if not token:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <API key>'")
        # Set on the Django request, which outlives DRF's wrapper and is what views read.
        # A request a fast path (incidents.api.hot) admitted and handed over is not
        # admitted twice.
        admitted = getattr(request._request, "admitted", None)
        key = admitted[1] if admitted and admitted[0] == token else gate.admit(request._request, token)
        if key is None:
            raise exceptions.AuthenticationFailed("The API key is not valid: it may have been rotated or deleted")
        return (None, key)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Our OpenAPI document names the scheme as incident.io's does (BearerAuth)."""

    target_class = ApiKeyAuthentication
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key's token (python manage.py createapikey, or the admin's API keys page)",
        }


class HasApiRole(BasePermission):
    """Reads ``view.roles[action]``: the roles any one of which allows the action."""

    def has_permission(self, request, view):
        key = request.auth
        if key is None:
            raise exceptions.NotAuthenticated("No authorization material provided in request")
        if view.action is None:
            return True  # a method this path does not serve: DRF answers 405
        allowed = view.roles.get(view.action)
        if allowed is None:
            # An action nobody listed is refused rather than open.
            raise exceptions.PermissionDenied("This operation is not available to API keys")
        if not key.has_role(*allowed):
            raise exceptions.PermissionDenied(
                f"This API key needs one of these roles: {', '.join(allowed)}"
            )
        return True


class HasApiKey(BasePermission):
    """Any valid key, whatever its roles (identity: a key may always ask who it is)."""

    def has_permission(self, request, view):
        if request.auth is None:
            raise exceptions.NotAuthenticated("No authorization material provided in request")
        return True
