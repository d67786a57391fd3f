"""Per-key rate limiting, shared by every process through Django's cache (Redis in
production, a file cache on one machine).

A fixed one-minute window counted with ``cache.incr`` (atomic on Redis). Responses carry
incident.io's X-RateLimit-* headers; past the limit the API answers 429 with a
Retry-After header and the ``rate_limit`` block in the body.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from .errors import RateLimited

WINDOW = 60


def check_rate_limit(request, key) -> None:
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    now = time.time()
    window = int(now // WINDOW)
    cache_key = f"api-rate:{key.pk}:{window}"
    if cache.add(cache_key, 1, timeout=WINDOW * 2):
        used = 1
    else:
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=WINDOW * 2)
            used = 1
    reset = (window + 1) * WINDOW
    request.rate_limit_headers = {
        "X-RateLimit-Limit": f"{limit}, {limit};window={WINDOW}",
        "X-RateLimit-Remaining": str(max(limit - used, 0)),
        "X-RateLimit-Used": str(min(used, limit)),
        "X-RateLimit-Reset": str(reset),
    }
    if used > limit:
        retry_after = max(int(reset - now), 1)
        raise RateLimited(
            name=key.name,
            limit=limit,
            retry_after_seconds=retry_after,
            retry_at=datetime.fromtimestamp(reset, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
