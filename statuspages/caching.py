"""The public site's cache: the version of what each page shows, the pages looked up by
slug, and rendered bodies, each rendered once however many readers ask at once.

Two kinds of version token live in Django's cache (shared by every process), bumped by
``statuspages.signals.page_changed``, which every service sends:

- ``statuspages:public:version:all``: something every page may show changed (a component,
  which pages share; ``status_page_ids`` None), or a page went away;
- ``statuspages:public:version:page:<id>``: that page changed.

Every public response's ETag and Last-Modified come from the two tokens of its page
(``Versions``), whatever the speed switch says: conditional GET is always on. Tokens are
bumped at once (so the writing request sees the change) and again when the transaction
commits (so a reader that loaded the old rows in between cannot keep them under the new
token). The receiver runs with acceleration on or off, so turning it on never serves what
changed while it was off. While the cache is unreachable every request gets tokens of
its own (nothing is served from it, every request renders); when it is back
(``core.cache.cache_resync``) the global token moves, since bumps made meanwhile
never reached it.

What exists only for speed, behind ``settings.API_ACCELERATION`` (read on every request):
pages kept by slug (``page_by_slug``), so a warm request reads no database at all, and
rendered bodies kept under their ETag (``render_once``), where the first of a crowd takes
a short lock (``cache.add``) and renders while the others wait for its result, and kept
gzipped beside, so a browser is sent a front page of 50 components in about 15 kB rather
than 500 kB, compressed once per version rather than once per request. Off, every request
reads its page and renders, and nothing is compressed.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache as memoise
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from ulid import ULID

from core.cache import cache_resync
from core.models import new_ulid

from .models import StatusPage
from .signals import page_changed

EVERYTHING = "statuspages:public:version:all"
#: how long a rendered body is kept (a new version makes it unreachable long before)
BODY_SECONDS = 60 * 60
#: how long a page looked up by slug is kept (its version is checked on every use)
PAGE_SECONDS = 60 * 60
#: the single-render lock: held at most this long if its holder dies mid-render ...
LOCK_SECONDS = 10
#: ... while the others wait at most this long for its result, then render themselves
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.02
_PACKAGE = Path(__file__).resolve().parent


def enabled() -> bool:
    return settings.API_ACCELERATION


def clock() -> float:
    """The time that decides which window of time-dependent content a request falls in (a
    seam for tests, which freeze it)."""
    return time.time()


# --- versions ---------------------------------------------------------------------------------


def page_key(page_id: str) -> str:
    return f"statuspages:public:version:page:{page_id}"


@dataclass(frozen=True)
class Versions:
    """The two tokens a page's responses are versioned by."""

    everything: str
    page: str

    @property
    def changed_at(self) -> datetime:
        """When what the page shows last changed, as far as the cache knows (a token made
        afresh, after an eviction, counts as a change)."""
        return max(ULID.from_str(self.everything).datetime, ULID.from_str(self.page).datetime)


def versions(page_id: str, found: dict | None = None) -> Versions:
    """The page's tokens (one cache round trip, none for those in ``found``); a token
    never set or evicted starts a new generation (``add``: concurrent starters agree)."""
    keys = [EVERYTHING, page_key(page_id)]
    found = dict(found or {})
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        found.update(cache.get_many(missing))
    for key in keys:
        if found.get(key) is None:
            cache.add(key, new_ulid(), timeout=None)
            # None: the cache is unreachable, and a token it cannot keep is this request's alone.
            found[key] = cache.get(key) or new_ulid()
    return Versions(found[EVERYTHING], found[keys[1]])


def _bump_now(keys: list[str]) -> None:
    cache.set_many({key: new_ulid() for key in keys}, timeout=None)


def bump(status_page_ids) -> None:
    """Make every response of these pages (None: of every page) unreachable: now, and
    again when the transaction commits."""
    # A deleted page is announced with the id its instance lost (None): its slug must stop
    # answering, and only the global token reaches every page's cached lookups.
    if status_page_ids is None or None in status_page_ids:
        keys = [EVERYTHING]
    else:
        keys = [page_key(page_id) for page_id in status_page_ids]
    _bump_now(keys)
    transaction.on_commit(lambda: _bump_now(keys))


def _page_changed(sender, status_page_ids=None, **kwargs):
    bump(status_page_ids)


