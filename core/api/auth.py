"""API key authentication and role checks.

``Authorization: Bearer <token>`` is looked up by the token's hash (with acceleration,
through the cache: ``core.acceleration``). Each view names the roles that may call each
of its actions; ``global_access`` may call everything, and a key never gains a role it
was not given.

A token that opens no key costs a database lookup, so failures are limited per client
address (``core.net.client_address``) by the ``ratelimit.AUTH_FAILURES`` bucket
(``API_AUTH_FAILURES_PER_MINUTE``): an address past its allowance is answered 429
without a lookup, except (with acceleration) for a key the cache already holds.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from core import ratelimit
from core.acceleration import backend
from core.api.state import state_of
from core.api.throttling import refusal
from core.net import client_address


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header ("" for any other
    Authorization header), or None without one."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(request, token: str):
    """The key ``token`` opens (None for none), looked up once per request: the state
    keeps it for every later step (the accelerated show path looks it up before DRF)."""
    state = state_of(request)
    if state.token != token:
        state.key = _admit(request, token)
        state.token = token
    return state.key


def _admit(request, token: str):
    failures = ratelimit.AUTH_FAILURES
    planned = failures.plan()
    if planned is None:
        return backend().admit(request, token)
    state = state_of(request)
    address = client_address(request)
    bucket = failures.key(address)

    def guarded(look_up, found):
        # An address past its allowance is refused before the lookup it would cost
        # (``found``: what the backend read, the address's bucket among it).
        seen = failures.peek(address, planned=planned, found=found.get(bucket))
        state.auth_refusal = None if seen.allowed else seen
        if state.auth_refusal is not None:
            return None
        key = look_up()
        if key is None:
            spent = failures.spend(address, planned=planned)
            state.auth_refusal = None if spent.allowed else spent
        return key

    # The backend reads the address's bucket (accelerated: with the key, in one round
    # trip) and guards only a lookup in the database.
    return backend().admit(request, token, guard=guarded, reads=[bucket])


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        token = bearer_token(request)
        if token is None:
            return None
        if not token:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <API key>'")
        key = authenticate(request, token)
        if key is None:
            refused = state_of(request).auth_refusal
            if refused is not None:
                raise refusal(refused, "failed_authentications")
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
            raise exceptions.PermissionDenied(f"This API key needs one of these roles: {', '.join(allowed)}")
        return True


class HasApiKey(BasePermission):
    """Any valid key, whatever its roles (identity: a key may always ask who it is)."""

    def has_permission(self, request, view):
        if request.auth is None:
            raise exceptions.NotAuthenticated("No authorization material provided in request")
        return True
