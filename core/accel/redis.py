"""Django's Redis cache, made for the accelerated API's one round trip per request.

- One redis-py client per connection pool: Django's ``RedisCacheClient.get_client()``
  builds a new ``redis.Redis`` for every cache operation, each with its table of ~400
  response callbacks (about 0.2 ms per operation).
- Pickled values are read without Django's ``int()`` attempt first.
- ``admit()``: an API request's key, one request spent from its rate-limit bucket, and
  the version tokens and cache entries it asked for, in one Lua call (``ADMIT``), sent
  straight on a connection the thread keeps.
- Keys are made without Django's two calls and memcached warnings per key.

It is ``core.cache.ResilientRedisCache`` underneath: ``admit()`` is behind the same
timeouts and circuit breaker as every other call, and answers as a cache that has
nothing (no key, no bucket spent) when Redis is not there.
"""

import hashlib
import os
import pickle
import threading

from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.redis import RedisCacheClient, RedisSerializer
from redis.exceptions import ConnectionError, NoScriptError

from core.cache import ResilientRedisCache

# The rate limit's rule (core.ratelimit.spend, the same GCRA) and the reads of an
# API request's first round trip, in one call.
# KEYS: the key's entry, its bucket, then entries to read; ARGV: now, interval, capacity
# (0: no limit), spend (1: spend one request; 0: only look, for a call repeated after its
# reply was lost, which may already have spent).
# Returns {entry or false, 1 (fits) / 0 (refused) / -1 (not tried), TAT, entries...}. The
# bucket is spent only for a key found in the cache, and expires a window after it is
# full again (a margin for clocks that differ between the web servers and Redis).
ADMIT = """
local entry = redis.call('get', KEYS[1])
local fits, tat = -1, 0
local capacity = tonumber(ARGV[3])
if entry and capacity > 0 then
    local now = tonumber(ARGV[1])
    local interval = tonumber(ARGV[2])
    tat = tonumber(redis.call('get', KEYS[2])) or now
    if tat < now then tat = now end
    if ARGV[4] == '0' then
        fits = (tat - now <= capacity) and 1 or 0
    else
        if tat + interval - now > capacity then
            fits = 0
        else
            fits = 1
            tat = tat + interval
            redis.call('set', KEYS[2], tat, 'PX', math.ceil((tat - now + capacity) / 1000))
        end
    end
end
local reply = {entry or false, fits, tat}
for i = 3, #KEYS do reply[#reply + 1] = redis.call('get', KEYS[i]) end
return reply
"""
_ADMIT_SHA = hashlib.sha1(ADMIT.encode()).hexdigest()
_PICKLED = b"\x80"  # the first byte of a pickle of protocol 2 or later


class PickleFirstSerializer(RedisSerializer):
    """Django's serializer, reading values the way it wrote them: integers as digits,
    everything else pickled. Django's ``loads`` tries ``int()`` first and pays for a
    ValueError on every pickled value (2.2 us against 0.3 for a rendering)."""

    def loads(self, data):
        if data[:1] == _PICKLED:
            return pickle.loads(data)
        return super().loads(data)


class AcceleratedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if type(self._serializer) is RedisSerializer:
            self._serializer = PickleFirstSerializer()
        self._clients = {}
        self._held = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def admit(self, keys, now, interval, capacity):
        entry, fits, tat, *values = self._admit(keys, [now, interval, capacity])
        loads = self._serializer.loads
        return (
            None if entry is None else loads(entry),
            None if fits < 0 else (bool(fits), int(tat)),
            [None if value is None else loads(value) for value in values],
        )

    def _connection(self):
        """This thread's connection for ``admit`` (a process that forked gets its own):
        redis-py's command layer (its retries, Script's checks) and the pool's check of
        each connection it lends cost more than the call itself."""
        held = getattr(self._held, "connection", None)
        if held is None or held[0] != os.getpid():
            pool = self._get_connection_pool(False)
            held = self._held.connection = (os.getpid(), pool.connection_class(**pool.connection_kwargs))
        return held[1]

    def _admit(self, keys, args):
        """EVALSHA the script (loading it when Redis does not know it). A call that lost
        its connection is made once more on a new one, only looking at the bucket: the
        first may have spent from it before its reply was lost, and a request is charged
        once. A call that timed out is not repeated: Redis is hung, not the connection."""
        connection = self._connection()
        try:
            return self._call(connection, keys, [*args, 1])
        except ConnectionError:
            connection.disconnect()  # the next command connects again
        except BaseException:
            # Interrupted half way: what is left of the reply must not be read as the next one's.
            connection.disconnect()
            raise
        try:
            return self._call(connection, keys, [*args, 0])
        except BaseException:
            connection.disconnect()
            raise

    @staticmethod
    def _call(connection, keys, args):
        try:
            connection.send_command("EVALSHA", _ADMIT_SHA, len(keys), *keys, *args)
            return connection.read_response()
        except NoScriptError:
            connection.send_command("SCRIPT", "LOAD", ADMIT)
            connection.read_response()
            connection.send_command("EVALSHA", _ADMIT_SHA, len(keys), *keys, *args)
            return connection.read_response()


class AcceleratedRedisCache(ResilientRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = AcceleratedRedisCacheClient

    def validate_key(self, key):
        # Django's check only warns about keys memcached could not store, character by
        # character: a list page's 25 rendering keys paid for it on every request.
        pass

    def make_and_validate_key(self, key, version=None):
        # Django's default key function, without its two calls per key (and no validation,
        # as above): an API request makes seven keys for its first round trip alone.
        if self.key_func is default_key_func:
            return f"{self.key_prefix}:{self.version if version is None else version}:{key}"
        return self.make_key(key, version=version)

    def admit(self, entry_key: str, bucket_key: str, keys: list[str], *, now: int, interval: int, capacity: int):
        """One round trip for an API request: the value under ``entry_key``; if it exists
        and ``capacity`` is set, one request spent from the bucket at ``bucket_key``
        ((whether it fit, the TAT after), else None); and the values under ``keys``.
        Without Redis: nothing found, nothing spent."""
        key = self.make_and_validate_key
        keys = [key(entry_key), key(bucket_key), *map(key, keys)]
        return self.guarded(
            lambda: self._cache.admit(keys, now, interval, capacity), (None, None, [None] * (len(keys) - 2)), write=False
        )