def _resync(sender, cache, **kwargs):
    cache.set(EVERYTHING, new_ulid(), timeout=None)


def connect() -> None:
    """Connect the receivers (from ``StatuspagesConfig.ready``)."""
    page_changed.connect(_page_changed, dispatch_uid="statuspages-public-versions")
    cache_resync.connect(_resync, dispatch_uid="statuspages-public-resync")


# --- what shapes a rendering besides the data ---------------------------------------------------


@memoise
def code_version() -> str:
    """A digest of the app's code, templates and styles, read once per process: a deploy
    that changes any of them never serves a body of the old shape."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "migrations" not in path.parts and path.suffix in {".py", ".html", ".svg", ".css", ".txt"}:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def render_version() -> str:
    """The code, and the settings a body shows (absolute links carry ``SITE_URL``; the
    stylesheet's address, ``STATIC_URL``)."""
    return _digest(code_version(), settings.SITE_URL, settings.STATIC_URL, settings.LANGUAGE_CODE)


@memoise
def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def etag_of(*parts) -> str:
    """A strong ETag of everything that shapes a response (its version and its variant)."""
    return '"' + hashlib.sha256("\0".join(map(str, (render_version(), *parts))).encode()).hexdigest()[:24] + '"'


# --- pages by slug (speed only) ---------------------------------------------------------------


def _slug_key(slug: str) -> str:
    return f"statuspages:public:page:{slug}"


#: the page each slug named when this process last looked (a guess, checked on use), so a
#: warm request reads the slug's entry and both tokens in one round trip
_page_ids: dict[str, str] = {}


def page_by_slug(slug: str) -> tuple[StatusPage | None, Versions | None]:
    """The page at ``slug`` (None: none) and its versions. Accelerated, the page comes from
    the cache while neither of its tokens has moved since it was read (one cache round
    trip, no query); else from the database (one query)."""
    if not enabled():
        page = StatusPage.objects.filter(slug=slug).first()
        return page, versions(page.pk) if page else None
    keys = [_slug_key(slug), EVERYTHING]
    if slug in _page_ids:
        keys.append(page_key(_page_ids[slug]))
    found = cache.get_many(keys)
    kept = found.get(_slug_key(slug))
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
            cache.delete(_slug_key(slug))  # renamed or deleted
        return None, None
    _page_ids[slug] = page.pk
    current = versions(page.pk, found)
    cache.set(_slug_key(slug), (page, current), timeout=PAGE_SECONDS)
    return page, current


# --- rendered bodies (speed only) -------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A rendered response, as the cache keeps it."""

    content: bytes
    content_type: str
    #: "gzip" when ``content`` is compressed
    encoding: str = ""

    def gzipped(self) -> Rendered:
        """Compressed, unless too small to gain anything (as Django's GZipMiddleware)."""
        if self.encoding or len(self.content) < 200:
            return self
        return Rendered(gzip.compress(self.content, compresslevel=6, mtime=0), self.content_type, "gzip")


def _body_key(etag: str) -> str:
    return f"statuspages:public:body:{etag.strip(chr(34))}"


def render_once(etag: str, render: Callable[[], Rendered], *, compressed: bool = False) -> Rendered:
    """The body of the response with this ETag (gzipped if ``compressed``): from the
    cache, else rendered, and kept both ways. Under a crowd on a cold cache, one request
    renders (it holds the lock) while the others poll for its result, at most
    ``WAIT_SECONDS``; one that waited in vain (its renderer died or is slow) renders
    itself rather than fail. Off, it simply renders."""
    if not enabled():
        return render()
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


def _render_and_keep(key: str, render: Callable[[], Rendered], compressed: bool) -> Rendered:
    rendered = render()
    smaller = rendered.gzipped()
    cache.set_many({key: rendered, f"{key}:gzip": smaller}, timeout=BODY_SECONDS)
    return smaller if compressed else rendered


def window(fresh_for: int | None) -> tuple[int, datetime | None]:
    """Which window of ``fresh_for`` seconds now falls in, and when it began: content that
    time alone changes (today's availability under an open impact, a maintenance window
    closing) is versioned by it too. ``None``: content only changes change."""
    if not fresh_for:
        return 0, None
    number = int(clock() // fresh_for)
    return number, datetime.fromtimestamp(number * fresh_for, tz=UTC)
