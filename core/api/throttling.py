"""The API key's rate limit (``core.ratelimit.API_KEY``) as the API answers it: DRF's
throttle step, spent once per request and remembered on the request's state for the
response's X-RateLimit-* headers, and past the limit incident.io's 429 (a Retry-After
header and the ``rate_limit`` block in the body)."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from core import ratelimit
from core.api.errors import RateLimited
from core.api.state import state_of
from core.ratelimit import RateLimit


def check(request, key) -> RateLimit | None:
    """Spend one request of ``key``'s allowance unless this request already did (the
    accelerated gate spends it with the key's lookup), and remember the outcome for the
    response's headers: None when no limit is set."""
    state = state_of(request)
    if state.rate_limit is None:
        state.rate_limit = ratelimit.API_KEY.spend(key.token_hash)
    state.rate_limit_checked = True
    return state.rate_limit


def refusal(outcome: RateLimit, name: str) -> RateLimited:
    """The 429 of a request ``outcome`` refused, naming ``name`` (the key's, or
    ``failed_authentications``) as incident.io's body does."""
    return RateLimited(
        name=name,
        limit=outcome.limit,
        retry_after_seconds=outcome.retry_after,
        retry_at=outcome.retry_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


class ApiKeyRateThrottle(BaseThrottle):
    """DRF's throttle step for the key's bucket: a request without a key (a public
    endpoint) is not limited. A refusal is raised by ``ApiViewSet.throttled``."""

    def allow_request(self, request, view) -> bool:
        if request.auth is None:
            return True
        outcome = check(request, request.auth)
        return outcome is None or outcome.allowed
