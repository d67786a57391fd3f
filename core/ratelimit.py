"""Rate limits: named token buckets in Django's cache (Redis in production, a file cache on
one machine), shared by every process.

Each limit is a ``Bucket``: a name, the setting holding its allowance and the window that
allowance is stated over. A subject (an API key, a client address...) may burst up to the
allowance, then sustain it, with no window boundary at which the whole allowance comes
back in one step (incident.io documents its API's limits this way). Every bucket follows
one rule, GCRA: its "theoretical arrival time" (TAT, in microseconds of one clock,
``time.time()`` here) in one cache entry; a request adds one emission interval
(window / allowance) to it; the bucket is full when the TAT is not ahead of now, and a
request fits while the TAT it leaves is at most a window ahead.

- ``API_KEY``: requests per API key and minute (``API_RATE_LIMIT_PER_MINUTE``); the
  API's throttle, headers and 429 are ``core.api.throttling``'s.
- ``AUTH_FAILURES``: tokens that open no key, per client address and minute
  (``API_AUTH_FAILURES_PER_MINUTE``): an unknown token costs a database lookup, and an
  address past its allowance is answered 429 without one (``core.api.auth``).
- ``SUBSCRIBE_REQUESTS``: the subscribe form, per client address and hour
  (``SUBSCRIBE_REQUESTS_PER_HOUR``).
- ``SUBSCRIBE_EMAILS``: confirmation (or reminder) emails per email address and page and
  hour (``SUBSCRIBE_EMAILS_PER_HOUR``).

A bucket's entries are state, not copies: ``rate:<bucket>:<subject>``
(``core.cache_keys.state_key``), kept across deploys so an upgrade hands nobody a fresh
allowance. A limit set to 0 turns its bucket off.

``spend()`` is the rule on any Django cache; the accelerated gate spends the API key's
bucket by the same rule in one Lua call on Redis (``core.accel.redis``), and
both are checked against one table of cases. While the shared cache is unreachable
(``core.cache.CacheUnavailable``), each process spends from buckets of its own
(``LOCAL``), by the same rule: a limit then holds per process rather than across them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from core.cache import CacheUnavailable
from core.cache_keys import state_key

#: the window of a limit stated per minute ("1200;window=60"), in seconds
WINDOW = 60
HOUR = 60 * 60
MICROSECONDS = 1_000_000
# The entry's lifetime, renewed whenever a bucket starts again from full. A subject
# spending its whole allowance non-stop for this long gets one extra burst when the entry lapses.
ENTRY_TIMEOUT = 24 * 60 * 60
#: This process's buckets, spent from while the shared cache is unreachable.
LOCAL = LocMemCache("core-rate-limit-local", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
#: the cache keys' namespace (``rate:<bucket>:<subject>``)
NAMESPACE = "rate"


def now() -> int:
    """The one clock every bucket is spent by, in microseconds."""
    return int(time.time() * MICROSECONDS)


@dataclass(frozen=True)
class Plan:
    """What spending one request now means, in microseconds."""

    now: int
    interval: int
    capacity: int
    #: seconds the limit is stated over
    window: int = WINDOW


@dataclass(frozen=True)
class RateLimit:
    """The outcome of spending one request (or of a look at a bucket): whether it fit,
    and the bucket's TAT after."""

    allowed: bool
    tat: int
    plan: Plan

    @property
    def limit(self) -> int:
        return self.plan.capacity // self.plan.interval

    @property
    def remaining(self) -> int:
        return max((self.plan.now + self.plan.capacity - self.tat) // self.plan.interval, 0)

    @property
    def retry_after(self) -> int:
        """Whole seconds (at least 1) until one more request fits: once the TAT is no more
        than a window (less one interval) ahead."""
        wait = self.tat + self.plan.interval - self.plan.capacity - self.plan.now
        return max(-(-wait // MICROSECONDS), 1)

    @property
    def retry_at(self) -> datetime:
        return datetime.fromtimestamp(self.plan.now / MICROSECONDS + self.retry_after, tz=UTC)

    @property
    def reset(self) -> int:
        """When the bucket is full again (Unix time, rounded up)."""
        return -(-max(self.tat, self.plan.now) // MICROSECONDS)

    def headers(self) -> dict[str, str]:
        """incident.io's X-RateLimit-* headers."""
        return {
            "X-RateLimit-Limit": f"{self.limit}, {self.limit};window={self.plan.window}",
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(self.limit - self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


_UNREAD = object()


@dataclass(frozen=True)
class Bucket:
    """A named limit: ``limit_setting`` requests per ``window`` seconds and subject."""

    name: str
    limit_setting: str
    window: int = WINDOW
    #: keep subjects (email addresses) out of the keys in clear, and any character a
    #: cache key must not hold: keyed by a digest
    hashed: bool = False

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)

    def key(self, *subject: object) -> str:
        """The cache key of ``subject``'s bucket (its parts: ``(page id, address)``)."""
        if self.hashed:
            subject = (hashlib.sha256("\0".join(map(str, subject)).encode()).hexdigest()[:32],)
        return state_key(NAMESPACE, self.name, *subject)

    def plan(self, at: int | None = None) -> Plan | None:
        """What spending one request at ``at`` (microseconds; the clock's by default)
        means, or None when the limit is off."""
        limit = self.limit
        if limit <= 0:
            return None
        interval = self.window * MICROSECONDS // limit
        return Plan(now=now() if at is None else at, interval=interval, capacity=limit * interval, window=self.window)

    def spend(self, *subject: object, planned: Plan | None = None) -> RateLimit | None:
        """Spend one request from ``subject``'s bucket (None when the limit is off)."""
        planned = self.plan() if planned is None else planned
        return None if planned is None else spend(self.key(*subject), planned)

    def peek(self, *subject: object, planned: Plan | None = None, found=_UNREAD) -> RateLimit | None:
        """What one more request from ``subject`` would meet now, spending nothing (None
        when the limit is off). ``found``: the bucket's entry (None: none), when the caller
        read it already (the accelerated gate reads it with the API key)."""
        planned = self.plan() if planned is None else planned
        if planned is None:
            return None
        return look(cache.get(self.key(*subject)) if found is _UNREAD else found, planned)


API_KEY = Bucket("api-key", "API_RATE_LIMIT_PER_MINUTE")
AUTH_FAILURES = Bucket("auth-failures", "API_AUTH_FAILURES_PER_MINUTE")
SUBSCRIBE_REQUESTS = Bucket("subscribe-requests", "SUBSCRIBE_REQUESTS_PER_HOUR", window=HOUR, hashed=True)
SUBSCRIBE_EMAILS = Bucket("subscribe-emails", "SUBSCRIBE_EMAILS_PER_HOUR", window=HOUR, hashed=True)
#: every bucket, by name
BUCKETS = {bucket.name: bucket for bucket in (API_KEY, AUTH_FAILURES, SUBSCRIBE_REQUESTS, SUBSCRIBE_EMAILS)}


def look(tat: int | None, planned: Plan) -> RateLimit:
    """A bucket whose TAT is ``tat`` (None: no entry) as one more request would meet it now."""
    tat = planned.now if tat is None else max(tat, planned.now)
    return RateLimit(allowed=tat + planned.interval - planned.now <= planned.capacity, tat=tat, plan=planned)


def spend(key: str, planned: Plan) -> RateLimit:
    """Spend one request from the bucket at ``key`` through Django's cache, or from this
    process's own bucket while the cache is unreachable."""
    try:
        return spend_from(cache, key, planned)
    except CacheUnavailable:
        return spend_from(LOCAL, key, planned)


def spend_from(store, key: str, planned: Plan) -> RateLimit:
    """Spend one request from the bucket at ``key`` in ``store`` (a Django cache).

    The TAT moves with the cache's atomic ``incr`` (one round trip while a bucket is busy),
    so concurrent requests each count. A TAT found in the past (the bucket had refilled
    completely) starts again from now; two requests racing through that step may count as
    one, the small lag incident.io's documentation allows X-RateLimit-Remaining too. A
    refused request is given back, so a client retrying too early is not pushed back."""
    now, interval = planned.now, planned.interval
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
