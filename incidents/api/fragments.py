"""Rendered incidents, cached as JSON fragments.

Rendering an incident means every configured role, custom field (with its options) and
timestamp: the dominant cost of a list page. The rendering depends only on the incident
(whose ``updated_at`` every service moves on any change to it or what hangs off it) and
on the configuration, people and API keys (whose version tokens ``incidents.caching``
bumps). So a page costs one narrow query for ids and ``updated_at``, one cache round trip
for the versions and one for the fragments; only incidents changed since they were last
rendered are loaded and rendered.

Which incidents a key may see is decided by the query, never by the cache: a fragment is
the same for every key.
"""

from collections.abc import Callable, Iterable

import orjson
from django.core.cache import cache

from incidents import caching


def _key(dialect: str, incident, tokens: dict[str, str]) -> str:
    stamp = incident.updated_at.timestamp()
    return f"incidents:rendered:{dialect}:{incident.pk}:{stamp:.6f}:{tokens['config']}:{tokens['people']}:{tokens['api_keys']}"


def rendered(
    dialect: str, incidents: Iterable, tokens: dict[str, str], render_missing: Callable[[list[str]], dict[str, dict]]
) -> list[bytes]:
    """JSON fragments for ``incidents`` (objects with ``pk`` and ``updated_at``), in order.

    ``tokens`` are ``caching.versions()``; ``render_missing(ids)`` loads and renders the
    incidents not cached, returning ``{id: rendered dict}``."""
    incidents = list(incidents)
    if not incidents:
        return []
    keys = [_key(dialect, incident, tokens) for incident in incidents]
    found = cache.get_many(keys)
    missing = [incident.pk for incident, key in zip(incidents, keys) if key not in found]
    if missing:
        fresh = {pk: orjson.dumps(shape) for pk, shape in render_missing(missing).items()}
        by_pk = {incident.pk: key for incident, key in zip(incidents, keys)}
        cache.set_many({by_pk[pk]: fragment for pk, fragment in fresh.items()}, timeout=caching.FRAGMENT_TIMEOUT)
        for pk, fragment in fresh.items():
            found[by_pk[pk]] = fragment
    return [found[key] for key in keys]


def json_object(**members) -> bytes:
    """A JSON object from members that are either ready fragments (bytes), lists of
    fragments, or plain values."""
    parts = []
    for name, value in members.items():
        if isinstance(value, bytes):
            encoded = value
        elif isinstance(value, list) and all(isinstance(item, bytes) for item in value):
            encoded = b"[" + b",".join(value) + b"]"
        else:
            encoded = orjson.dumps(value)
        parts.append(orjson.dumps(name) + b":" + encoded)
    return b"{" + b",".join(parts) + b"}"
