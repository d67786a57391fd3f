"""What one API request has learnt about itself, in one typed object that the
authentication, the rate limit and the views read and write (instead of attributes
added to the request here and there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import ApiKey
    from core.ratelimit import RateLimit


@dataclass
class ApiRequestState:
    #: the bearer token the key was looked up by (None until it is)
    token: str | None = None
    #: the key that token opens, None for none
    key: ApiKey | None = None
    #: the outcome of spending one request from the key's bucket, once spent (by the
    #: throttle, or by the accelerated gate along with the key's lookup): never spent twice
    rate_limit: RateLimit | None = None
    #: whether the rate limit was checked, so the response reports it
    rate_limit_checked: bool = False
    #: the refusal met by a token no key was found for, when the client's address is past
    #: its failed authentications (core.api.auth): a 429 rather than a 401
    auth_refusal: RateLimit | None = None
    # Acceleration only (core.accel): read with the key, in the same round trip.
    #: the version tokens of what the accelerated caches hold (source -> token)
    versions: dict[str, str | None] | None = None
    #: cache keys the request wants with the key, and the entries found ({key: entry or None})
    prefetch: list[str] = field(default_factory=list)
    prefetched: dict[str, object] = field(default_factory=dict)


def state_of(request) -> ApiRequestState:
    """The request's state (a DRF request or the Django request it wraps), made on first use."""
    request = getattr(request, "_request", request)
    state = getattr(request, "api_state", None)
    if state is None:
        state = request.api_state = ApiRequestState()
    return state
