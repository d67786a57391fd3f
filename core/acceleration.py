"""The acceleration backend: everything the site does only for speed is one object, named
by one setting, ``ACCELERATION_BACKEND`` (as Sentry names its rate limiter, cache and
buffer backends: ``SENTRY_RATELIMITER`` names a class, and the base class is a working
no-op).

- ``Acceleration`` (here) is the plain implementation, and works alone: keys and pages
  are read from the database for every request, every body rendered, every email built
  by Django.
- ``core.accel.backend.Accelerated`` subclasses it and gives the same answers faster
  (``core.accel`` says how; the class, which cache backend and database engine it wants).

config/settings.py picks one of the two from ``API_ACCELERATION`` (on by default), in one
block that also swaps in that cache backend and engine. Callers use the interface and
never test a flag; no module outside an ``accel`` package imports one (a contract in
pyproject.toml, checked by tests/test_layers.py), so the plain path reads, and runs, alone.

Core imports no app, so each app with speed-only code declares its own part of the
backend: a plain base class beside the code that calls it, and an accelerated subclass
in the app's ``accel`` package, registered there with ``@accelerates(Base)``.
``part(Base)`` is the chosen backend's implementation: the base itself for the plain
backend; for the accelerated one, the registered subclass (it imports every app's
``accel`` and ``api.accel`` package once, as the admin imports every app's ``admin``
module). The parts:

- the API key a token opens: ``Acceleration.admit`` (here);
- the incident API's configuration, list pages and show view:
  ``incidents.api.acceleration.IncidentsAcceleration``;
- the public site's page lookup, rendered bodies and compression:
  ``statuspages.caching.PageCache``;
- a notification batch's emails: ``notifications.rendering.Messages``.

What the accelerated caches copy is keyed by version tokens (below), which receivers move
whichever backend runs, so turning acceleration on never serves what changed while it was
off.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

from core import services
from core.cache import cache_resync
from core.cache_keys import cache_key, state_key
from core.models import ApiKey, new_ulid
from core.signals import api_key_changed

P = TypeVar("P")


class Acceleration:
    """The plain backend: nothing is kept for speed, and every app's part is its plain base."""

    def __init__(self):
        self._parts: dict[type, object] = {}

    def admit(self, request, token: str, *, guard=None, reads=()) -> ApiKey | None:
        """The key ``token`` opens (None: none), its use recorded. ``guard(find, found)``,
        when given, wraps the database lookup ``find()`` of a key the backend does not
        already hold, with ``found`` the cache entries under ``reads`` ({key: entry})."""

        def find():
            return services.authenticate_token(token)

        return find() if guard is None else guard(find, cache.get_many(list(reads)))

    def part(self, plain: type[P]) -> P:
        """This backend's implementation of an app's part, ``plain`` its base class."""
        found = self._parts.get(plain)
        if found is None:
            found = self._parts[plain] = self.implementation(plain)()
        return found

    def implementation(self, plain: type) -> type:
        return plain


_backends: dict[str, Acceleration] = {}


def backend() -> Acceleration:
    """The backend ``ACCELERATION_BACKEND`` names, one per process (and per setting, which
    tests switch)."""
    path = settings.ACCELERATION_BACKEND
    chosen = _backends.get(path)
    if chosen is None:
        chosen = _backends[path] = import_string(path)()
    return chosen


def part(plain: type[P]) -> P:
    """The chosen backend's implementation of the part whose plain base is ``plain``."""
    return backend().part(plain)


#: plain base -> its accelerated subclass, filled by the apps' ``accel`` packages
ACCELERATED: dict[type, type] = {}


def accelerates(plain: type):
    """Register the decorated class, a subclass of ``plain`` in an ``accel`` package, as
    the accelerated backend's implementation of that part."""

    def register(accelerated: type) -> type:
        ACCELERATED[plain] = accelerated
        return accelerated

    return register


# --- version tokens ---------------------------------------------------------------------------
#
# One token per source of what the accelerated caches copy, in Django's cache (shared by
# every process): ``api_keys`` here (a key's name renders as the creator of incidents, and
# the gate caches keys, each under the token its request read before the row), the incident
# configuration and people (``incidents.api.acceleration``). Tokens are bumped at once (so
# the writing request sees the change) and again when the transaction commits (so a
# reader that loaded the old rows in between cannot keep them under the new token). While
# the cache is unreachable every request gets tokens of its own, so nothing kept in a
# process is served; when it is back (``core.cache.cache_resync``) every token moves and
# the cached keys go, since the bumps and drops of changes made meanwhile never reached it.

#: the sources with a token, in the order the gate reads them
SOURCES: list[str] = []


def track(source: str) -> None:
    """Give ``source`` a token (from an app's ``ready``)."""
    if source not in SOURCES:
        SOURCES.append(source)


def token_key(source: str) -> str:
    # State, not a copy: every release's processes move and read the same tokens.
    return state_key("version", source)


def _bump_now(source: str) -> None:
    cache.set(token_key(source), new_ulid(), timeout=None)


def bump(source: str) -> None:
    _bump_now(source)
    transaction.on_commit(lambda: _bump_now(source))


def current(read: dict[str, str | None] | None = None) -> dict[str, str]:
    """The current token of every source: those in ``read`` (as the accelerated gate read
    them with the request's key), else one cache round trip."""
    keys = {source: token_key(source) for source in SOURCES}
    found = {keys[source]: token for source, token in (read or {}).items() if token is not None}
    if len(found) < len(keys):
        found = cache.get_many(list(keys.values()))
    tokens = {}
    for source, key in keys.items():
        token = found.get(key)
        if token is None:
            # Never set, or evicted: start a new generation (add: concurrent starters agree).
            cache.add(key, new_ulid(), timeout=None)
            # None: the cache is unreachable, and a token it cannot keep is this request's alone.
            token = cache.get(key) or new_ulid()
        tokens[source] = token
    return tokens


def api_key_cache_key(token_hash: str) -> str:
    """Where the accelerated gate keeps the key a token's hash opens."""
    return cache_key("api-key", token_hash)


def forget_api_key(token_hashes) -> None:
    """Drop a key's cached entries, under each of its tokens' hashes, now and after
    commit (rotation, role changes and deletion take effect on the next request)."""
    keys = [api_key_cache_key(h) for h in token_hashes if h]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _api_key_changed(sender, token_hashes=(), **kwargs):
    forget_api_key(token_hashes)
    bump("api_keys")


def _resync(sender, cache, **kwargs):
    cache.set_many({token_key(source): new_ulid() for source in SOURCES}, timeout=None)
    cache.delete_pattern(api_key_cache_key("*"))


def connect() -> None:
    """Connect the receivers (from ``CoreConfig.ready``): they run whichever backend runs."""
    track("api_keys")
    api_key_changed.connect(_api_key_changed, dispatch_uid="acceleration-api-key")
    cache_resync.connect(_resync, dispatch_uid="acceleration-resync")
