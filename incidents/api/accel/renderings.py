"""Rendered incidents, cached as JSON, and list pages kept in memory.

Rendering an incident means every configured role, custom field (with its options) and
timestamp: the dominant cost of a list page. A rendering depends only on the incident
(whose ``updated_at`` every service moves on any change to it or what hangs off it), on
the configuration, people and API keys (whose version tokens ``core.acceleration`` keeps),
and on the code and settings that shape it (the deploy's prefix of every cache key,
``core.cache_keys``). Each incident's latest rendering is cached under its id, with the
signature it was rendered at (``updated_at`` and the tokens); a rendering whose signature is not the
current one is rendered again and replaces it. So a page costs one narrow query for ids
and ``updated_at`` and one cache round trip; only incidents changed since they were last
rendered are loaded and rendered. A page polled unchanged is served from the body this
process last built for it (``PAGES``).

Which incidents a key may see is decided by the query, never by the cache: a rendering
is the same for every key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.http import HttpResponse

from core import acceleration
from core.api.pagination import paginate
from core.api.state import state_of
from core.cache_keys import cache_key, deploy_version

RENDERING_TIMEOUT = 24 * 60 * 60


def tokens(request=None) -> dict[str, str]:
    """The version tokens: those the request's gate read with its key, or one round trip."""
    return acceleration.current(state_of(request).versions if request is not None else None)


def rendering_key(dialect: str, incident_id: str) -> str:
    return cache_key("rendering", dialect, incident_id)


def _signature(incident, tokens: dict[str, str]) -> str:
    return f"{incident.revision}:{tokens['config']}:{tokens['people']}:{tokens['api_keys']}"


def rendered(
    dialect: str,
    incidents: Iterable,
    tokens: dict[str, str],
    render_missing: Callable[[list[str]], dict[str, dict]],
    prefetched: dict | None = None,
) -> list[bytes]:
    """JSON renderings of ``incidents`` (``selectors.revisions`` rows), in order.

    ``tokens`` are the current version tokens (``tokens(request)``); ``render_missing(ids)`` loads and renders the
    incidents not cached at their current signature, returning ``{id: rendered dict}``.
    ``prefetched`` holds cache entries already read ({key: entry or None})."""
    incidents = list(incidents)
    if not incidents:
        return []
    keys = [rendering_key(dialect, incident.pk) for incident in incidents]
    prefetched = prefetched or {}
    found = {k: prefetched[k] for k in keys if prefetched.get(k) is not None}
    if len(found) < len(keys):
        found.update(shared_cache.get_many([k for k in keys if k not in found]))
    renderings, missing, signatures = {}, [], {}
    for incident, k in zip(incidents, keys):
        signatures[incident.pk] = signature = _signature(incident, tokens)
        entry = found.get(k)
        if entry is not None and entry[0] == signature:
            renderings[incident.pk] = entry[1]
        else:
            missing.append(incident.pk)
    if missing:
        fresh = {pk: orjson.dumps(shape) for pk, shape in render_missing(missing).items()}
        shared_cache.set_many(
            {rendering_key(dialect, pk): (signatures[pk], body) for pk, body in fresh.items()}, timeout=RENDERING_TIMEOUT
        )
        renderings.update(fresh)
    return [renderings[incident.pk] for incident in incidents]


class Pages:
    """The latest body of each list query, in this process, least recently used first out
    past ``budget`` bytes. Per process: a body is a function of its signature alone, so
    processes need not share them, and a polled page then costs no cache traffic."""

    def __init__(self):
        self.size = 0
        self.entries: OrderedDict[tuple[str, ...], tuple[str, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, ...], signature: str) -> bytes | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != signature:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[str, ...], signature: str, body: bytes) -> None:
        budget = settings.API_LIST_PAGE_CACHE_MB * 1024 * 1024
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            if len(body) > budget:
                return
            self.entries[key] = (signature, body)
            self.size += len(body)
            while self.size > budget:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= len(dropped)


PAGES = Pages()


def json_object(**members) -> bytes:
    """A JSON object from members that are either ready renderings (bytes), lists of
    them, or plain values."""
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


def incident_page(
    request, dialect: str, incidents, *, newest_first: bool, render_many: Callable[[list[str]], dict[str, dict]]
) -> HttpResponse:
    """A list page of ``incidents`` (``selectors.revisions`` rows, narrowed to
    what was asked for), built from cached renderings: ``{"incidents": [...], "pagination_meta": ...}``.
    The body is the one this process built last for the same query if that was built
    from exactly these incidents at these signatures, with the same pagination."""
    current = tokens(request)
    page, meta = paginate(incidents, request, newest_first=newest_first)
    query = urlencode(sorted((k, v) for k, values in request.query_params.lists() for v in values))
    key = (deploy_version(), dialect, query)
    signature = "|".join([str(meta), *(f"{incident.pk}@{_signature(incident, current)}" for incident in page)])
    body = PAGES.get(key, signature)
    if body is None:
        body = json_object(incidents=rendered(dialect, page, current, render_many), pagination_meta=meta)
        PAGES.put(key, signature, body)
    return HttpResponse(body, content_type="application/json")


def incident_body(request, dialect: str, incident, render_many: Callable[[list[str]], dict[str, dict]]) -> bytes:
    """``{"incident": ...}`` for one incident (a ``selectors.revisions`` row), its
    rendering read with the request's key when the show asked for it."""
    (body,) = rendered(dialect, [incident], tokens(request), render_many, prefetched=state_of(request).prefetched)
    return json_object(incident=body)
