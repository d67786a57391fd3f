"""The public site's cache: the version of what each page shows, and the public site's
part of the acceleration backend (``PageCache``: finding a page by its slug, rendering a
body, compressing it).

Two kinds of version token live in Django's cache (shared by every process), bumped by
``statuspages.signals.page_changed``, which every service sends:

- ``everything_key()``: something every page may show changed (a component, which pages
  share; ``status_page_ids`` None), or a page went away;
- ``page_key(id)``: that page changed.

Every public response's ETag and Last-Modified come from the two tokens of its page
(``Versions``), whichever backend runs: conditional GET is always on. Tokens are bumped
at once (so the writing request sees the change) and again when the transaction commits
(so a reader that loaded the old rows in between cannot keep them under the new token).
The receiver runs whichever backend runs, so turning acceleration on never serves what
changed while it was off. While the cache is unreachable every request gets tokens of
its own (nothing is served from it, every request renders); when it is back
(``core.cache.cache_resync``) the global token moves, since bumps made meanwhile
never reached it.

``PageCache`` is plain: every request reads its page and renders, and nothing is
compressed. The accelerated part (``statuspages.accel``) keeps pages by slug, and bodies
rendered once per version, gzipped beside.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from ulid import ULID

from core import acceleration
from core.cache import cache_resync
from core.cache_keys import deploy_version, state_key
from core.models import new_ulid

from .models import StatusPage
from .signals import page_changed


def clock() -> float:
    """The time that decides which window of time-dependent content a request falls in (a
    seam for tests, which freeze it)."""
    return time.time()


# --- versions ---------------------------------------------------------------------------------


def everything_key() -> str:
    # State, not a copy: every release's processes (a worker still on the release before
    # included) move and read the same tokens.
    return state_key("page-version", "all")


def page_key(page_id: str) -> str:
    return state_key("page-version", "page", page_id)


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
    keys = [everything_key(), page_key(page_id)]
    found = dict(found or {})
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        found.update(cache.get_many(missing))
    for key in keys:
        if found.get(key) is None:
            cache.add(key, new_ulid(), timeout=None)
            # None: the cache is unreachable, and a token it cannot keep is this request's alone.
            found[key] = cache.get(key) or new_ulid()
    return Versions(found[keys[0]], found[keys[1]])


def _bump_now(keys: list[str]) -> None:
    cache.set_many({key: new_ulid() for key in keys}, timeout=None)


def bump(status_page_ids) -> None:
    """Make every response of these pages (None: of every page) unreachable: now, and
    again when the transaction commits."""
    # A deleted page is announced with the id its instance lost (None): its slug must stop
    # answering, and only the global token reaches every page's cached lookups.
    if status_page_ids is None or None in status_page_ids:
        keys = [everything_key()]
    else:
        keys = [page_key(page_id) for page_id in status_page_ids]
    _bump_now(keys)
    transaction.on_commit(lambda: _bump_now(keys))


def _page_changed(sender, status_page_ids=None, **kwargs):
    bump(status_page_ids)


def _resync(sender, cache, **kwargs):
    cache.set(everything_key(), new_ulid(), timeout=None)


def connect() -> None:
    """Connect the receivers (from ``StatuspagesConfig.ready``)."""
    page_changed.connect(_page_changed, dispatch_uid="statuspages-public-versions")
    cache_resync.connect(_resync, dispatch_uid="statuspages-public-resync")


# --- what shapes a rendering besides the data ---------------------------------------------------


def etag_of(*parts) -> str:
    """A strong ETag of everything that shapes a response: the deploy (our code and the
    settings a body shows, ``core.cache_keys``), and the response's version and variant."""
    return '"' + hashlib.sha256("\0".join(map(str, (deploy_version(), *parts))).encode()).hexdigest()[:24] + '"'


def window(fresh_for: int | None) -> tuple[int, datetime | None]:
    """Which window of ``fresh_for`` seconds now falls in, and when it began: content that
    time alone changes (today's availability under an open impact, a maintenance window
    closing) is versioned by it too. ``None``: content only changes change."""
    if not fresh_for:
        return 0, None
    number = int(clock() // fresh_for)
    return number, datetime.fromtimestamp(number * fresh_for, tz=UTC)


# --- the acceleration backend's part ------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A rendered response, as the accelerated cache keeps it."""

    content: bytes
    content_type: str
    #: "gzip" when ``content`` is compressed
    encoding: str = ""


class PageCache:
    """Plain: every request reads its page and renders its body; nothing is compressed."""

    def page_by_slug(self, slug: str) -> tuple[StatusPage | None, Versions | None]:
        """The page at ``slug`` (None: none) and its versions."""
        page = StatusPage.objects.filter(slug=slug).first()
        return page, versions(page.pk) if page else None

    def compressed(self, request) -> bool:
        """Whether the body is sent gzipped to the reader of ``request``."""
        return False

    def render_once(self, etag: str, render: Callable[[], Rendered], *, compressed: bool = False) -> Rendered:
        """The body of the response with this ETag (gzipped if ``compressed``): rendered."""
        return render()


def backend() -> PageCache:
    return acceleration.part(PageCache)
