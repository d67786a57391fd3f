"""Version tokens of what the accelerated caches hold, and how each is told that its
source changed.

Three tokens live in Django's cache (shared by every process):

- ``config``: severities, statuses, types, roles, custom fields and options, timestamps
  (``signals.configuration_changed``);
- ``people``: Django users, who render as assignees and creators (their saves and deletes);
- ``api_keys``: API key names, which render as creators, and the keys the gate caches,
  each under the token its request read before the row (``signals.api_key_changed``,
  which also drops the key's cached entries).

A rendered incident is cached with its ``updated_at`` (every service that changes an
incident or what hangs off it moves it) and the three tokens, so any change anywhere
makes the old rendering unreachable. The receivers run whether acceleration is on or
not, so turning it on never serves what changed while it was off.

Tokens are bumped at once (so the writing request sees the change) and again when the
transaction commits (so a reader that loaded the old rows in between cannot keep them
under the new token). While the cache is unreachable every request gets tokens of its
own, so nothing kept in a process is served; when it is back (``core.cache.cache_resync``)
every token moves and the cached keys go, since the bumps and drops of changes made
meanwhile never reached it.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.api.state import state_of
from core.cache import cache_resync
from core.models import new_ulid
from core.signals import api_key_changed
from incidents import selectors
from incidents.signals import configuration_changed

SOURCES = ("config", "people", "api_keys")
KEYS = {source: f"incidents:version:{source}" for source in SOURCES}


def _bump_now(source: str) -> None:
    cache.set(KEYS[source], new_ulid(), timeout=None)


def bump(source: str) -> None:
    _bump_now(source)
    transaction.on_commit(lambda: _bump_now(source))


def current(request=None) -> dict[str, str]:
    """The current token of every source: those the request's gate read with its key, or
    one cache round trip."""
    read = state_of(request).versions if request is not None else None
    found = {KEYS[source]: token for source, token in (read or {}).items() if token is not None}
    if len(found) < len(KEYS):
        found = cache.get_many(list(KEYS.values()))
    tokens = {}
    for source, key in KEYS.items():
        token = found.get(key)
        if token is None:
            # Never set, or evicted: start a new generation (add: concurrent starters agree).
            cache.add(key, new_ulid(), timeout=None)
            # None: the cache is unreachable, and a token it cannot keep is this request's alone.
            token = cache.get(key) or new_ulid()
        tokens[source] = token
    return tokens


_configs: dict[str, selectors.IncidentConfig] = {}


def incident_config(request=None) -> selectors.IncidentConfig:
    """The configuration, read once per process and configuration version."""
    token = current(request)["config"]
    config = _configs.get(token)
    if config is None:
        config = selectors.incident_config()
        _configs.clear()
        _configs[token] = config
    return config


def api_key_cache_key(token_hash: str) -> str:
    # "2": the entry is (api_keys token, key); the bare keys an older release cached are
    # never read as such.
    return f"incidents:api-key:2:{token_hash}"


def forget_api_key(token_hashes) -> None:
    """Drop a key's cached entries, under each of its tokens' hashes, now and after
    commit (rotation, role changes and deletion take effect on the next request)."""
    keys = [api_key_cache_key(h) for h in token_hashes if h]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _configuration_changed(sender, **kwargs):
    bump("config")


def _api_key_changed(sender, token_hashes=(), **kwargs):
    forget_api_key(token_hashes)
    bump("api_keys")  # a key's name renders as the creator of incidents


def _people_changed(sender, update_fields=None, **kwargs):
    # A login only moves last_login, which no rendering shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump("people")


def _resync(sender, cache, **kwargs):
    cache.set_many({KEYS[source]: new_ulid() for source in SOURCES}, timeout=None)
    cache.delete_pattern(api_key_cache_key("*"))


def connect() -> None:
    """Connect the receivers (from ``IncidentsConfig.ready``)."""
    configuration_changed.connect(_configuration_changed, dispatch_uid="accel-configuration")
    api_key_changed.connect(_api_key_changed, dispatch_uid="accel-api-key")
    post_save.connect(_people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="accel-people-saved")
    post_delete.connect(_people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="accel-people-deleted")
    cache_resync.connect(_resync, dispatch_uid="accel-resync")
