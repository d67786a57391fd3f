"""Django's Redis cache, with one redis-py client per connection pool.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every cache
operation, and each one builds its table of ~400 response callbacks: about 0.2 ms per
operation, several times per API request (key lookup, rate limit, versions, fragments).
A client is thread-safe and only borrows connections from its pool, so one per pool is
enough. ``incr`` takes one round trip instead of Django's EXISTS then INCRBY, the rate
limiter's token bucket is spent in one atomic round trip (``spend_token_bucket``), and an
API request authenticates, spends from its bucket and reads the version tokens in one
(``admit``).
"""

import hashlib
import os
import pickle
import threading

from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis.exceptions import ConnectionError, NoScriptError, TimeoutError


# INCRBY only an existing key, atomically: Django's incr() raises for a missing key.
_INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then
    return redis.call('incrby', KEYS[1], ARGV[1])
end
return nil
"""


# GCRA in one round trip: move a token bucket's "theoretical arrival time" (microseconds)
# one interval on, unless that would put it more than ``capacity`` ahead of now.
# Returns {1, new TAT} when the request fits, {0, current TAT} when it does not.
_SPEND_BUCKET = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local tat = tonumber(redis.call('get', KEYS[1])) or now
if tat < now then tat = now end
local spent = tat + interval
if spent - now > capacity then return {0, tat} end
redis.call('set', KEYS[1], spent, 'EX', ARGV[4])
return {1, spent}
"""


# An API request's first round trip (incidents.api.gate): an API key's cache entry, the
# version tokens, and, when the key's entry exists and a limit is set, one request spent
# from its token bucket (as _SPEND_BUCKET; the bucket expires a window after it is full
# again, a margin for clocks that differ between the web servers and Redis).
# KEYS: key entry, bucket, version tokens...; ARGV: now, interval, capacity (0: no limit).
# Returns {entry or false, 1 (spent) / 0 (refused) / -1 (not tried), TAT, tokens...}.
_ADMIT = """
local entry = redis.call('get', KEYS[1])
local spent, tat = -1, 0
local capacity = tonumber(ARGV[3])
if entry and capacity > 0 then
    local now = tonumber(ARGV[1])
    local interval = tonumber(ARGV[2])
    tat = tonumber(redis.call('get', KEYS[2])) or now
    if tat < now then tat = now end
    if tat + interval - now > capacity then
        spent = 0
    else
        spent = 1
        tat = tat + interval
        redis.call('set', KEYS[2], tat, 'PX', math.ceil((tat - now + capacity) / 1000))
    end
end
local reply = {entry or false, spent, tat}
for i = 3, #KEYS do reply[#reply + 1] = redis.call('get', KEYS[i]) end
return reply
"""


class PickleFirstSerializer(RedisSerializer):
    """Django's serializer, reading values the way it wrote them: integers as digits,
    everything else pickled. Django's ``loads`` tries ``int()`` first and pays for a
    ValueError on every pickled value (2.2 us against 0.3 for a rendering): 25 times on a
    list page."""

    def loads(self, data):
        if data[:1] == _PICKLE_PROTOCOL_2_OR_LATER:
            return pickle.loads(data)
        return super().loads(data)


_PICKLE_PROTOCOL_2_OR_LATER = b"\x80"


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if type(self._serializer) is RedisSerializer:
            self._serializer = PickleFirstSerializer()
        self._clients = {}
        self._scripts = {}
        self._shas = {}
        self._held = threading.local()

    def _script(self, client, source):
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script

    def spend_token_bucket(self, key, now, interval, capacity, timeout):
        client = self.get_client(key, write=True)
        allowed, tat = self._script(client, _SPEND_BUCKET)(keys=[key], args=[now, interval, capacity, timeout])
        return bool(allowed), int(tat)

    def admit(self, entry_key, bucket_key, token_keys, now, interval, capacity):
        # Every API request's one round trip, sent directly on a connection of the thread's
        # own: redis-py's command layer (its retry wrappers, Script's checks) and the pool's
        # check of each connection it lends (a poll of its socket) cost more than the call.
        keys = [entry_key, bucket_key, *token_keys]
        entry, spent, tat, *tokens = self._eval(_ADMIT, keys, [now, interval, capacity])
        loads = self._serializer.loads
        return (
            None if entry is None else loads(entry),
            None if spent < 0 else (bool(spent), int(tat)),
            [None if token is None else loads(token) for token in tokens],
        )

    def _connection(self):
        """This thread's connection for the gate (a process that forked gets its own)."""
        held = getattr(self._held, "connection", None)
        if held is None or held[0] != os.getpid():
            pool = self._get_connection_pool(False)
            held = self._held.connection = (os.getpid(), pool.connection_class(**pool.connection_kwargs))
        return held[1]

    def _eval(self, source, keys, args, *, retried=False):
        """EVALSHA ``source``'s script (loading it when Redis does not know it), once more
        on a new connection when the server had closed the thread's one."""
        sha = self._shas.get(source)
        if sha is None:
            sha = self._shas[source] = hashlib.sha1(source.encode()).hexdigest()
        connection = self._connection()
        try:
            try:
                connection.send_command("EVALSHA", sha, len(keys), *keys, *args)
                return connection.read_response()
            except NoScriptError:
                connection.send_command("SCRIPT", "LOAD", source)
                connection.read_response()
                connection.send_command("EVALSHA", sha, len(keys), *keys, *args)
                return connection.read_response()
        except (ConnectionError, TimeoutError):
            connection.disconnect()  # the next command connects again
            if retried:
                raise
        except BaseException:
            # Interrupted half way: what is left of the reply must not be read as the next one's.
            connection.disconnect()
            raise
        return self._eval(source, keys, args, retried=True)

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = self._script(client, _INCR_EXISTING)(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key):
        # Django's check only warns about keys memcached could not store, character by
        # character: a list page's 25 fragment keys paid for it on every request.
        pass

    def make_and_validate_key(self, key, version=None):
        # Django's default key function, without its two calls per key (and no validation,
        # as above): an API request makes seven keys for its first round trip alone.
        if self.key_func is default_key_func:
            return f"{self.key_prefix}:{self.version if version is None else version}:{key}"
        return self.make_key(key, version=version)

    def spend_token_bucket(self, key, *, now: int, interval: int, capacity: int, timeout: int) -> tuple[bool, int]:
        """Spend one request from a GCRA token bucket atomically, in one round trip:
        (whether it fits, the bucket's TAT after the attempt)."""
        return self._cache.spend_token_bucket(self.make_and_validate_key(key), now, interval, capacity, timeout)

    def admit(
        self, entry_key: str, bucket_key: str, token_keys: list[str], *, now: int, interval: int, capacity: int
    ) -> tuple[object, tuple[bool, int] | None, list]:
        """One round trip for an API request (``incidents.api.gate``): the value cached
        under ``entry_key``; if it exists and ``capacity`` is set, one request spent from
        the token bucket at ``bucket_key`` ((whether it fit, the TAT after), else None);
        and the values under ``token_keys``."""
        key = self.make_and_validate_key
        return self._cache.admit(key(entry_key), key(bucket_key), [key(k) for k in token_keys], now, interval, capacity)
