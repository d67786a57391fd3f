"""Django's Redis cache, made to fail soft: the cache is an accelerator, never a
dependency the site stops without.

``ResilientRedisCache`` (what ``CACHE_URL=redis://...`` selects; the accelerated API's
``AcceleratedRedisCache`` builds on it) gives every call short connect and read timeouts
and puts it behind one ``CircuitBreaker`` per Redis server and process. A call that
cannot reach Redis, or that the open breaker does not try, answers as a cache that has
nothing: reads miss (``get`` gives the default, ``get_many`` nothing), writes are dropped
(``add`` did not add). ``incr``/``decr``, whose callers cannot take a miss for an answer,
raise ``CacheUnavailable`` instead: the rate limit then spends from a per-process bucket.

A change made while Redis was unreachable could not drop what it made stale, and a Redis
that was frozen or cut off (not restarted) still holds it. So after a write was lost, or
the breaker opened, the first call that reaches Redis again first sends
``cache_resync``, whose receivers move the caches' version tokens and drop the API keys
cached by token, before anything is read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

#: what counts as "Redis is not there" (refused, reset, timed out, loading its data):
#: any other error means Redis answered
UNREACHABLE = (ConnectionError, TimeoutError)

#: Sent, with ``cache``, before the first call that reaches Redis again after a write was
#: lost or the breaker opened: receivers make unreachable whatever a change made during
#: the outage should have dropped (with that ``cache``, whose calls are allowed then).
cache_resync = Signal()

DEFAULT_OPTIONS = {
    # A Redis nearby answers in well under a millisecond; a hung one must cost little.
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.5,
}


class CacheUnavailable(Exception):
    """The cache could not be reached (or was not tried): raised where a miss is no answer."""


class CircuitBreaker:
    """Closed, calls go through; ``failures`` failed calls in a row open it. Open, calls
    are not tried for ``reset_seconds``. Then half-open: one call (the probe, with any
    call its thread makes before it ends) is tried while the others are still refused;
    it closes the breaker if it succeeds and opens it again if not.

    Written here rather than taken from pybreaker, which holds one lock for the whole of
    every call (a threaded worker's cache calls would queue behind one hung call) and
    reads the wall clock, where tests need a clock of their own."""

    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"

    def __init__(self, name: str, *, failures: int = 3, reset_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.name = name
        self.failures = failures
        self.reset_seconds = reset_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._state = self.CLOSED
        self._failed = 0  # in a row, while closed
        self._opened_at = 0.0
        self._down_since = 0.0
        self._probe: tuple[int, float] | None = None  # the probing thread, since when

    @property
    def state(self) -> str:
        with self._lock:
            return self._current(self.clock())

    def _current(self, now: float) -> str:
        if self._state == self.OPEN and now - self._opened_at >= self.reset_seconds:
            self._state, self._probe = self.HALF_OPEN, None
        return self._state

    def allow(self) -> bool:
        """Whether to try a call now (half-open: whether this thread is the probe)."""
        if self._state == self.CLOSED:  # every call while all is well: no lock
            return True
        with self._lock:
            now = self.clock()
            state = self._current(now)
            if state == self.CLOSED:
                return True
            if state == self.OPEN:
                return False
            thread = threading.get_ident()
            # A probe whose thread never reported (it died) is replaced after a while.
            if self._probe is None or self._probe[0] == thread or now - self._probe[1] >= self.reset_seconds:
                self._probe = (thread, now)
                return True
            return False

    def succeeded(self) -> None:
        if self._state == self.CLOSED and not self._failed:
            return
        with self._lock:
            self._failed = 0
            if self._state != self.CLOSED:
                logger.warning("%s is reachable again, after %.1f s", self.name, self.clock() - self._down_since)
                self._state, self._probe = self.CLOSED, None

    def failed(self, error: BaseException) -> bool:
        """Count a failed call; True when it opened the breaker."""
        with self._lock:
            now = self.clock()
            if self._state == self.HALF_OPEN:
                self._state, self._opened_at, self._probe = self.OPEN, now, None
                logger.debug("%s is still unreachable (%s)", self.name, error)
                return True
            if self._state == self.CLOSED:
                self._failed += 1
                if self._failed >= self.failures:
                    self._state, self._opened_at, self._down_since, self._failed = self.OPEN, now, now, 0
                    # Once per outage: the half-open probes that fail after it are not logged.
                    logger.error(
                        "%s is unreachable (%s: %s): going without it, trying again every %s s",
                        self.name, type(error).__name__, error, self.reset_seconds,
                    )
                    return True
            return False


@dataclass
class _Health:
    """What every cache instance of one Redis server shares in a process (Django makes a
    cache instance per thread)."""

    breaker: CircuitBreaker
    #: a write was lost, or the breaker opened: send ``cache_resync`` before the next call
    resync: bool = False
    #: how many times that happened (a resync during which it happened again is not done)
    losses: int = 0
    #: held while resyncing: the other threads wait for it rather than read stale entries
    lock: threading.Lock = field(default_factory=threading.Lock)

    def lost(self) -> None:
        self.losses += 1
        self.resync = True


_resyncing = threading.local()


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str, failures: int, reset_seconds: float) -> _Health:
    with _health_lock:
        health = _health.get(location)
        if health is None:
            breaker = CircuitBreaker(f"The cache's Redis ({location})", failures=failures, reset_seconds=reset_seconds)
            health = _health[location] = _Health(breaker)
        return health


class _Miss:
    """``fallback`` of a call that found nothing to return: raise CacheUnavailable."""


class ResilientRedisCache(RedisCache):
    """Django's Redis cache whose calls never wait long for, nor fail with, an unreachable
    Redis. Its OPTIONS take ``breaker_failures`` and ``breaker_reset_seconds`` beside
    redis-py's connection options (``socket_timeout``, ``socket_connect_timeout``, whose
    defaults here are short)."""

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **(params.get("OPTIONS") or {})}
        failures = int(options.pop("breaker_failures", 3))
        reset_seconds = float(options.pop("breaker_reset_seconds", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._health = _health_of(",".join(self._servers), failures, reset_seconds)

    @property
    def breaker(self) -> CircuitBreaker:
        return self._health.breaker

    def guarded(self, call: Callable, fallback, *, write: bool):
        """``call()``, or ``fallback`` (``_Miss``: raise CacheUnavailable) when Redis is
        not tried or does not answer. A ``write`` not made is remembered for the resync."""
        health = self._health
        if not health.breaker.allow() or (health.resync and not getattr(_resyncing, "now", False) and not self._resync()):
            return self._unavailable(fallback, write, None)
        try:
            result = call()
        except UNREACHABLE as error:
            if health.breaker.failed(error):
                health.lost()  # other processes' changes may not have reached it either
            return self._unavailable(fallback, write, error)
        except Exception:
            health.breaker.succeeded()  # Redis answered, with an error of the caller's
            raise
        health.breaker.succeeded()
        return result

    def _unavailable(self, fallback, write: bool, error: BaseException | None):
        if write:
            self._health.lost()
        if fallback is _Miss:
            raise CacheUnavailable(str(error or "not tried: the cache's Redis was unreachable moments ago")) from error
        return fallback

    def _resync(self) -> bool:
        """Send ``cache_resync`` (one thread does; the others wait for it); whether it
        went through without losing a write of its own."""
        health = self._health
        with health.lock:
            if health.resync:
                losses = health.losses
                _resyncing.now = True
                try:
                    cache_resync.send(sender=type(self), cache=self)
                finally:
                    _resyncing.now = False
                if health.losses == losses:
                    health.resync = False
            return not health.resync

    def delete_pattern(self, pattern: str) -> int:
        """Delete the keys matching ``pattern`` (a glob over keys as the caller names
        them, in this cache's prefix and version); how many went."""

        def delete() -> int:
            client, deleted = self._cache.get_client(write=True), 0
            batch = []
            for key in client.scan_iter(match=self.make_key(pattern), count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    deleted += client.delete(*batch)
                    batch = []
            return deleted + (client.delete(*batch) if batch else 0)

        return self.guarded(delete, 0, write=True)

    # Django's operations, each guarded (decr, get_or_set and the like are built on these).

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False, write=True)

    def get(self, key, default=None, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), default, write=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False, write=True)

    def delete(self, key, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).delete(key, version), False, write=True)

    def get_many(self, keys, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), {}, write=False)

    def has_key(self, key, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), False, write=False)

    def incr(self, key, delta=1, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), _Miss, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's answer for keys that could not be stored: all of them.
        failed = list(data)
        return self.guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), failed, write=True)

    def delete_many(self, keys, version=None):
        return self.guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None, write=True)

    def clear(self):
        return self.guarded(lambda: super(ResilientRedisCache, self).clear(), False, write=True)
