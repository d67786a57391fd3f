"""What the API caches, and how each cache is told that its source changed.

Three version tokens live in Django's cache (shared by every process: Redis in
production, files on one machine):

- ``config``: severities, statuses, types, roles, custom fields and options, timestamps.
  Bumped by every configuration service.
- ``people``: Django users (names, emails and flags that render as assignees and
  creators). Bumped when a user is saved or deleted (``incidents.apps``).
- ``api_keys``: API key names (which render as creators). Bumped by the key services.

A rendered incident is cached under its id, its ``updated_at`` (every service that
changes an incident or what hangs off it moves ``updated_at``) and the three tokens, so
any change anywhere makes the old rendering unreachable; stale entries expire.

Tokens are bumped at once (so the writing request and tests see the change) and again
when the transaction commits (so a reader that loaded the old rows in between cannot keep
them under the new token).
"""

from django.core.cache import cache
from django.db import transaction

from .models import new_ulid

SOURCES = ("config", "people", "api_keys")
_KEYS = {source: f"incidents:version:{source}" for source in SOURCES}
FRAGMENT_TIMEOUT = 24 * 60 * 60


def _bump_now(source: str) -> None:
    cache.set(_KEYS[source], new_ulid(), timeout=None)


def bump(source: str) -> None:
    _bump_now(source)
    transaction.on_commit(lambda: _bump_now(source))


def version_keys() -> list[str]:
    """The cache keys of the tokens, in SOURCES order."""
    return list(_KEYS.values())


def versions(prefetched: dict[str, str | None] | None = None) -> dict[str, str]:
    """The current token of every source (one cache round trip, none when ``prefetched``,
    the tokens a request's gate already read, has them all)."""
    found = {_KEYS[source]: token for source, token in (prefetched or {}).items() if token is not None}
    if len(found) < len(_KEYS):
        found = cache.get_many(list(_KEYS.values()))
    tokens = {}
    for source, key in _KEYS.items():
        token = found.get(key)
        if token is None:
            # Never set, or evicted: start a new generation (add: concurrent starters agree).
            cache.add(key, new_ulid(), timeout=None)
            token = cache.get(key)
        tokens[source] = token
    return tokens


def api_key_cache_key(token_hash: str) -> str:
    return f"incidents:api-key:{token_hash}"


def forget_api_key(*token_hashes: str) -> None:
    """Drop a key's cached authentication, under each of its tokens' hashes, now and
    after commit (rotation, role changes and deletion take effect on the next request)."""
    keys = [api_key_cache_key(h) for h in token_hashes if h]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
