"""The secret an event arrives with, however its sender puts it: ``Authorization: Bearer
<secret>``, ``Authorization: Basic`` with the secret as the password (or as the user
name, with no password), or ``?token=<secret>`` (incident.io's three ways).

A wrong secret costs a lookup and is a guess, so the events URLs share the API keys'
limit on failed authentications per client address (``ratelimit.AUTH_FAILURES``,
``API_AUTH_FAILURES_PER_MINUTE``): past it, a 429 before any lookup."""

import base64
import binascii

from rest_framework import exceptions

from alerts import services
from core import ratelimit
from core.api.throttling import refusal
from core.exceptions import DomainError
from core.net import client_address


def presented_secret(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        return credentials
    if scheme.lower() == "basic" and credentials:
        try:
            user, _, password = base64.b64decode(credentials, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return password or user or None
    return request.query_params.get("token") or None


def admitted_source(request, source_id: str, source_type: str):
    """The source the request's secret opens, or a 401 (no secret: missing; a wrong one,
    or one for no such source: invalid) or 403 (a disabled source)."""
    secret = presented_secret(request)
    if not secret:
        raise exceptions.NotAuthenticated("Send the alert source's secret: Authorization: Bearer <secret>, Basic, or ?token=")
    try:
        return guarded(request, lambda: services.admit_source(source_id, secret, source_type=source_type))
    except DomainError as refused:
        if refused.code == "disabled":
            raise exceptions.PermissionDenied(refused.message) from None
        raise exceptions.AuthenticationFailed(refused.message) from None


def guarded(request, admit):
    """``admit()`` (a source looked up by a secret), unless the client's address is past
    its allowance of failed authentications: then a 429, without the lookup. A secret
    that opens no source spends one from the allowance; a disabled source's right secret
    does not."""
    failures = ratelimit.AUTH_FAILURES
    planned = failures.plan()
    if planned is None:
        return admit()
    address = client_address(request)
    seen = failures.peek(address, planned=planned)
    if not seen.allowed:
        raise refusal(seen, "failed_authentications")
    try:
        return admit()
    except DomainError as refused:
        if refused.code != "disabled":
            failures.spend(address, planned=planned)
        raise
