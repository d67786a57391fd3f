"""The public site's speed-only part of the acceleration backend (``core.accel``), with
the same bodies and headers as the plain ``caching.PageCache``: pages kept by slug, so a
warm request reads no database at all, and rendered bodies kept under their ETag, where
the first of a crowd takes a short lock (``cache.add``) and renders while the others wait
for its result, and kept gzipped beside, so a browser is sent a front page of 50
components in about 15 kB rather than 500 kB, compressed once per version rather than
once per request.
"""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Callable

from django.core.cache import cache

from core.acceleration import accelerates
from core.cache_keys import cache_key

from .caching import PageCache, Rendered, Versions, everything_key, page_key, versions
from .models import StatusPage

#: how long a rendered body is kept (a new version makes it unreachable long before)
BODY_SECONDS = 60 * 60
#: how long a page looked up by slug is kept (its version is checked on every use)
PAGE_SECONDS = 60 * 60
#: the single-render lock: held at most this long if its holder dies mid-render ...
LOCK_SECONDS = 10
#: ... while the others wait at most this long for its result, then render themselves
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.02

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _slug_key(slug: str) -> str:
    return cache_key("page", slug)


def _body_key(etag: str) -> str:
    return cache_key("page-body", etag.strip('"'))


#: the page each slug named when this process last looked (a guess, checked on use), so a
#: warm request reads the slug's entry and both tokens in one round trip
_page_ids: dict[str, str] = {}


@accelerates(PageCache)
class AcceleratedPageCache(PageCache):
    def page_by_slug(self, slug: str) -> tuple[StatusPage | None, Versions | None]:
        """From the cache while neither of the page's tokens has moved since it was read
        (one cache round trip, no query); else from the database (one query)."""
        keys = [_slug_key(slug), everything_key()]
        if slug in _page_ids:
            keys.append(page_key(_page_ids[slug]))
        found = cache.get_many(keys)
        kept = found.get(keys[0])
        if kept is not None:
            page, read_at = kept
            current = versions(page.pk, found)
            if current == read_at:
                _page_ids[slug] = page.pk
                return page, current
        page = StatusPage.objects.filter(slug=slug).first()
        if page is None:
            _page_ids.pop(slug, None)
            if kept is not None:
                cache.delete(keys[0])  # renamed or deleted
            return None, None
        _page_ids[slug] = page.pk
        current = versions(page.pk, found)
        cache.set(keys[0], (page, current), timeout=PAGE_SECONDS)
        return page, current

    def compressed(self, request) -> bool:
        """When the reader accepts gzip."""
        return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))

    def render_once(self, etag: str, render: Callable[[], Rendered], *, compressed: bool = False) -> Rendered:
        """From the cache, else rendered, and kept both ways. Under a crowd on a cold
        cache, one request renders (it holds the lock) while the others poll for its
        result, at most ``WAIT_SECONDS``; one that waited in vain (its renderer died or is
        slow) renders itself rather than fail."""
        key = _body_key(etag)
        wanted = f"{key}:gzip" if compressed else key
        found = cache.get(wanted)
        if found is not None:
            return found
        lock = f"{key}:lock"
        if cache.add(lock, 1, timeout=LOCK_SECONDS):
            try:
                return _render_and_keep(key, render, compressed)
            finally:
                cache.delete(lock)
        return _wait_for(wanted, lock) or _render_and_keep(key, render, compressed)


def _wait_for(key: str, lock: str) -> Rendered | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        # The lock first: a body set after the lock was read is still seen, so a lock found
        # gone with no body means its holder failed, not that it finished in between (or
        # that the cache is unreachable, which made the lock look taken: no waiting then).
        found = cache.get_many([lock, key])
        if key in found:
            return found[key]
        if lock not in found:
            return None
        time.sleep(POLL_SECONDS)
    return None


def gzipped(rendered: Rendered) -> Rendered:
    """Compressed, unless too small to gain anything (as Django's GZipMiddleware)."""
    if rendered.encoding or len(rendered.content) < 200:
        return rendered
    return Rendered(gzip.compress(rendered.content, compresslevel=6, mtime=0), rendered.content_type, "gzip")


def _render_and_keep(key: str, render: Callable[[], Rendered], compressed: bool) -> Rendered:
    rendered = render()
    smaller = gzipped(rendered)
    cache.set_many({key: rendered, f"{key}:gzip": smaller}, timeout=BODY_SECONDS)
    return smaller if compressed else rendered
