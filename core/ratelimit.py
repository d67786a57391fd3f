"""Per-key rate limiting, shared by every process through Django's cache (Redis in
production, a file cache on one machine).

incident.io documents its limits as token buckets that refill continuously: a key may
burst up to ``API_RATE_LIMIT_PER_MINUTE`` requests, then sustain that many per minute,
with no window boundary at which the whole allowance comes back in one step. Each bucket
is GCRA's "theoretical arrival time" (TAT, in microseconds) in one cache entry: a request
adds one emission interval (60 s / limit) to it; the bucket is full when the TAT is not
ahead of now, and a request fits while the TAT it leaves is at most a window ahead.

``spend()`` is that rule, on any Django cache; the accelerated gate runs the same rule in
one Lua call on Redis (``core.accel.redis``), and both are checked against one
table of cases. A request is charged once, however many times it is checked.
While the shared cache is unreachable (``core.cache.CacheUnavailable``), each process
spends from buckets of its own (``LOCAL``), by the same rule: the limit then holds per
process rather than across them.
Responses carry incident.io's X-RateLimit-* headers; past the limit the API answers 429
with a Retry-After header and the ``rate_limit`` block in the body.

The same rule limits failed authentications per client address
(``API_AUTH_FAILURES_PER_MINUTE``): an unknown token costs a database lookup, and an
address past its allowance is answered 429 without one (``core.api.auth``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import BaseThrottle

from core.api.errors import RateLimited
from core.api.state import state_of
from core.cache import CacheUnavailable

WINDOW = 60  # seconds the limit is stated over ("1200;window=60")
MICROSECONDS = 1_000_000
# The entry's lifetime, renewed whenever a bucket starts again from full. A key spending
# its whole allowance non-stop for this long gets one extra burst when the entry lapses.
ENTRY_TIMEOUT = 24 * 60 * 60
#: This process's buckets, spent from while the shared cache is unreachable.
LOCAL = LocMemCache("incidents-api-rate-limit-local", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


@dataclass(frozen=True)
class Plan:
    """What spending one request now means, in microseconds."""

    now: int
    interval: int
    capacity: int


@dataclass(frozen=True)
class RateLimit:
    """The outcome of spending one request: whether it fit, and the bucket's TAT after."""

    allowed: bool
    tat: int
    plan: Plan

    @property
    def limit(self) -> int:
        return self.plan.capacity // self.plan.interval

    @property
    def remaining(self) -> int:
        return max((self.plan.now + self.plan.capacity - self.tat) // self.plan.interval, 0)

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": f"{self.limit}, {self.limit};window={WINDOW}",
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(self.limit - self.remaining),
            # When the bucket is full again.
            "X-RateLimit-Reset": str(math.ceil(max(self.tat, self.plan.now) / MICROSECONDS)),
        }

    def refusal(self, key_name: str) -> RateLimited:
        # One more request fits once the TAT is no more than a window (less one interval) ahead.
        wait = self.tat + self.plan.interval - self.plan.capacity - self.plan.now
        retry_after = max(math.ceil(wait / MICROSECONDS), 1)
        retry_at = datetime.fromtimestamp(self.plan.now / MICROSECONDS + retry_after, tz=UTC)
        return RateLimited(
            name=key_name, limit=self.limit, retry_after_seconds=retry_after, retry_at=retry_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        )


def bucket_key(token_hash: str) -> str:
    # By the token's hash, which the request carries, so the accelerated gate can spend
    # from the bucket in the same round trip as it looks the key up. A key has one token
    # at a time: rotating it starts a new, full bucket.
    return f"api-rate:{token_hash}"


def plan(now: int | None = None, *, limit: int | None = None) -> Plan | None:
    """What spending one request at ``now`` (microseconds; the clock's by default) means
    under ``limit`` a minute (a key's, ``API_RATE_LIMIT_PER_MINUTE``, by default), or None
    when no limit is configured."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE if limit is None else limit
    if limit <= 0:
        return None
    interval = WINDOW * MICROSECONDS // limit
    return Plan(now=int(time.time() * MICROSECONDS) if now is None else now, interval=interval, capacity=limit * interval)


def spend(token_hash: str, planned: Plan, *, bucket: str | None = None) -> RateLimit:
    """Spend one request from the bucket of ``token_hash`` (or the bucket whose cache key
    is ``bucket``) through Django's cache, or from this process's own bucket while the
    cache is unreachable."""
    try:
        return spend_from(cache, token_hash, planned, bucket=bucket)
    except CacheUnavailable:
        return spend_from(LOCAL, token_hash, planned, bucket=bucket)


def spend_from(store, token_hash: str, planned: Plan, *, bucket: str | None = None) -> RateLimit:
    """Spend one request from the bucket of ``token_hash`` (or ``bucket``) in ``store`` (a
    Django cache).

    The TAT moves with the cache's atomic ``incr`` (one round trip while a key is busy),
    so concurrent requests each count. A TAT found in the past (the bucket had refilled
    completely) starts again from now; two requests racing through that step may count as
    one, the small lag incident.io's documentation allows X-RateLimit-Remaining too. A
    refused request is given back, so a client retrying too early is not pushed back."""
    key, now, interval = bucket or bucket_key(token_hash), planned.now, planned.interval
    fresh = now + interval
    try:
        tat = store.incr(key, interval)
    except ValueError:  # no entry yet, or it lapsed
        tat = fresh if store.add(key, fresh, timeout=ENTRY_TIMEOUT) else store.incr(key, interval)
    if tat < fresh:
        store.set(key, fresh, timeout=ENTRY_TIMEOUT)
        tat = fresh
    if tat - now > planned.capacity:
        try:
            store.decr(key, interval)
        except ValueError:
            pass
        return RateLimit(allowed=False, tat=tat - interval, plan=planned)
    return RateLimit(allowed=True, tat=tat, plan=planned)


def refusal_of(tat: int | None, planned: Plan) -> RateLimit | None:
    """A look at a bucket whose TAT is ``tat`` (None: no entry), spending nothing: the
    refusal one more request would meet now, or None when it would fit."""
    if tat is not None and max(tat, planned.now) + planned.interval - planned.now > planned.capacity:
        return RateLimit(allowed=False, tat=tat, plan=planned)
    return None


def failures_bucket_key(address: str) -> str:
    return f"api-auth-failures:{address}"


def failures_plan() -> Plan | None:
    """What one failed authentication costs its address now (None: not limited)."""
    return plan(limit=settings.API_AUTH_FAILURES_PER_MINUTE)


def check(request, key) -> RateLimit | None:
    """Spend one request of ``key``'s allowance unless this request already did, and
    remember the outcome for the response's headers: None when no limit is set."""
    state = state_of(request)
    if state.rate_limit is None:
        planned = plan()
        state.rate_limit = None if planned is None else spend(key.token_hash, planned)
    state.rate_limit_checked = True
    return state.rate_limit


class ApiKeyRateThrottle(BaseThrottle):
    """DRF's throttle step for the key's bucket: a request without a key (a public
    endpoint) is not limited. A refusal is raised by ``ApiViewSet.throttled``."""

    def allow_request(self, request, view) -> bool:
        if request.auth is None:
            return True
        outcome = check(request, request.auth)
        return outcome is None or outcome.allowed
