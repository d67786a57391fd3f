"""Rendered incidents, cached as JSON fragments.

Rendering an incident means every configured role, custom field (with its options) and
timestamp: the dominant cost of a list page. The rendering depends only on the incident
(whose ``updated_at`` every service moves on any change to it or what hangs off it) and
on the configuration, people and API keys (whose version tokens ``incidents.caching``
bumps). Each incident's latest rendering is cached under its id, with the stamp it was
rendered at (``updated_at`` and the tokens); a rendering whose stamp is not the current
one is rendered again and replaces it. So a page costs one narrow query for ids and
``updated_at`` and one cache round trip for the fragments (a show's fragment comes with
the request's first round trip: ``incidents.api.gate``); only incidents changed since
they were last rendered are loaded and rendered. A page polled unchanged is served from
the body this process last built for it (``page``).

Which incidents a key may see is decided by the query, never by the cache: a fragment is
the same for every key.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import orjson
from django.core.cache import cache

from incidents import caching, selectors


def key(dialect: str, incident_id: str) -> str:
    return f"incidents:rendered:{dialect}:{incident_id}"


def _stamp(incident, tokens: dict[str, str]) -> str:
    return f"{selectors.updated_micros(incident)}:{tokens['config']}:{tokens['people']}:{tokens['api_keys']}"


def rendered(
    dialect: str,
    incidents: Iterable,
    tokens: dict[str, str],
    render_missing: Callable[[list[str]], dict[str, dict]],
    prefetched: dict | None = None,
) -> list[bytes]:
    """JSON fragments for ``incidents`` (incidents, or ``selectors.IncidentStamp``), in order.

    ``tokens`` are ``caching.versions()``; ``render_missing(ids)`` loads and renders the
    incidents not cached at their current stamp, returning ``{id: rendered dict}``.
    ``prefetched`` holds cache entries already read ({key: entry or None})."""
    incidents = list(incidents)
    if not incidents:
        return []
    keys = [key(dialect, incident.pk) for incident in incidents]
    prefetched = prefetched or {}
    found = {k: prefetched[k] for k in keys if prefetched.get(k) is not None}
    if len(found) < len(keys):
        found.update(cache.get_many([k for k in keys if k not in found]))
    fragments, missing, stamps = {}, [], {}
    for incident, k in zip(incidents, keys):
        stamps[incident.pk] = stamp = _stamp(incident, tokens)
        entry = found.get(k)
        if entry is not None and entry[0] == stamp:
            fragments[incident.pk] = entry[1]
        else:
            missing.append(incident.pk)
    if missing:
        fresh = {pk: orjson.dumps(shape) for pk, shape in render_missing(missing).items()}
        cache.set_many(
            {key(dialect, pk): (stamps[pk], fragment) for pk, fragment in fresh.items()}, timeout=caching.FRAGMENT_TIMEOUT
        )
        fragments.update(fresh)
    return [fragments[incident.pk] for incident in incidents]


class _Pages:
    """The latest body of each list query, in this process, least recently used first out
    past ``budget`` bytes. Per process: a body is a function of its signature alone, so
    processes need not share them, and a polled page then costs no cache traffic."""

    def __init__(self, budget: int):
        self.budget, self.size = budget, 0
        self.entries: OrderedDict[tuple[str, str], tuple[str, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str], signature: str) -> bytes | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != signature:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[str, str], signature: str, body: bytes) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            self.entries[key] = (signature, body)
            self.size += len(body)
            while self.size > self.budget and self.entries:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= len(dropped)


PAGES = _Pages(budget=32 * 1024 * 1024)


def page(dialect: str, query: str, incidents: list, meta: dict, tokens: dict[str, str], render: Callable[[], bytes]) -> bytes:
    """A list page's body: the one this process built last for ``query`` (its normalised
    query string) if that was built from exactly these incidents at these stamps, with the
    same ``meta`` and version tokens, else ``render()``'s, which replaces it. The body is a
    function of that signature alone, so serving it is the same as rendering it; which
    incidents a key may see is still the query's decision (``incidents``), never the
    cache's. A polled page thus costs no read of its renderings."""
    signature = "|".join([str(meta), *(f"{incident.pk}@{_stamp(incident, tokens)}" for incident in incidents)])
    body = PAGES.get((dialect, query), signature)
    if body is None:
        body = render()
        PAGES.put((dialect, query), signature, body)
    return body


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
