"""Per-key rate limiting, shared by every process through Django's cache (Redis in
production, a file cache on one machine).

incident.io documents its limits as token buckets that refill continuously: a key may
burst up to ``API_RATE_LIMIT_PER_MINUTE`` requests, then sustain that many per minute,
with no window boundary at which the whole allowance comes back in one step. We keep each
bucket as GCRA's "theoretical arrival time" (TAT, in microseconds) in one cache entry: a
request adds one emission interval (60 s / limit); the bucket is full when the TAT is not
ahead of now and empty when it is a whole window ahead. With Redis, the request's gate
(``incidents.api.gate``) spends from the bucket in the same Lua call that looks the key
up, and ``check_rate_limit`` only decides; other caches move the TAT with their atomic
``incr``. Responses carry incident.io's X-RateLimit-* headers; past the limit the API
answers 429 with a Retry-After header and the ``rate_limit`` block in the body.
"""

import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from .errors import RateLimited

WINDOW = 60  # seconds the limit is stated over ("1200;window=60")
MICROSECONDS = 1_000_000
# The entry's lifetime, renewed whenever a bucket starts again from full. A key spending
# its whole allowance non-stop for this long gets one extra burst when the entry lapses.
ENTRY_TIMEOUT = 24 * 60 * 60


def bucket_key(token_hash: str) -> str:
    # By the token's hash, which the request carries, so incidents.api.gate can spend from
    # the bucket in the same round trip as it looks the key up. A key has one token at a
    # time: rotating it starts a new, full bucket.
    return f"api-rate:{token_hash}"


def plan() -> tuple[int, int, int] | None:
    """(now, interval, capacity) in microseconds for spending one request now, or None
    when no limit is configured."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return None
    interval = WINDOW * MICROSECONDS // limit
    return int(time.time() * MICROSECONDS), interval, limit * interval


def _spend(cache_key: str, now: int, interval: int) -> int:
    """Add one interval to the bucket's TAT and return the new TAT (one cache round trip
    while a key is busy: the entry exists and only needs incrementing)."""
    fresh = now + interval
    try:
        tat = cache.incr(cache_key, interval)
    except ValueError:  # no entry yet, or it lapsed
        if cache.add(cache_key, fresh, timeout=ENTRY_TIMEOUT):
            return fresh
        tat = cache.incr(cache_key, interval)
    if tat < fresh:
        # The TAT was in the past: the bucket had refilled completely, so this request
        # starts it again from now. Two requests racing through here may count as one,
        # the small lag incident.io's documentation allows X-RateLimit-Remaining too.
        cache.set(cache_key, fresh, timeout=ENTRY_TIMEOUT)
        return fresh
    return tat


def _give_back(cache_key: str, interval: int) -> None:
    # A refused request spends nothing, so a client retrying too early is not pushed further back.
    try:
        cache.decr(cache_key, interval)
    except ValueError:
        pass


def check_rate_limit(request, key) -> None:
    """Spend one request of ``key``'s allowance, or raise RateLimited. Sets the
    X-RateLimit-* headers the view adds to its response either way. When the request was
    already charged (``request.rate_limit_spent``: by the gate, with the Redis cache, or
    by an earlier check), only decides: a request is charged once, however often it is
    checked."""
    if key is None:  # a public endpoint called without a key
        return
    spent = getattr(request, "rate_limit_spent", None)
    if spent is not None:
        (allowed, tat), (now, interval, capacity) = spent
    else:
        planned = plan()
        if planned is None:
            return
        now, interval, capacity = planned
        cache_key = bucket_key(key.token_hash)
        if hasattr(cache, "spend_token_bucket"):
            # Redis (config/cache.py): the whole step in one atomic round trip.
            allowed, tat = cache.spend_token_bucket(cache_key, now=now, interval=interval, capacity=capacity, timeout=ENTRY_TIMEOUT)
        else:
            tat = _spend(cache_key, now, interval)
            allowed = tat - now <= capacity
            if not allowed:
                _give_back(cache_key, interval)
                tat -= interval
        request.rate_limit_spent = ((allowed, tat), planned)
    limit = capacity // interval
    remaining = max((now + capacity - tat) // interval, 0)
    request.rate_limit_headers = {
        "X-RateLimit-Limit": f"{limit}, {limit};window={WINDOW}",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Used": str(limit - remaining),
        # When the bucket is full again.
        "X-RateLimit-Reset": str(math.ceil(max(tat, now) / MICROSECONDS)),
    }
    if not allowed:
        # One more request fits once the TAT is no more than a window (less one interval) ahead.
        wait = tat + interval - capacity - now
        retry_after = max(math.ceil(wait / MICROSECONDS), 1)
        retry_at = datetime.fromtimestamp(now / MICROSECONDS + retry_after, tz=UTC)
        raise RateLimited(
            name=key.name,
            limit=limit,
            retry_after_seconds=retry_after,
            retry_at=retry_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
