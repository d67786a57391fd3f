"""An API request's key, found through the cache, with what else the request needs from
the cache in the same round trip: one request spent from the key's rate-limit bucket,
the version tokens (``core.acceleration.SOURCES``) and the entries the request asked for
(``state.prefetch``: a show's rendering, the failed authentications of its address).

On Redis (``redis.AcceleratedRedisCache``) that is one Lua call; other caches (the file
cache of the embedded default, the tests' local memory) read the key, the tokens and the
entries in one ``get_many`` and leave the bucket to the throttle. Keys are cached by
their token's hash for a few minutes; every change to a key drops its entries
(``acceleration.forget_api_key``).

A revoked key must never be served from the cache, however requests interleave with the
change: a request that read the key's row before a delete may write its entry after the
delete dropped it. So each entry carries the ``api_keys`` version token the request read
*before* it read the row, and is used only while that token is still the current one.
Every change to a key moves the token after its transaction commits (``acceleration.bump``),
before the change is answered: a request that starts later sees the new token, ignores
every entry filled under an older one, and fills only from a row it reads after the
commit. The once-a-minute ``last_used_at`` write re-caches a key under the token its
request started with, and only when the row was still there to write.
"""

from django.core.cache import cache
from django.utils import timezone

from core import acceleration, ratelimit, services
from core.api.state import state_of
from core.models import ApiKey

KEY_CACHE_SECONDS = 300


def admit(request, token: str, *, look_up=None) -> ApiKey | None:
    """The key ``token`` opens, or None. Leaves on the request's state the version
    tokens, the prefetched entries and, when it was spent here, the rate limit. A key
    not in the cache is read with ``look_up(token_hash, now)`` (``services.find_api_key``
    by default)."""
    state = state_of(request)
    token_hash = ApiKey.hash_token(token)
    entry_key = acceleration.api_key_cache_key(token_hash)
    sources = list(acceleration.SOURCES)
    reads = [*map(acceleration.token_key, sources), *state.prefetch]
    planned = ratelimit.API_KEY.plan()
    if hasattr(cache, "admit"):
        cached, spent, values = cache.admit(
            entry_key,
            ratelimit.API_KEY.key(token_hash),
            reads,
            now=planned.now if planned else 0,
            interval=planned.interval if planned else 1,
            capacity=planned.capacity if planned else 0,
        )
        if spent is not None:
            state.rate_limit = ratelimit.RateLimit(allowed=spent[0], tat=spent[1], plan=planned)
    else:
        found = cache.get_many([entry_key, *reads])
        cached, values = found.get(entry_key), [found.get(k) for k in reads]
    state.versions = dict(zip(sources, values))
    state.prefetched = dict(zip(state.prefetch, values[len(sources) :]))
    return _key(token_hash, cached, entry_key, state.versions["api_keys"], look_up or services.find_api_key)


def _key(token_hash: str, cached, entry_key: str, generation: str | None, look_up) -> ApiKey | None:
    now = timezone.now()
    key = cached[1] if generation is not None and isinstance(cached, tuple) and cached[0] == generation else None
    from_row = key is None
    if from_row:
        if generation is None:
            # Evicted (or never set): start a new one, which no entry was filled under.
            generation = acceleration.current()["api_keys"]
        key = look_up(token_hash, now)
    if key is None or not key.accepts(token_hash, now):
        return None  # unknown tokens are not cached; a replaced one may have lapsed since
    if services.record_use(key, now) or from_row:
        cache.set(entry_key, (generation, key), timeout=_cache_seconds(key, token_hash, now))
    return key


def _cache_seconds(key: ApiKey, token_hash: str, now) -> int:
    # A replaced token is not cached past its grace period.
    if token_hash != key.token_hash and key.previous_token_expires_at is not None:
        return max(1, min(KEY_CACHE_SECONDS, int((key.previous_token_expires_at - now).total_seconds()) + 1))
    return KEY_CACHE_SECONDS
