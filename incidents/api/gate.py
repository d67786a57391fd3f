"""What every API request needs from the cache before its view runs, in one round trip
with Redis: the API key (cached by its token's hash), one request spent from the key's
rate-limit bucket, and the version tokens of what the API caches (``incidents.caching``).

Other caches (the file cache of the embedded default, the tests' local memory) read the
key and the tokens in one ``get_many`` and leave the spending to the rate limiter.
"""

from django.core.cache import cache

from incidents import caching, services
from incidents.models import ApiKey

from . import ratelimit


def admit(request, token: str) -> ApiKey | None:
    """The key for ``token`` (or None). Leaves on the Django request what the rest of the
    request reuses: ``cache_versions`` (source -> token, None where unset), the entries
    of the keys the view asked for in ``request.cache_prefetch`` as ``cache_prefetched``
    ({key: entry or None}) and, when the bucket was spent here, ``rate_limit_spent`` for
    ``ratelimit.check_rate_limit``."""
    token_hash, cached = read(request, token)
    return services.authenticate_token_hash(token_hash, cached=cached)


def read(request, token: str) -> tuple[str, ApiKey | None]:
    """``admit()``'s round trip with the cache, without touching the database (which a key
    missing from the cache needs): the token's hash and the key's cache entry, or None.
    ``services.authenticate_token_hash`` finishes the job."""
    token_hash = ApiKey.hash_token(token)
    entry_key = caching.api_key_cache_key(token_hash)
    token_keys = caching.version_keys()
    extra_keys = list(getattr(request, "cache_prefetch", ()))
    planned = ratelimit.plan()
    if hasattr(cache, "admit"):
        now, interval, capacity = planned or (0, 1, 0)
        cached, spent, values = cache.admit(
            entry_key, ratelimit.bucket_key(token_hash), [*token_keys, *extra_keys], now=now, interval=interval, capacity=capacity
        )
        if spent is not None:
            request.rate_limit_spent = (spent, planned)
    else:
        found = cache.get_many([entry_key, *token_keys, *extra_keys])
        cached, values = found.get(entry_key), [found.get(k) for k in [*token_keys, *extra_keys]]
    request.cache_versions = dict(zip(caching.SOURCES, values))
    request.cache_prefetched = dict(zip(extra_keys, values[len(token_keys) :]))
    return token_hash, cached
